import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves when the server ends or resets the connection: what it sent, how long it stayed open, and the error if it was reset. */
  closed: Promise<{ received: string; openMs: number; error?: NodeJS.ErrnoException }>;
}

/** A TCP connection to the server that writes exactly the bytes given, for requests no HTTP client would send. */
export async function openRaw(port: number, bytes?: string): Promise<RawConnection> {
  const socket = connect({ host: '127.0.0.1', port });
  const opened = performance.now();
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (text += chunk));
  const closed = new Promise<{ received: string; openMs: number; error?: NodeJS.ErrnoException }>((resolve) => {
    let error: NodeJS.ErrnoException | undefined;
    socket.on('error', (cause: NodeJS.ErrnoException) => (error = cause));
    socket.on('close', () => resolve({ received: text, openMs: performance.now() - opened, ...(error === undefined ? {} : { error }) }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  if (bytes !== undefined) socket.write(bytes);
  return { socket, received: () => text, closed };
}

/** The status code and lower-cased headers of the first response in `text`. */
export function parseHead(text: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}
