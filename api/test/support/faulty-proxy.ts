import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between the API and a server (PostgreSQL here) that the test can break as a network
 * does: `cut` resets every connection, `refuse` stops listening (connection refused), `blackHole`
 * keeps accepting but lets nothing through in either direction, `restore` forwards again.
 */
export interface FaultyProxy {
  port: number;
  cut: () => void;
  refuse: () => Promise<void>;
  blackHole: () => void;
  restore: () => Promise<void>;
  close: () => Promise<void>;
}

type Mode = 'forward' | 'black-hole' | 'refuse';

export async function startFaultyProxy(target: { host: string; port: number }): Promise<FaultyProxy> {
  let mode: Mode = 'forward';
  const pairs = new Set<{ client: Socket; upstream?: Socket; swallowed: boolean }>();

  const onConnection = (client: Socket) => {
    const pair: { client: Socket; upstream?: Socket; swallowed: boolean } = { client, swallowed: mode === 'black-hole' };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (pair.swallowed) {
      client.resume();
      return;
    }
    const upstream = connect(target);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (mode === 'forward') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'forward') client.write(chunk);
    });
  };

  let listener: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => resolve((listener.address() as { port: number }).port));
    });
  const stopListening = () => new Promise<void>((resolve) => listener.close(() => resolve()));
  const port = await listen(0);

  const cut = () => {
    for (const pair of pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.destroy();
    }
  };

  return {
    port,
    cut,
    refuse: async () => {
      mode = 'refuse';
      cut();
      await stopListening();
    },
    blackHole: () => {
      mode = 'black-hole';
      for (const pair of pairs) pair.swallowed = true;
    },
    restore: async () => {
      // A connection that lost bytes in the black hole cannot carry its protocol any more.
      for (const pair of pairs) if (pair.swallowed) pair.client.resetAndDestroy();
      if (mode === 'refuse') {
        listener = createServer(onConnection);
        await listen(port);
      }
      mode = 'forward';
    },
    close: async () => {
      cut();
      if (mode !== 'refuse') await stopListening();
    },
  };
}
