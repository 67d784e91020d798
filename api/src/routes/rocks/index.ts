import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createRockBody, DEFAULT_PAGE_SIZE, listRocksQuery, messageError, parseId, rock, rockList, rockParams } from '@rock-of-ages/contract';
import { keysOf } from '../../repositories/rock-images-repository.js';
import type { PresentImage } from '../../repositories/rocks-repository.js';
import { anyRouteFailures, bodyFailures, tokenFailures } from '../route-responses.js';
import { nextPageLink, sendRockList, TOTAL_COUNT_HEADER } from './rock-list-response.js';

const rocksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  /** Photos as the caller sees them: with URLs that reach this API as the caller did. */
  const presentFor = (request: FastifyRequest): PresentImage => (image) => app.presentRockImage(image, request);

  // Without `limit` or `after`, the whole list as one array (the original client relies on it); with
  // either, one page in id order, a Link to the next while there is one, and how many rocks the query
  // selects in X-Total-Count (so that a client can say "10,000 rocks" without reading them all).
  app.get('/rocks', { schema: { querystring: listRocksQuery, response: { 200: rockList, 400: messageError, ...tokenFailures, ...anyRouteFailures } } }, async (request, reply) => {
    const { owner, limit, after } = request.query;
    const ownerId = owner === 'current' ? request.user.id : undefined;
    if (limit === undefined && after === undefined) return sendRockList(reply, app.rocks.inBatches(ownerId, presentFor(request)));

    const pageSize = limit ?? DEFAULT_PAGE_SIZE;
    // One row more than the page tells whether a next page exists.
    const [rocks, total] = await Promise.all([app.rocks.listPage({ ownerId, afterId: after ?? 0, limit: pageSize + 1 }, presentFor(request)), app.rocks.count(ownerId)]);
    reply.header(TOTAL_COUNT_HEADER, String(total));
    const page = rocks.slice(0, pageSize);
    const last = page.at(-1);
    if (rocks.length > pageSize && last !== undefined) reply.header('link', nextPageLink({ owner, limit }, last.id));
    return page;
  });

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
    const images = await app.rocks.deleteOwned(id, request.user.id);
    if (images === undefined) return reply.code(404).send(notFound);
    await app.deletePhotoFiles(images.flatMap(keysOf), request.log);
    return reply.code(204).send();
  });
};

export default rocksRoutes;
