import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pbkdf2Runs } from '../../src/auth/low-priority-pbkdf2.js';
import { PASSWORD_ITERATIONS } from '../../src/auth/password.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * What a request costs is counted, not timed: the PBKDF2 iterations it runs (the whole of a login's
 * or a registration's work), as the hashing code reports each run. Equal counts are equal work on any
 * machine, however busy; a stopwatch would say more about the machine than about the code.
 */
async function iterationsOf(send: () => Promise<{ status: number }>): Promise<number> {
  let total = 0;
  const count = (message: unknown) => (total += (message as { iterations: number }).iterations);
  pbkdf2Runs.subscribe(count);
  try {
    expect((await send()).status).toBeLessThan(500);
  } finally {
    pbkdf2Runs.unsubscribe(count);
  }
  return total;
}

const storedIterations = async (server: TestServer, username: string) => {
  const row = await server.database.handle.db.selectFrom('auth_user').select('password').where('username', '=', username).executeTakeFirstOrThrow();
  return Number(row.password.split('$')[1]);
};

describe('login and registration cost the same whether or not the account exists', () => {
  let server: TestServer;
  const post = (path: string, body: object) => () => request(server, 'POST', path, { body });
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    // A user with a current hash, beside the sample users' legacy 600,000-iteration ones.
    await request(server, 'POST', '/register', { body: { email: 'current@example.com', password: 'current-pw', first_name: 'C', last_name: 'U' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("a wrong password for a known, a legacy-hash or an unknown user costs today's work factor", async () => {
    const costs = {
      'known user': await iterationsOf(post('/login', { email: 'current@example.com', password: 'wrong' })),
      'legacy-hash user': await iterationsOf(post('/login', { email: 'jane@example.com', password: 'wrong' })),
      'unknown user': await iterationsOf(post('/login', { email: 'nobody@example.com', password: 'wrong' })),
    };
    // Before equal costs, the legacy hash cost 600,000 iterations against everyone else's 1,000,000.
    expect(costs).toEqual({ 'known user': PASSWORD_ITERATIONS, 'legacy-hash user': PASSWORD_ITERATIONS, 'unknown user': PASSWORD_ITERATIONS });
  });

  it('registering a taken e-mail costs as much as registering a new one', async () => {
    const taken = await iterationsOf(post('/register', { email: 'current@example.com', password: 'pw', first_name: 'T', last_name: 'K' }));
    const fresh = await iterationsOf(post('/register', { email: 'fresh@example.com', password: 'pw', first_name: 'F', last_name: 'R' }));
    expect({ taken, fresh }).toEqual({ taken: PASSWORD_ITERATIONS, fresh: PASSWORD_ITERATIONS });
  });

  it('a successful login upgrades a legacy hash to the current iteration count, and the password still works', async () => {
    expect(await storedIterations(server, 'john_doe')).toBe(600_000);
    const first = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'password' } });
    expect(first.body).toEqual({ valid: true, token: 'abcdef123456' });
    expect(await storedIterations(server, 'john_doe')).toBe(PASSWORD_ITERATIONS);

    const again = await request(server, 'POST', '/login', { body: { email: 'john_doe', password: 'password' } });
    expect(again.body).toEqual({ valid: true, token: 'abcdef123456' });
    const wrong = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'Password' } });
    expect(wrong.body).toEqual({ valid: false });
  });

  it('a wrong password leaves a legacy hash as it is', async () => {
    await request(server, 'POST', '/login', { body: { email: 'jane@example.com', password: 'not-it' } });
    expect(await storedIterations(server, 'jane_smith')).toBe(600_000);
  });
});
