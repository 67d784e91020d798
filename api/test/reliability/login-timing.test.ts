import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_ITERATIONS } from '../../src/auth/password.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * What a request costs is measured as the CPU time the whole process spends on it (PBKDF2 runs on
 * libuv's threads, which `process.cpuUsage` counts too), not as wall-clock time: other processes on a
 * shared machine slow the clock down, not the work done. The cases are measured in turns, so that
 * whatever else the machine does weighs on each alike, and each case's cheapest round is kept: a busy
 * machine can only add to the CPU time of a hash (cores shared with other processes run it slower),
 * never take from it, so the minimum is the closest to the work itself. Wall-clock figures are
 * printed alongside.
 */
async function costs(server: TestServer, path: string, cases: Record<string, (round: number) => unknown>, rounds = 7) {
  const samples: Record<string, { cpuMs: number[]; wallMs: number[] }> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, body] of Object.entries(cases)) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const response = await request(server, 'POST', path, { body: body(round) });
      const wallMs = performance.now() - started;
      const used = process.cpuUsage(cpu);
      expect(response.status).toBeLessThan(500);
      samples[name] ??= { cpuMs: [], wallMs: [] };
      samples[name].cpuMs.push((used.user + used.system) / 1000);
      samples[name].wallMs.push(wallMs);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, { cpuMs, wallMs }]) => [name, { cpuMs: Math.min(...cpuMs), wallMs: Math.min(...wallMs) }]));
}

const describeCosts = (measured: Record<string, { cpuMs: number; wallMs: number }>) =>
  Object.entries(measured)
    .map(([name, { cpuMs, wallMs }]) => `${name} ${wallMs.toFixed(0)} ms (${cpuMs.toFixed(0)} ms CPU)`)
    .join(', ');

const iterationsOf = async (server: TestServer, username: string) => {
  const row = await server.database.handle.db.selectFrom('auth_user').select('password').where('username', '=', username).executeTakeFirstOrThrow();
  return Number(row.password.split('$')[1]);
};

// Seven rounds of full-cost hashes, on low-priority threads that a busy machine serves last.
const MEASURING_TIMEOUT_MS = 120_000;

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
    const measured = await costs(server, '/login', {
      'known user': () => ({ email: 'current@example.com', password: 'wrong' }),
      'legacy-hash user': () => ({ email: 'jane@example.com', password: 'wrong' }),
      'unknown user': () => ({ email: 'nobody@example.com', password: 'wrong' }),
    });
    console.log(`login with a wrong password (cheapest of 7): ${describeCosts(measured)}`);
    const unknown = measured['unknown user']!.cpuMs;
    // Before equal costs, the legacy hash (600,000 iterations) cost 0.6 of the unknown user's (1,000,000).
    for (const name of ['known user', 'legacy-hash user']) {
      expect(measured[name]!.cpuMs / unknown).toBeGreaterThan(0.75);
      expect(measured[name]!.cpuMs / unknown).toBeLessThan(1.33);
    }
  }, MEASURING_TIMEOUT_MS);

  it('registering a taken e-mail costs as much as registering a new one', async () => {
    const measured = await costs(server, '/register', {
      'taken e-mail': () => ({ email: 'current@example.com', password: 'pw', first_name: 'T', last_name: 'K' }),
      'new e-mail': (round) => ({ email: `fresh${round}@example.com`, password: 'pw', first_name: 'F', last_name: 'R' }),
    });
    console.log(`registration (cheapest of 7): ${describeCosts(measured)}`);
    expect(measured['taken e-mail']!.cpuMs / measured['new e-mail']!.cpuMs).toBeGreaterThan(0.75);
  }, MEASURING_TIMEOUT_MS);

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
