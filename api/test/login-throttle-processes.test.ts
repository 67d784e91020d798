import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runApi, TEST_DATABASE_URL, type ApiProcess } from '@rock-of-ages/test-kit';
import { loadConfig } from '../src/config/config.js';
import type { Dialect } from '../src/db/database.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from './support/test-database.js';

const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
const LOCK_LOGGED = /Login locked for this account/g;
const LIMIT = loadConfig({}).loginFailureLimit;

/** The servers run with no limit settings: what is tested is the default. */
describe('login throttle across API processes', () => {
  let running: ApiProcess[] = [];
  let cleanUps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const api of running) api.child.kill('SIGKILL');
    await Promise.all(running.map((api) => api.exited));
    for (const cleanUp of cleanUps) await cleanUp();
    running = [];
    cleanUps = [];
  });

  /** The environment of a server on a new, empty database of the dialect. */
  async function databaseEnv(dialect: Dialect): Promise<Record<string, string>> {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(path.join(tmpdir(), 'rock-throttle-'));
      cleanUps.push(async () => rmSync(dir, { recursive: true, force: true }));
      return { SQLITE_PATH: path.join(dir, 'db.sqlite3') };
    }
    const name = await createPostgresDatabase();
    cleanUps.push(() => dropPostgresDatabase(name));
    const admin = new URL(TEST_DATABASE_URL);
    const password = decodeURIComponent(admin.password);
    return {
      DB_HOST: admin.hostname,
      DB_PORT: admin.port || '5432',
      DB_USER: decodeURIComponent(admin.username) || 'postgres',
      DB_NAME: name,
      SSLMODE: 'disable',
      ...(password === '' ? {} : { DB_PASSWORD: password }),
    };
  }

  async function start(env: Record<string, string>): Promise<{ api: ApiProcess; login: (email: string, password: string) => Promise<number> }> {
    const api = runApi('server', { HOST: '127.0.0.1', PORT: '0', ...env });
    running.push(api);
    const [, baseUrl] = await api.waitFor(LISTENING, 60_000);
    const login = async (email: string, password: string) => {
      const response = await fetch(`${baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      await response.body?.cancel();
      return response.status;
    };
    return { api, login };
  }

  it.each(DIALECTS)('%s: the lock survives a restart of the API', async (dialect) => {
    const env = await databaseEnv(dialect);
    const first = await start(env);
    for (let attempt = 0; attempt < LIMIT; attempt++) expect(await first.login('john@example.com', `wrong-${attempt}`)).toBe(200);
    first.api.child.kill('SIGTERM');
    expect(await first.api.exited).toBe(0);

    const second = await start(env);
    expect(await second.login('john@example.com', 'password')).toBe(429);
    expect(await second.login('jane@example.com', 'password')).toBe(200);
  });

  it.runIf(DIALECTS.includes('postgres'))('postgres: two API processes on one database share the count and log the lock once between them', async () => {
    const env = await databaseEnv('postgres');
    const one = await start(env);
    const other = await start(env);
    const statuses = [];
    for (let attempt = 0; attempt < LIMIT; attempt++) statuses.push(await (attempt % 2 === 0 ? one : other).login('john@example.com', `wrong-${attempt}`));

    expect(statuses).toEqual(Array(LIMIT).fill(200));
    expect([await one.login('john@example.com', 'password'), await other.login('john@example.com', 'password')]).toEqual([429, 429]);
    expect(await other.login('jane@example.com', 'password')).toBe(200);
    expect([...one.api.output().matchAll(LOCK_LOGGED), ...other.api.output().matchAll(LOCK_LOGGED)]).toHaveLength(1);
  });
});
