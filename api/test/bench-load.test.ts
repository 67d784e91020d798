import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, runLoadDuring } from '../bench/support/load.js';

/** What the server behind the bench's load was sent, request by request. */
interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}

describe("the bench's load (wrk), against a real server", () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers });
        response.statusCode = request.url === '/broken' ? 500 : 200;
        response.end('[]');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the method, body and headers given, and counts what was answered', async () => {
    seen.length = 0;
    const result = await runLoad({ url: `${url}/rocks`, connections: 2, seconds: 1, method: 'POST', body: '{"name":"Bench rock"}', headers: { authorization: 'Token abc', 'content-type': 'application/json' } });
    const measured = seen.length;
    expect(measured).toBeGreaterThan(0);
    expect(new Set(seen.map(({ method, url: path, body, headers }) => `${method} ${path} ${body} ${headers.authorization} ${headers['content-type']}`))).toEqual(
      new Set(['POST /rocks {"name":"Bench rock"} Token abc application/json']),
    );
    // The warm-up's requests are sent but not counted: the result covers about a third of them.
    expect(result['req/s']).toBeGreaterThan(0);
    expect(result['req/s']).toBeLessThan(measured);
    expect([result['4xx/5xx'], result.errors]).toEqual([0, 0]);
    expect(result['p50 ms']).toBeGreaterThan(0);
    expect(result['p99 ms']).toBeGreaterThanOrEqual(result['p50 ms']);
  });

  it('counts answers of 400 and more', async () => {
    seen.length = 0;
    const result = await runLoad({ url: `${url}/broken`, connections: 1, seconds: 1 });
    expect(result['req/s']).toBeGreaterThan(0);
    // Every answer was a 500. The measured run lasted at least its second (longer on a busy machine),
    // and the server answered more than it counted: the warm-up's requests as well.
    expect(result['4xx/5xx']).toBeGreaterThanOrEqual(result['req/s'] * 0.9);
    expect(result['4xx/5xx']).toBeLessThan(seen.length);
  });

  it('loads for as long as the work beside it runs, then stops and reports', async () => {
    seen.length = 0;
    const started = performance.now();
    const [result, value] = await runLoadDuring({ url: `${url}/rocks`, connections: 2 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return 'done';
    });
    const sentWhileRunning = seen.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(value).toBe('done');
    expect(result['req/s']).toBeGreaterThan(0);
    // Stopped with the work, not after wrk's own duration (an hour): nothing more arrives.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(seen.length).toBe(sentWhileRunning);
  });

  it('says how to install wrk when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(runLoad({ url: `${url}/rocks`, connections: 1, seconds: 1 })).rejects.toThrow('wrk is not installed: the bench\'s load comes from it (apt-get install wrk)');
    } finally {
      process.env.PATH = path;
    }
  });
});
