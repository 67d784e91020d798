import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/** A port nothing on 127.0.0.1 listens on right now. */
export async function freePort(): Promise<number> {
  const server = await listen(0);
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A listener on `port` of every address, as a program that holds the port would be; `close` it after. */
export async function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  server.listen(port);
  await once(server, 'listening');
  return server;
}
