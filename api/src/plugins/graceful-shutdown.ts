import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment `drain` is called: readiness answers 503. */
    readonly draining: boolean;
    /**
     * The first step of a shutdown, before `close`. Readiness answers 503 at once; for
     * `deregistrationMs` the server then goes on as before (a load balancer takes that long to stop
     * sending), and after that every answer says `Connection: close` while the server keeps accepting
     * and answering, for up to `maxMs` more or until no connection is left. Connections idle for a
     * second are closed meanwhile.
     */
    drain: (maxMs: number, deregistrationMs?: number) => Promise<void>;
  }
}

/** A keep-alive connection unused this long has no request on its way; closing it cannot cut one. */
const IDLE_CLOSE_MS = 1_000;
const DRAIN_POLL_MS = 50;

/**
 * The shutdown, in order: `drain` (readiness 503; after the deregistration delay, every answer
 * `Connection: close`, still accepting,
 * so that requests already on their way, and those a load balancer sends before it notices, are
 * answered rather than reset), then `close` (the listener closes, the answers in flight are
 * finished). `close` also waits for every route handler still running, even one whose client hung
 * up (Node forgets such a request when its socket goes), so the database is never closed under it.
 */
export default fp(
  (app: FastifyInstance) => {
    let draining = false;
    /** Set once the deregistration delay is over: answers tell clients to disconnect, idle connections close. */
    let closingConnections = false;
    let running = 0;
    const idle = new EventEmitter();
    /** Open connections, and since when each has had no request in progress (undefined while it has). */
    const idleSince = new Map<Socket, number | undefined>();

    app.server.on('connection', (socket: Socket) => {
      idleSince.set(socket, performance.now());
      socket.once('close', () => idleSince.delete(socket));
    });
    // Every request runs these three: callbacks, not async functions, spare each a promise.
    app.addHook('onRequest', (request, _reply, done) => {
      idleSince.set(request.raw.socket, undefined);
      done();
    });
    app.addHook('onResponse', (request, _reply, done) => {
      if (idleSince.has(request.raw.socket)) idleSince.set(request.raw.socket, performance.now());
      done();
    });

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

    app.decorate('draining', {
      getter: () => draining,
    });
    app.decorate('drain', async (maxMs: number, deregistrationMs = 0) => {
      draining = true;
      if (deregistrationMs > 0) await sleep(deregistrationMs);
      closingConnections = true;
      const deadline = performance.now() + maxMs;
      while (idleSince.size > 0 && performance.now() < deadline) {
        const now = performance.now();
        for (const [socket, since] of idleSince) {
          if (since === undefined || now - since < IDLE_CLOSE_MS) continue;
          idleSince.delete(socket);
          socket.end();
        }
        await sleep(DRAIN_POLL_MS);
      }
    });

    app.addHook('preClose', async () => {
      draining = true;
      closingConnections = true;
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closingConnections) reply.header('connection', 'close');
      done(null, payload);
    });
    app.addHook('onClose', async () => {
      if (running > 0) await once(idle, 'idle');
    });
  },
  { name: 'graceful-shutdown' },
);
