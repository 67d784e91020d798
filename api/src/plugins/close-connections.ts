import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Once the server is closing, answers still in flight say `Connection: close`: otherwise their
 * keep-alive sockets would hold the shutdown open until the client let go.
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
  },
  { name: 'close-connections' },
);
