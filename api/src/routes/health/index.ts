import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const HEALTH_TIMEOUT_MS = 2_000;

const healthResponse = z.object({
  status: z.enum(['ok', 'unavailable', 'draining']),
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
  // Readiness: 503 while the database does not answer (the outage is logged once where the database
  // is opened, not once per check) and while the server drains before shutting down.
  app.get('/health', { logLevel: 'warn', schema: { response: { 200: healthResponse, 503: healthResponse } } }, async (_request, reply) => {
    const database = await withTimeout(app.pingDatabase(), HEALTH_TIMEOUT_MS).then(
      () => 'ok' as const,
      () => 'unreachable' as const,
    );
    if (app.draining || database === 'unreachable') {
      return reply.code(503).send({ status: app.draining ? 'draining' : 'unavailable', instance: options.instanceId, database });
    }
    return { status: 'ok' as const, instance: options.instanceId, database };
  });
};

export default healthRoutes;
