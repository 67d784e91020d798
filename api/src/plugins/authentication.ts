import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { tokensEqual } from '../auth/token.js';
import type { AuthenticatedUser } from '../repositories/users-repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate`; read only in routes that run it. */
    user: AuthenticatedUser;
  }
  interface FastifyInstance {
    /** onRequest hook: `Authorization: Token <key>`, answered as Django REST framework does. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

function deny(reply: FastifyReply, detail: string) {
  return reply.code(401).header('WWW-Authenticate', 'Token').send({ detail });
}

export interface AuthenticationOptions {
  /** How long a token's user is remembered after a lookup; 0 looks it up on every request. */
  tokenCacheMs: number;
  /** Milliseconds, for the cache's expiry; tests pass a clock they move. */
  now: () => number;
}

/** More than the users active within a few seconds on one instance; the least recently used go first. */
const MAX_CACHED_TOKENS = 10_000;

export default fp(
  (app: FastifyInstance, { tokenCacheMs, now }: AuthenticationOptions) => {
    app.decorateRequest('user', null as unknown as AuthenticatedUser);

    // Every authenticated request would otherwise ask the database the same question (a round trip
    // on PostgreSQL). The price: a token deleted, or a user deactivated, in the database is still
    // accepted here until its entry expires. Only tokens that were found are kept, so unknown ones
    // always reach the database and cannot fill the cache.
    const knownTokens = tokenCacheMs > 0 ? new LRUCache<string, AuthenticatedUser>({ max: MAX_CACHED_TOKENS, ttl: tokenCacheMs, ttlResolution: 0, perf: { now } }) : undefined;
    const findByToken = async (key: string) => {
      const cached = knownTokens?.get(key);
      if (cached !== undefined) return cached;
      const user = await app.users.findByToken(key);
      if (user !== undefined) knownTokens?.set(key, user);
      return user;
    };

    app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      const [keyword, ...credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
      if (keyword?.toLowerCase() !== 'token') return deny(reply, 'Authentication credentials were not provided.');
      if (credentials.length === 0) return deny(reply, 'Invalid token header. No credentials provided.');
      if (credentials.length > 1) return deny(reply, 'Invalid token header. Token string should not contain spaces.');
      const key = credentials[0] as string;

      const user = await findByToken(key);
      // The lookup found the row by key; the constant-time check guards against a collation that
      // would match a differently written key.
      if (user === undefined || !tokensEqual(user.tokenKey, key)) return deny(reply, 'Invalid token.');
      if (!user.isActive) return deny(reply, 'User inactive or deleted.');
      request.user = user;
    });
  },
  { name: 'authentication', dependencies: ['repositories'] },
);
