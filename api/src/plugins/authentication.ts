import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
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

export default fp(
  (app: FastifyInstance) => {
    app.decorateRequest('user', null as unknown as AuthenticatedUser);

    app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
      const [keyword, ...credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
      if (keyword?.toLowerCase() !== 'token') return deny(reply, 'Authentication credentials were not provided.');
      if (credentials.length === 0) return deny(reply, 'Invalid token header. No credentials provided.');
      if (credentials.length > 1) return deny(reply, 'Invalid token header. Token string should not contain spaces.');
      const key = credentials[0] as string;

      const user = await app.users.findByToken(key);
      // The lookup found the row by key; the constant-time check guards against a collation that
      // would match a differently written key.
      if (user === undefined || !tokensEqual(user.tokenKey, key)) return deny(reply, 'Invalid token.');
      if (!user.isActive) return deny(reply, 'User inactive or deleted.');
      request.user = user;
    });
  },
  { name: 'authentication', dependencies: ['repositories'] },
);
