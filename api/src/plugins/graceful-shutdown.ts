import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What `app.close()` does not do by itself:
 * - answers still in flight when closing starts say `Connection: close`, so their keep-alive
 *   sockets do not hold the shutdown open;
 * - close waits for every route handler still running, even one whose client already hung up
 *   (Node forgets such a request when its socket goes), so the database is never closed under it.
 */
export default fp(
  (app: FastifyInstance) => {
    let closing = false;
    let running = 0;
    const idle = new EventEmitter();

    app.addHook('onRoute', (route) => {
      const handler = route.handler as RouteHandlerMethod;
      route.handler = async function trackedHandler(this: FastifyInstance, request, reply) {
        running++;
        try {
          return await handler.call(this, request, reply);
        } finally {
          if (--running === 0) idle.emit('idle');
        }
      };
    });

    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', async (_request, reply) => {
      if (closing) reply.header('connection', 'close');
    });
    app.addHook('onClose', async () => {
      if (running > 0) await once(idle, 'idle');
    });
  },
  { name: 'graceful-shutdown' },
);
