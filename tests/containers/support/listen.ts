import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

/** A listener on `port` of every address, as a program that holds the port would be; `close` it after. */
export async function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  server.listen(port);
  await once(server, 'listening');
  return server;
}
