import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runApi, type ApiProcess } from '@rock-of-ages/test-kit';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { isLoopback, reachableFromOutside } from '../src/config/exposure.js';
import { hasSampleCredentials } from '../src/db/sample-credentials.js';
import { setUpDatabase } from '../src/db/setup.js';
import { createPostgresDatabase, createTestDatabase, DIALECTS, dropPostgresDatabase, type TestDatabase } from './support/test-database.js';

const count = async (database: TestDatabase, table: 'auth_user' | 'authtoken_token' | 'rockapi_type' | 'rockapi_rock') =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.handle.db)).rows[0]?.n);

describe('SEED: which rows the seed adds', () => {
  it('is sample unless set; SEED_ON_START=false still means none; SEED wins over it', () => {
    expect(loadConfig({}).seed).toBe('sample');
    expect(loadConfig({ SEED: 'reference' }).seed).toBe('reference');
    expect(loadConfig({ SEED: 'none' }).seed).toBe('none');
    expect(loadConfig({ SEED_ON_START: 'false' }).seed).toBe('none');
    expect(loadConfig({ SEED_ON_START: 'true' }).seed).toBe('sample');
    expect(loadConfig({ SEED: 'reference', SEED_ON_START: 'false' }).seed).toBe('reference');
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ SEED: 'demo' })).toThrow(/Invalid configuration: SEED: /);
  });
});

describe.each(DIALECTS)('%s: the reference seed and the sample credentials', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    await setUpDatabase(database.handle, { migrate: true, seed: 'none' }, () => {});
  });
  afterEach(async () => {
    await database.destroy();
  });

  it('reference adds the five rock types and nothing else', async () => {
    const reports: string[] = [];
    await setUpDatabase(database.handle, { migrate: false, seed: 'reference' }, (line) => reports.push(line));
    expect(reports).toEqual(['Reference data: added 5 types (existing rows kept; no sample users)']);
    expect([await count(database, 'rockapi_type'), await count(database, 'auth_user'), await count(database, 'authtoken_token'), await count(database, 'rockapi_rock')]).toEqual([5, 0, 0, 0]);
    expect(await hasSampleCredentials(database.handle.db)).toBe(false);
  });

  it('after reference, the first registered user gets id 1 and the next type id 6', async () => {
    await setUpDatabase(database.handle, { migrate: false, seed: 'reference' }, () => {});
    const user = await database.handle.db
      .insertInto('auth_user')
      .values({ username: 'kim', email: 'kim@example.com', password: 'x', first_name: 'K', last_name: 'L', is_superuser: 0, is_staff: 0, is_active: 1, date_joined: '2024-01-01T00:00:00Z', last_login: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const type = await database.handle.db.insertInto('rockapi_type').values({ label: 'Marble' }).returning('id').executeTakeFirstOrThrow();
    expect([user.id, type.id]).toEqual([1, 6]);
  });

  it('none adds nothing and says so', async () => {
    const reports: string[] = [];
    await setUpDatabase(database.handle, { migrate: false, seed: 'none' }, (line) => reports.push(line));
    expect(reports).toEqual(['Seed: skipped (SEED=none)']);
    expect(await count(database, 'rockapi_type')).toBe(0);
  });

  it('the sample seed brings the published credentials; a changed password and deleted tokens take them away', async () => {
    await setUpDatabase(database.handle, { migrate: false, seed: 'sample' }, () => {});
    expect(await hasSampleCredentials(database.handle.db)).toBe(true);

    await database.handle.db.updateTable('auth_user').set({ password: 'pbkdf2_sha256$1000000$new$hash=' }).execute();
    expect(await hasSampleCredentials(database.handle.db)).toBe(true);
    await database.handle.db.deleteFrom('authtoken_token').where('key', '=', 'abcdef123456').execute();
    expect(await hasSampleCredentials(database.handle.db)).toBe(true);
    await database.handle.db.deleteFrom('authtoken_token').where('key', '=', 'ghijkl789012').execute();
    expect(await hasSampleCredentials(database.handle.db)).toBe(false);
  });

  it('switching from sample to reference keeps every row: the seed never deletes', async () => {
    await setUpDatabase(database.handle, { migrate: false, seed: 'sample' }, () => {});
    await setUpDatabase(database.handle, { migrate: false, seed: 'reference' }, () => {});
    expect([await count(database, 'auth_user'), await count(database, 'rockapi_rock')]).toEqual([2, 3]);
    expect(await hasSampleCredentials(database.handle.db)).toBe(true);
  });
});

