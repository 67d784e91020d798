import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createHashingQueue, type HashingQueue } from '../auth/hashing-queue.js';
import type { HashingLimits } from '../config/config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every password hash of a request (login, registration) runs through it. */
    passwordHashing: HashingQueue;
  }
}

export default fp(
  (app: FastifyInstance, limits: HashingLimits) => {
    app.decorate('passwordHashing', createHashingQueue(limits));
  },
  { name: 'password-hashing' },
);
