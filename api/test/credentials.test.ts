import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runApi, type ApiProcess } from '@rock-of-ages/test-kit';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';

/** The shared server trusts everyone; this one checks passwords, as RDS does. */
describe('start-up against a PostgreSQL that checks passwords', () => {
  let server: PrivatePostgres;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterEach(() => {
    api?.child.kill('SIGKILL');
  });
  afterAll(() => {
    server?.stop();
  });

  const start = (password: string, database = 'rockofages') =>
    (api = runApi('server', {
      HOST: '127.0.0.1',
      PORT: '0',
      DB_HOST: '127.0.0.1',
      DB_PORT: String(server.port),
      DB_NAME: database,
      DB_USER: server.passwordRole.user,
      DB_PASSWORD: password,
      SSLMODE: 'require',
    }));

  it('a wrong password ends the start at once: exit 1, one line naming host, port, database and user, no password', async () => {
    const run = start('wrong-password-5c4b');
    expect(await run.exited).toBe(1);
    const lines = run.output().split('\n').filter((line) => line.includes('Cannot connect'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(
      `Cannot connect to PostgreSQL at 127.0.0.1:${server.port}/rockofages as user rockadmin (sslmode=require): password authentication failed for user \\"rockadmin\\"`,
    );
    expect(run.output()).not.toContain('wrong-password-5c4b');
    expect(run.output()).not.toContain('retrying');
  });

  it('a database the role may not create tables in ends the start with a clear migration error', async () => {
    const run = start(server.passwordRole.password, 'postgres');
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/"level":60.*"msg":"Migrations could not run: permission denied for schema public"/);
  });

  it('the right password starts the server, which migrates, seeds and serves', async () => {
    const run = start(server.passwordRole.password);
    const [, baseUrl] = await run.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const health = await fetch(`${baseUrl}/health`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', instance: 'unknown', database: 'ok' }]);
    expect(run.output()).toContain('Sample data: added 2 users, 2 tokens, 5 types, 3 rocks');
    expect(run.output()).not.toContain(server.passwordRole.password);
  });
});
