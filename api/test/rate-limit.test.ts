import { afterEach, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const WRONG_LOGIN = { email: 'john@example.com', password: 'guess' };

describe('rate limit on login and registration', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('after the allowed attempts in a minute, /login answers 429 with a message and Retry-After; other routes still answer', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 3 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await request(server, 'POST', '/login', { body: WRONG_LOGIN })).status);
    const refused = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'password' } });

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: expect.stringMatching(/^Rate limit exceeded, retry in /) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await request(server, 'GET', '/types', { token: 'abcdef123456' })).status).toBe(200);
    expect((await request(server, 'POST', '/register', { body: {} })).status).toBe(400);
  });

  it('without trusted proxies, a forged X-Forwarded-For does not get around the limit', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 1 });
    await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.1' } });
    const second = await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.2' } });
    expect(second.status).toBe(429);
  });

  it('behind a trusted proxy, each forwarded client address has its own allowance', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 1, trustProxy: ['127.0.0.1'] });
    const first = await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.1' } });
    const other = await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.2' } });
    const again = await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.1' } });
    expect([first.status, other.status, again.status]).toEqual([200, 200, 429]);
  });

  it('0 turns the limit off (more attempts than the default 20 all reach the route)', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 0 });
    const statuses = new Set();
    for (let attempt = 0; attempt < 25; attempt++) statuses.add((await request(server, 'POST', '/register', { body: {} })).status);
    expect([...statuses]).toEqual([400]);
  });
});
