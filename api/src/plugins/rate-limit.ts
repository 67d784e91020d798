import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Rate limiting for the routes that opt in with `config.rateLimit` (login and registration): each
 * attempt costs a PBKDF2 run, so unlimited attempts would be both a password-guessing tool and a
 * way to keep the CPU busy. Answers 429 with a message and Retry-After.
 */
export default fp(
  async (app: FastifyInstance) => {
    await app.register(rateLimit, { global: false });
  },
  { name: 'rate-limit' },
);
