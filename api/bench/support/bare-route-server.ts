import Fastify from 'fastify';

/** The bench's ceiling: Fastify answering fixed bytes, with no logging, hooks, database or serialization. */
const body = process.env.BARE_BODY ?? '[]';
const app = Fastify();
app.get('/health', async () => ({ status: 'ok' }));
app.get('/rocks', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
