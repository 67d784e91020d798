import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { rockTypeList } from '@rock-of-ages/contract';
import { anyRouteFailures, tokenFailures } from '../route-responses.js';

const typesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/types', { schema: { response: { 200: rockTypeList, ...tokenFailures, ...anyRouteFailures } } }, () => app.types.list());
};

export default typesRoutes;
