import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runApi, type ApiProcess } from '@rock-of-ages/test-kit';
import { createPostgresDatabase, dropPostgresDatabase } from './support/test-database.js';

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
let running: ApiProcess[] = [];
let tempDir: string;

const start = (env: Record<string, string>) => {
  const api = runApi('server', { HOST: '127.0.0.1', PORT: '0', ...env });
  running.push(api);
  return api;
};

beforeAll(() => {
  tempDir = mkdtempSync(path.join(tmpdir(), 'rock-startup-'));
});
afterEach(() => {
  for (const api of running) api.child.kill('SIGKILL');
  running = [];
});
afterAll(() => {
  rmSync(tempDir, { recursive: true, force: true });
});

describe('server start-up and shutdown', () => {
  it('on SQLite by default: creates the file, migrates, seeds, serves, and stops cleanly on SIGTERM', async () => {
    const file = path.join(tempDir, 'first-start.sqlite3');
    const api = start({ SQLITE_PATH: file });
    const [, baseUrl] = await api.waitFor(LISTENING);
    expect(api.output()).toContain(`Using SQLite file ${file}`);
    expect(api.output()).toContain('Sample data: added 2 users, 2 tokens, 5 types, 3 rocks');

    const health = await fetch(`${baseUrl}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', instance: 'unknown', database: 'ok' }]);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain('SIGTERM received');
  });

  it('finishes a request in flight before exiting on SIGTERM', async () => {
    // At level debug the API logs each request as it arrives, not only as it is answered.
    const api = start({ SQLITE_PATH: path.join(tempDir, 'in-flight.sqlite3'), LOG_LEVEL: 'debug' });
    const [, baseUrl] = await api.waitFor(LISTENING);
    // Verifying a password takes PBKDF2's 600,000 iterations: long enough to still be running at the signal.
    const login = fetch(`${baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'jane@example.com', password: 'password' }),
    });
    await api.waitFor(/"url":"\/login".*incoming request/);
    api.child.kill('SIGTERM');

    const response = await login;
    expect([response.status, await response.json()]).toEqual([200, { valid: true, token: 'ghijkl789012' }]);
    expect(await api.exited).toBe(0);
  });

  it('on PostgreSQL: logs the target without the password and serves the seeded data', async () => {
    const name = await createPostgresDatabase();
    try {
      const api = start({ DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_NAME: name, DB_PASSWORD: 'never-logged-9f8e7d', SSLMODE: 'disable' });
      const [, baseUrl] = await api.waitFor(LISTENING);
      const rocks = await fetch(`${baseUrl}/rocks`, { headers: { authorization: 'Token abcdef123456' } });
      expect(((await rocks.json()) as { name: string }[]).map((rock) => rock.name)).toEqual(['Ernestina', 'Orpha', 'Sasha']);
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect(api.output()).toContain(`Using PostgreSQL at 127.0.0.1:5432/${name} as user postgres (sslmode=disable)`);
      expect(api.output()).not.toContain('never-logged-9f8e7d');
    } finally {
      await dropPostgresDatabase(name);
    }
  });

  it('when PostgreSQL refuses the credentials, exits non-zero at once with one line naming host, port, database and user', async () => {
    const api = start({ DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_USER: 'no_such_rock_user', DB_NAME: 'postgres', DB_PASSWORD: 'wrong-secret-1a2b', SSLMODE: 'disable' });
    expect(await api.exited).toBe(1);
    const fatal = api.output().split('\n').filter((line) => line.includes('Cannot connect'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain('Cannot connect to PostgreSQL at 127.0.0.1:5432/postgres as user no_such_rock_user (sslmode=disable): role \\"no_such_rock_user\\" does not exist');
    expect(api.output()).not.toContain('wrong-secret-1a2b');
    expect(api.output()).not.toContain('retrying');
  });

  it('when nothing listens on the database port, retries for DB_WAIT_SECONDS, then exits non-zero', async () => {
    const api = start({ DB_HOST: '127.0.0.1', DB_PORT: '1', DB_USER: 'rockadmin', DB_WAIT_SECONDS: '1', SSLMODE: 'disable' });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/rockofages as user rockadmin \(sslmode=disable\): .*ECONNREFUSED.*retrying/);
    expect(api.output()).toMatch(/"level":60.*Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/rockofages as user rockadmin/);
  });

  it('when the port is taken, exits non-zero naming it', async () => {
    const first = start({ SQLITE_PATH: path.join(tempDir, 'port-owner.sqlite3') });
    const [, baseUrl] = await first.waitFor(LISTENING);
    const port = new URL(baseUrl!).port;
    const second = start({ SQLITE_PATH: path.join(tempDir, 'port-taker.sqlite3'), PORT: port });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(new RegExp(`"level":60.*Cannot listen on 127\\.0\\.0\\.1:${port}: listen EADDRINUSE`));
  });

  it('with an invalid setting, exits non-zero naming it', async () => {
    const api = start({ SSLMODE: 'sometimes' });
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/Invalid configuration: SSLMODE: /);
  });

  it('MIGRATE_ON_START=false and SEED_ON_START=false leave the database alone', async () => {
    const api = start({ SQLITE_PATH: path.join(tempDir, 'untouched.sqlite3'), MIGRATE_ON_START: 'false', SEED_ON_START: 'false' });
    const [, baseUrl] = await api.waitFor(LISTENING);
    expect(api.output()).not.toContain('Migrations');
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
  });
});

describe('database commands', () => {
  it('setup migrates then seeds; run again it adds nothing', async () => {
    const env = { SQLITE_PATH: path.join(tempDir, 'cli.sqlite3') };
    const first = runApi('cli', env, ['setup']);
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Migrations applied: 2026-11-25-initial-schema');
    expect(first.output()).toContain('Sample data: added 2 users, 2 tokens, 5 types, 3 rocks');

    const second = runApi('cli', env, ['setup']);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('Migrations: already up to date');
    expect(second.output()).toContain('Sample data: added 0 users, 0 tokens, 0 types, 0 rocks');
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const cli = runApi('cli', {}, ['drop-everything']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('Usage: node dist/cli.js <command>');
  });
});
