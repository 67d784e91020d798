import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createLoginThrottle, retryInWords, type LoginThrottle } from '../auth/login-throttle.js';

export interface AuthLimits {
  /** `/login` and `/register` requests together per minute from one client address; 0: no limit. */
  attemptsPerMinute: number;
  /** `/register` requests per hour from one client address; 0: no limit. */
  registrationsPerHour: number;
  /** Failed logins per account in one window; 0: no limit. */
  failedLoginsPerAccount: number;
  failedLoginWindowMinutes: number;
  /** Milliseconds since the epoch, for the per-account windows. */
  now: () => number;
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook of `/login` and `/register`: one allowance per client address for both. */
    authAttemptLimit: Hook;
    /** onRequest hook of `/register`: registrations per client address per hour. */
    registrationLimit: Hook;
    loginThrottle: LoginThrottle;
  }
}

const noLimit: Hook = async () => {};

class TooManyRequestsError extends Error {
  override name = 'TooManyRequestsError';
  statusCode = 429;
}

/**
 * The limits on login and registration. Per client address (in memory, per process): a loose one
 * sized for a classroom behind one address, which bounds the password hashing any one address can
 * cause, and a tighter one on registrations. Per account (in the database, shared by every
 * process): the login throttle, which is what stops guessing from many addresses.
 * 429 answers carry a message and Retry-After.
 */
export default fp(
  async (app: FastifyInstance, limits: AuthLimits) => {
    await app.register(rateLimit, { global: false });

    // One hook object on both routes shares one counter: a `groupId` in each route's config would
    // not, as each route gets a store of its own (fastify/fastify-rate-limit#463).
    app.decorate('authAttemptLimit', limits.attemptsPerMinute > 0 ? app.rateLimit({ max: limits.attemptsPerMinute, timeWindow: '1 minute' }) : noLimit);

    // A second `app.rateLimit` hook on the same route would be skipped (the plugin limits a request
    // once), so this one is checked by hand.
    if (limits.registrationsPerHour > 0) {
      const check = app.createRateLimit({ max: limits.registrationsPerHour, timeWindow: '1 hour' });
      app.decorate('registrationLimit', async (request: FastifyRequest, reply: FastifyReply) => {
        const limit = await check(request);
        if (limit.isAllowed || !limit.isExceeded) return;
        reply.header('retry-after', limit.ttlInSeconds);
        throw new TooManyRequestsError(`Too many registrations from this address; try again in ${retryInWords(limit.ttlInSeconds)}.`);
      });
    } else {
      app.decorate('registrationLimit', noLimit);
    }

    app.decorate(
      'loginThrottle',
      createLoginThrottle(app.loginFailures, {
        limit: limits.failedLoginsPerAccount,
        windowMinutes: limits.failedLoginWindowMinutes,
        now: limits.now,
      }),
    );
  },
  { name: 'rate-limit', dependencies: ['repositories'] },
);
