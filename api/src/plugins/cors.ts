import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Every origin by default, as the original allowed: the token travels in a header, never in a
 * cookie, so another site cannot borrow a visitor's credentials. Registered before authentication
 * so that 401 answers and preflights carry the headers too.
 */
export default fp(
  async (app: FastifyInstance, options: { origins: '*' | string[] }) => {
    await app.register(cors, {
      origin: options.origins,
      // PUT: the local store's uploads.
      methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      // A page's next-page link and total, which a browser's script could not read otherwise.
      exposedHeaders: ['Link', 'X-Total-Count'],
      maxAge: 86_400,
      // An OPTIONS request that is no preflight (no Origin or no Access-Control-Request-Method) gets the
      // same 204, rather than a text/plain 400 outside the API's {"message"} shape.
      strictPreflight: false,
    });
  },
  { name: 'cors' },
);
