import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const typesResponse = z.array(z.object({ id: z.number(), label: z.string() }));

const typesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/types', { schema: { response: { 200: typesResponse } } }, () => app.types.list());
};

export default typesRoutes;
