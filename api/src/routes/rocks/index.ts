import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { keysOf } from '../../repositories/rock-images-repository.js';
import { messageSchema, parseId } from '../common-schemas.js';
import { createRockBody, listRocksQuery, rockParams, rockSchema } from './schemas.js';

const rocksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/rocks', { schema: { querystring: listRocksQuery, response: { 200: z.array(rockSchema), 400: messageSchema } } }, async (request) => {
    const rocks = await app.rocks.list(request.query.owner === 'current' ? { ownerId: request.user.id } : {});
    return rocks.map((rock) => ({ ...rock, images: rock.images.map((image) => app.presentRockImage(image, request)) }));
  });

  app.post('/rocks', { schema: { body: createRockBody, response: { 201: rockSchema, 400: messageSchema } } }, async (request, reply) => {
    const { name, weight, typeId } = request.body;
    if (!(await app.types.exists(typeId))) {
      return reply.code(400).send({ message: `typeId ${typeId} is not a known rock type (see GET /types)` });
    }
    const rock = await app.rocks.create({ name, weight, typeId, userId: request.user.id });
    return reply.code(201).send({ ...rock, images: [] });
  });

  app.delete('/rocks/:id', { schema: { params: rockParams, response: { 204: z.void(), 403: messageSchema, 404: messageSchema } } }, async (request, reply) => {
    const id = parseId(request.params.id);
    const notFound = { message: `There is no rock with id ${request.params.id}` };
    const ownerId = id === undefined ? undefined : await app.rocks.findOwnerId(id);
    if (id === undefined || ownerId === undefined) return reply.code(404).send(notFound);
    if (ownerId !== request.user.id) return reply.code(403).send({ message: 'You do not own that rock' });
    // Deleted by the owner's other request in the meantime: gone all the same.
    const images = await app.rocks.deleteOwned(id, request.user.id);
    if (images === undefined) return reply.code(404).send(notFound);
    await app.deletePhotoFiles(images.flatMap(keysOf), request.log);
    return reply.code(204).send();
  });
};

export default rocksRoutes;
