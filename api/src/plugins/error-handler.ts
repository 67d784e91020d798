import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HashingQueueFullError } from '../auth/hashing-queue.js';
import { isDatabaseUnavailable } from '../db/connection-errors.js';
import { PhotoStoreUnavailableError } from '../photos/photo-store.js';

/**
 * Every error leaves as `{"message": ...}`: validation failures and other client errors with their
 * own 4xx status and a message that says what is wrong; a database that cannot be reached as a 503
 * to retry (logged once per outage where the database is opened, not once per request), as is a
 * photo store that cannot be reached (logged with each request: it serves few); too many
 * password checks waiting as a 503 with Retry-After; anything
 * unexpected as a logged 500 that reveals nothing.
 */
function validationMessage(error: FastifyError): string {
  const messages = (error.validation ?? []).map((issue) => issue.message ?? 'is invalid');
  return [...new Set(messages)].join('; ');
}

/**
 * Fastify's option `frameworkErrors`: what it finds wrong before any route runs (a URL that does
 * not decode, a parameter over the length limit), answered in the same shape as everything else.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  return reply.code(error.statusCode ?? 400).send({ message: error.message });
}

export default fp(
  (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation !== undefined) {
        return reply.code(400).send({ message: validationMessage(error) });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply.code(status).send({ message: error.message });
      }
      if (error instanceof HashingQueueFullError) {
        return reply.code(503).header('retry-after', error.retryAfterSeconds).send({ message: error.message });
      }
      if (error instanceof PhotoStoreUnavailableError) {
        request.log.warn(error.message);
        return reply.code(503).header('retry-after', '2').send({ message: 'The photo store is not reachable right now; please try again in a moment.' });
      }
      if (isDatabaseUnavailable(error)) {
        return reply.code(503).header('retry-after', '2').send({ message: 'The database is not reachable right now; please try again in a moment.' });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send({ message: 'Something went wrong on our side; please try again.' });
    });

    app.setNotFoundHandler((request, reply) => reply.code(404).send({ message: `No route for ${request.method} ${request.url.split('?')[0]}` }));
  },
  { name: 'error-handler' },
);