describe('npm run db:seed and db:setup follow SEED', () => {
  let tempDir: string;
  beforeAll(() => {
    tempDir = mkdtempSync(path.join(tmpdir(), 'rock-seed-cli-'));
  });
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it('setup with SEED=reference loads the types only; seed with SEED=none adds nothing', async () => {
    const env = { SQLITE_PATH: path.join(tempDir, 'cli.sqlite3') };
    const setup = runApi('cli', { ...env, SEED: 'reference' }, ['setup']);
    expect(await setup.exited).toBe(0);
    expect(setup.output()).toContain('Reference data: added 5 types (existing rows kept; no sample users)');
    expect(setup.output()).not.toContain('Sample data');

    const seed = runApi('cli', { ...env, SEED: 'none' }, ['seed']);
    expect(await seed.exited).toBe(0);
    expect(seed.output()).toContain('Seed: skipped (SEED=none)');

    const sample = runApi('cli', env, ['seed']);
    expect(await sample.exited).toBe(0);
    expect(sample.output()).toContain('Sample data: added 2 users, 2 tokens, 0 types, 3 rocks');
  });
});

describe('reachable from outside this machine', () => {
  const sqlite = { dialect: 'sqlite', path: '/srv/api/db.sqlite3' } as const;
  const postgresAt = (host: string) => loadConfig({ DB_HOST: host }).database;

  it('loopback names and addresses, and Unix sockets, stay on the machine', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', '/var/run/postgresql']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.40.0.12', '192.168.1.5', 'postgres-db', 'rock-of-ages-db.c9x.us-east-2.rds.amazonaws.com', 'localhost.example.com']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it('names each reason: an API listening beyond loopback, a PostgreSQL on another host', () => {
    expect(reachableFromOutside({ host: '127.0.0.1', database: sqlite })).toEqual([]);
    expect(reachableFromOutside({ host: '::1', database: postgresAt('localhost') })).toEqual([]);
    expect(reachableFromOutside({ host: '0.0.0.0', database: sqlite })).toEqual(['the API listens on 0.0.0.0']);
    expect(reachableFromOutside({ host: '127.0.0.1', database: postgresAt('db.example.com') })).toEqual(['the database is at db.example.com']);
    expect(reachableFromOutside({ host: '0.0.0.0', database: postgresAt('db.example.com') })).toHaveLength(2);
  });
});

describe('GET /health with the start-up finding', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    await setUpDatabase(database.handle, { migrate: true, seed: 'sample' }, () => {});
  });
  afterAll(async () => {
    await database.destroy();
  });

  it('adds "sample_credentials": true only when the check found them', async () => {
    const config = { ...loadConfig({}), instanceId: 'i-1' };
    const flagged = await buildApp({ config, database: database.handle, sampleCredentials: () => true });
    const clean = await buildApp({ config, database: database.handle, sampleCredentials: () => false });
    try {
      expect((await flagged.inject('/health')).json()).toEqual({ status: 'ok', instance: 'i-1', database: 'ok', sample_credentials: true });
      expect((await clean.inject('/health')).json()).toEqual({ status: 'ok', instance: 'i-1', database: 'ok' });
    } finally {
      await flagged.close();
      await clean.close();
    }
  });
});

describe.each(DIALECTS)('%s: the server at start-up', (dialect) => {
  const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
  const WARNING = /"level":40.*The sample users' credentials work in this database/;
  let running: ApiProcess[] = [];
  let tempDir: string;
  let databaseEnv: () => Promise<Record<string, string>>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(() => {
    tempDir = mkdtempSync(path.join(tmpdir(), 'rock-sample-credentials-'));
    let files = 0;
    databaseEnv = async (): Promise<Record<string, string>> => {
      if (dialect === 'sqlite') return { SQLITE_PATH: path.join(tempDir, `db-${(files += 1)}.sqlite3`) };
      const name = await createPostgresDatabase();
      cleanups.push(() => dropPostgresDatabase(name));
      return { DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_NAME: name, SSLMODE: 'disable' };
    };
  });
  afterEach(() => {
    for (const api of running) api.child.kill('SIGKILL');
    running = [];
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(tempDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const api = runApi('server', { PORT: '0', ...(await databaseEnv()), ...env });
    running.push(api);
    const [, baseUrl] = await api.waitFor(LISTENING);
    const health = (await (await fetch(`${baseUrl}/health`)).json()) as Record<string, unknown>;
    return { output: api.output(), health };
  };

  it('listening on every interface with the sample users: warns once and /health says sample_credentials', async () => {
    const { output, health } = await start({ HOST: '0.0.0.0' });
    expect(output.match(new RegExp(WARNING, 'g'))).toHaveLength(1);
    expect(output).toMatch(/and the API listens on 0\.0\.0\.0: anyone who reaches the API can sign in as john@example\.com/);
    expect(health).toMatchObject({ status: 'ok', database: 'ok', sample_credentials: true });
  });

  it('listening on every interface with SEED=reference: no warning, no flag, no sample user', async () => {
    const { output, health } = await start({ HOST: '0.0.0.0', SEED: 'reference' });
    expect(output).not.toMatch(WARNING);
    expect(output).toContain('Reference data: added 5 types');
    expect(health).toEqual({ status: 'ok', instance: 'unknown', database: 'ok' });
  });

  it('on loopback only, the sample users are the learner\'s own: no warning, no flag', async () => {
    const { output, health } = await start({ HOST: '127.0.0.1' });
    expect(output).not.toMatch(WARNING);
    expect(health).toEqual({ status: 'ok', instance: 'unknown', database: 'ok' });
  });
});
