import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const HEALTH_TIMEOUT_MS = 2_000;

const healthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  instance: z.string(),
  database: z.enum(['ok', 'unreachable']),
});

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

const healthRoutes: FastifyPluginAsyncZod<{ instanceId: string }> = async (app, options) => {
  app.get('/health', { logLevel: 'warn', schema: { response: { 200: healthResponse, 503: healthResponse } } }, async (request, reply) => {
    try {
      await withTimeout(app.pingDatabase(), HEALTH_TIMEOUT_MS);
      return { status: 'ok' as const, instance: options.instanceId, database: 'ok' as const };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', instance: options.instanceId, database: 'unreachable' });
    }
  });
};

export default healthRoutes;
