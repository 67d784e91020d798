import type { LoginResponse, TokenResponse } from '@rock-of-ages/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const WRONG_LOGIN = { email: 'john@example.com', password: 'guess' };
const defaults = loadConfig({});

describe('rate limit on login and registration', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('after the allowed attempts in a minute, /login and /register (one allowance for both) answer 429 with a message and Retry-After; other routes still answer', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 3 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await request(server, 'POST', '/login', { body: WRONG_LOGIN })).status);
    const refused = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'password' } });

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: expect.stringMatching(/^Rate limit exceeded, retry in /) });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await request(server, 'GET', '/types', { token: 'abcdef123456' })).status).toBe(200);
    expect((await request(server, 'POST', '/register', { body: {} })).status).toBe(429);
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

  it('registrations have a tighter allowance per address and hour of their own, which leaves logins and other addresses alone', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 0, registerRateLimit: 2, trustProxy: ['127.0.0.1'] });
    const register = (address: string) => request(server!, 'POST', '/register', { body: {}, headers: { 'x-forwarded-for': address } });
    const allowed = [(await register('203.0.113.1')).status, (await register('203.0.113.1')).status];
    const refused = await register('203.0.113.1');

    expect(allowed).toEqual([400, 400]);
    expect([refused.status, refused.body]).toEqual([429, { message: 'Too many registrations from this address; try again in 60 minutes.' }]);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await request(server, 'POST', '/login', { body: WRONG_LOGIN, headers: { 'x-forwarded-for': '203.0.113.1' } })).status).toBe(200);
    expect((await register('203.0.113.2')).status).toBe(400);
  });

  it('0 turns each per-address limit off (more requests than either default all reach the route)', async () => {
    server = await startTestServer('sqlite', { authRateLimit: 0, registerRateLimit: 0 });
    const statuses = new Set();
    const requests = Math.max(defaults.authRateLimit, defaults.registerRateLimit) + 1;
    for (let attempt = 0; attempt < requests; attempt++) statuses.add((await request(server, 'POST', '/register', { body: {} })).status);
    expect([...statuses]).toEqual([400]);
  });
});

describe.each(DIALECTS)('%s: the default limits and a classroom behind one address', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it(`${dialect}: 30 learners register and then log in correctly from one address within a minute, and all succeed`, { timeout: 180_000 }, async () => {
    const { authRateLimit, registerRateLimit, loginFailureLimit, loginFailureWindowMinutes } = defaults;
    server = await startTestServer(dialect, { authRateLimit, registerRateLimit, loginFailureLimit, loginFailureWindowMinutes });
    const learners = Array.from({ length: 30 }, (_, index) => ({ email: `learner${index + 1}@school.example`, password: `rocks-${index + 1}-rule` }));

    // Everyone at once, as a class does when the instructor says "go".
    const registered = await Promise.all(
      learners.map(({ email, password }) => request(server!, 'POST', '/register', { body: { email, password, first_name: 'Learner', last_name: 'Rock' } })),
    );
    const loggedIn = await Promise.all(learners.map(({ email, password }) => request(server!, 'POST', '/login', { body: { email, password } })));

    expect(registered.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect(loggedIn.map((response) => [response.status, (response.body as LoginResponse & { valid: true }).token])).toEqual(
      registered.map((response) => [200, (response.body as TokenResponse).token]),
    );
  });
});
