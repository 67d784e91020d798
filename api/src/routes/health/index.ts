import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponse, liveResponse } from '@rock-of-ages/contract';
import { anyRouteFailures } from '../route-responses.js';

const HEALTH_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

export interface HealthOptions {
  instanceId: string;
  /** What the start-up check found; false until it has run. */
  sampleCredentials?: () => boolean;
}

const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, options) => {
  const flags = () => (options.sampleCredentials?.() === true ? { sample_credentials: true as const } : {});
  // Readiness: 503 while the database does not answer (the outage is logged once where the database
  // is opened, not once per check) and while the server drains before shutting down. `/health` is
  // the workshop's name for it, `/health/ready` the one load balancers and orchestrators expect.
  const readiness = { logLevel: 'warn', schema: { response: { ...anyRouteFailures, 200: healthResponse, 503: healthResponse } } } as const;
  for (const url of ['/health', '/health/ready']) {
    app.get(url, readiness, async (_request, reply) => {
      const database = await withTimeout(app.pingDatabase(), HEALTH_TIMEOUT_MS).then(
        () => 'ok' as const,
        () => 'unreachable' as const,
      );
      if (app.draining || database === 'unreachable') {
        return reply.code(503).send({ status: app.draining ? 'draining' : 'unavailable', instance: options.instanceId, database, ...flags() });
      }
      return { status: 'ok' as const, instance: options.instanceId, database, ...flags() };
    });
  }

  app.get('/health/live', { logLevel: 'warn', schema: { response: { 200: liveResponse, ...anyRouteFailures } } }, async () => ({
    status: 'live' as const,
    instance: options.instanceId,
  }));
};

export default healthRoutes;
