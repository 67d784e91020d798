import { z } from 'zod/mini';

/** Readiness (`GET /health`, `/health/ready`): 200 when the database answers, 503 while it does not or while the server drains. */
export const healthResponse = z
  .object({
    status: z.enum(['ok', 'unavailable', 'draining']),
    instance: z.string(),
    database: z.enum(['ok', 'unreachable']),
    /** Present only when the course's published credentials work on a reachable API (see the start-up warning). */
    sample_credentials: z.optional(z.literal(true)),
  })
  .check(z.meta({ id: 'Health', description: 'Whether this instance can serve requests, and whether its database answers.' }));
export type HealthResponse = z.infer<typeof healthResponse>;

/** Liveness (`GET /health/live`): the process answers; it never asks the database. */
export const liveResponse = z
  .object({ status: z.literal('live'), instance: z.string() })
  .check(z.meta({ id: 'Liveness', description: 'The process answers.' }));
