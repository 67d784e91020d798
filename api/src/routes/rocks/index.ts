import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRockBody, listRocksQuery, messageError, parseId, rock, rockList, rockParams } from '@rock-of-ages/contract';
import { anyRouteFailures, bodyFailures, tokenFailures } from '../route-responses.js';

const rocksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/rocks', { schema: { querystring: listRocksQuery, response: { 200: rockList, 400: messageError, ...tokenFailures, ...anyRouteFailures } } }, (request) =>
    app.rocks.list(request.query.owner === 'current' ? { ownerId: request.user.id } : {}),
  );

  app.post('/rocks', { schema: { body: createRockBody, response: { 201: rock, ...bodyFailures, ...tokenFailures } } }, async (request, reply) => {
    const { name, weight, typeId } = request.body;
    if (!(await app.types.exists(typeId))) {
      return reply.code(400).send({ message: `typeId ${typeId} is not a known rock type (see GET /types)` });
    }
    const rock = await app.rocks.create({ name, weight, typeId, userId: request.user.id });
    return reply.code(201).send(rock);
  });

  app.delete('/rocks/:id', { schema: { params: rockParams, response: { 204: z.void(), 403: messageError, 404: messageError, ...bodyFailures, ...tokenFailures } } }, async (request, reply) => {
    const id = parseId(request.params.id);
    const notFound = { message: `There is no rock with id ${request.params.id}` };
    const ownerId = id === undefined ? undefined : await app.rocks.findOwnerId(id);
    if (id === undefined || ownerId === undefined) return reply.code(404).send(notFound);
    if (ownerId !== request.user.id) return reply.code(403).send({ message: 'You do not own that rock' });
    // Deleted by the owner's other request in the meantime: gone all the same.
    if (!(await app.rocks.deleteOwned(id, request.user.id))) return reply.code(404).send(notFound);
    return reply.code(204).send();
  });
};

export default rocksRoutes;
