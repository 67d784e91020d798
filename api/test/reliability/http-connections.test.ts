import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openRaw, parseHead } from '../support/raw-http.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const portOf = (running: TestServer) => Number(new URL(running.baseUrl).port);

/** One request on `agent`; resolves with the status, headers and body, or with the error's code. */
function send(agent: http.Agent, port: number, method: string, path: string, body?: string) {
  return new Promise<{ status?: number; headers?: http.IncomingHttpHeaders; body?: string; error?: string }>((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

describe('slow and broken requests do not hold connections', () => {
  it('bodies declared but never sent, and headers never finished, are answered 408 and closed within the request timeout', async () => {
    server = await startTestServer('sqlite', { http: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 } });
    const port = portOf(server);
    const stalled = [
      // A chunk size declared, its data never sent.
      ...Array.from({ length: 10 }, () => 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffff\r\n'),
      // 100 bytes declared, 12 sent.
      ...Array.from({ length: 10 }, () => 'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"a"'),
      // Headers dribbled and never finished.
      ...Array.from({ length: 10 }, () => 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    ];
    const connections = await Promise.all(stalled.map((bytes) => openRaw(port, bytes)));

    const outcomes = await Promise.all(connections.map((connection) => connection.closed));
    const longest = Math.max(...outcomes.map((outcome) => outcome.openMs));
    console.log(`${outcomes.length} stalled requests: all closed by the server, the last after ${longest.toFixed(0)} ms (request timeout 1,000 ms)`);

    for (const outcome of outcomes) {
      expect(parseHead(outcome.received)).toMatchObject({ status: 408, headers: { connection: 'close' } });
    }
    // Closed by the timeout rather than by the test's own 30-second limit; the bound is generous on purpose.
    expect(longest).toBeLessThan(10_000);
  });

  it('a connection idle after its last answer is closed after the keep-alive timeout', async () => {
    server = await startTestServer('sqlite', { http: { keepAliveTimeoutMs: 500 } });
    const connection = await openRaw(portOf(server), 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const outcome = await connection.closed;
    expect(parseHead(outcome.received).status).toBe(200);
    expect(outcome.error).toBeUndefined();
  });

  it('connections beyond the cap are closed at once; those within it are served', async () => {
    server = await startTestServer('sqlite', { http: { maxConnections: 3 } });
    const port = portOf(server);
    const held = await Promise.all(Array.from({ length: 3 }, () => openRaw(port)));
    const extra = await openRaw(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const refused = await extra.closed;
    expect(refused.received).toBe('');

    held[0]!.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(parseHead((await held[0]!.closed).received).status).toBe(200);
    for (const connection of held) connection.socket.destroy();
  });

  it('a socket may carry at most the configured number of requests; the last answer says Connection: close', async () => {
    server = await startTestServer('sqlite', { http: { maxRequestsPerSocket: 2 } });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const port = portOf(server);
    const first = await send(agent, port, 'GET', '/health');
    const second = await send(agent, port, 'GET', '/health');
    agent.destroy();
    expect([first.status, first.headers?.connection]).toEqual([200, 'keep-alive']);
    expect([second.status, second.headers?.connection]).toEqual([200, 'close']);
  });
});

describe('a malformed request does not break the next one on the same keep-alive socket', () => {
  it.each([
    ['an unknown method', 'FOO', '/rocks', undefined, 400],
    ['a malformed JSON body', 'POST', '/login', '{"email": ', 400],
    ['a body over the limit', 'POST', '/login', JSON.stringify({ email: 'x'.repeat(70_000), password: 'p' }), 413],
  ])('%s, then GET /health on the same agent, 20 times: the error says Connection: close where needed, and nothing is reset', async (_case, method, path, body, status) => {
    server = await startTestServer('sqlite');
    const port = portOf(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let resets = 0;
    for (let round = 0; round < 20; round++) {
      const bad = await send(agent, port, method, path, body);
      const next = await send(agent, port, 'GET', '/health');
      if (bad.error !== undefined || next.error !== undefined) resets++;
      else {
        expect(bad.status).toBe(status);
        expect(JSON.parse(bad.body ?? '')).toEqual({ message: expect.any(String) });
        expect(next.status).toBe(200);
      }
    }
    agent.destroy();
    console.log(`${_case} then GET /health, 20 rounds on one keep-alive agent: ${resets} resets`);
    expect(resets).toBe(0);
  });

  it.each([
    ['an unknown method', 'FOO /rocks HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a header without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nbroken header\r\n\r\n', 400],
    ['a chunk size that is not hexadecimal', 'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['headers over 16 KiB', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
  ])('%s is answered %i with a JSON message and Connection: close, then the connection is closed cleanly', async (_case, bytes, status) => {
    server = await startTestServer('sqlite');
    const connection = await openRaw(portOf(server), bytes);
    const outcome = await connection.closed;
    const answer = parseHead(outcome.received);
    expect(answer).toMatchObject({ status, headers: { connection: 'close', 'content-type': 'application/json; charset=utf-8' } });
    expect(JSON.parse(answer.body)).toEqual({ message: expect.any(String) });
  });
});
