import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_ITERATIONS } from '../../src/auth/password.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * What a request costs is measured as the CPU time the whole process spends on it (PBKDF2 runs on
 * libuv's threads, which `process.cpuUsage` counts too), not as wall-clock time: other processes on a
 * shared machine slow the clock down, not the work done. Wall-clock figures are printed alongside.
 */
async function cost(server: TestServer, path: string, body: unknown, runs = 3) {
  const samples: { cpuMs: number; wallMs: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const response = await request(server, 'POST', path, { body: typeof body === 'function' ? body(run) : body });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    expect(response.status).toBeLessThan(500);
    samples.push({ cpuMs: (used.user + used.system) / 1000, wallMs });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return { cpuMs: median(samples.map((sample) => sample.cpuMs)), wallMs: median(samples.map((sample) => sample.wallMs)) };
}

const iterationsOf = async (server: TestServer, username: string) => {
  const row = await server.database.handle.db.selectFrom('auth_user').select('password').where('username', '=', username).executeTakeFirstOrThrow();
  return Number(row.password.split('$')[1]);
};

describe('login and registration cost the same whether or not the account exists', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    // A user with a current hash, beside the sample users' legacy 600,000-iteration ones.
    await request(server, 'POST', '/register', { body: { email: 'current@example.com', password: 'current-pw', first_name: 'C', last_name: 'U' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a wrong password for a known, a legacy-hash or an unknown user costs the same work', async () => {
    const known = await cost(server, '/login', { email: 'current@example.com', password: 'wrong' });
    const legacy = await cost(server, '/login', { email: 'jane@example.com', password: 'wrong' });
    const unknown = await cost(server, '/login', { email: 'nobody@example.com', password: 'wrong' });
    console.log(
      `login with a wrong password (median of 3): known user ${known.wallMs.toFixed(0)} ms (${known.cpuMs.toFixed(0)} ms CPU), ` +
        `legacy-hash user ${legacy.wallMs.toFixed(0)} ms (${legacy.cpuMs.toFixed(0)} ms CPU), unknown user ${unknown.wallMs.toFixed(0)} ms (${unknown.cpuMs.toFixed(0)} ms CPU)`,
    );
    expect(legacy.cpuMs / unknown.cpuMs).toBeGreaterThan(0.8);
    expect(legacy.cpuMs / unknown.cpuMs).toBeLessThan(1.25);
    expect(known.cpuMs / unknown.cpuMs).toBeGreaterThan(0.8);
    expect(known.cpuMs / unknown.cpuMs).toBeLessThan(1.25);
  });

  it('registering a taken e-mail costs as much as registering a new one', async () => {
    const taken = await cost(server, '/register', { email: 'current@example.com', password: 'pw', first_name: 'T', last_name: 'K' });
    const fresh = await cost(server, '/register', (run: number) => ({ email: `fresh${run}@example.com`, password: 'pw', first_name: 'F', last_name: 'R' }));
    console.log(
      `registration (median of 3): taken e-mail ${taken.wallMs.toFixed(0)} ms (${taken.cpuMs.toFixed(0)} ms CPU), new e-mail ${fresh.wallMs.toFixed(0)} ms (${fresh.cpuMs.toFixed(0)} ms CPU)`,
    );
    expect(taken.cpuMs / fresh.cpuMs).toBeGreaterThan(0.8);
  });

  it('a successful login upgrades a legacy hash to the current iteration count, and the password still works', async () => {
    expect(await iterationsOf(server, 'john_doe')).toBe(600_000);
    const first = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'password' } });
    expect(first.body).toEqual({ valid: true, token: 'abcdef123456' });
    expect(await iterationsOf(server, 'john_doe')).toBe(PASSWORD_ITERATIONS);

    const again = await request(server, 'POST', '/login', { body: { email: 'john_doe', password: 'password' } });
    expect(again.body).toEqual({ valid: true, token: 'abcdef123456' });
    const wrong = await request(server, 'POST', '/login', { body: { email: 'john@example.com', password: 'Password' } });
    expect(wrong.body).toEqual({ valid: false });
  });

  it('a wrong password leaves a legacy hash as it is', async () => {
    await request(server, 'POST', '/login', { body: { email: 'jane@example.com', password: 'not-it' } });
    expect(await iterationsOf(server, 'jane_smith')).toBe(600_000);
  });
});
