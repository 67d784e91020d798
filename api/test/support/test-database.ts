import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type DatabaseConfig, type PostgresConfig } from '../../src/config/config.js';
import { createDatabase, type DatabaseHandle, type Dialect } from '../../src/db/database.js';

/** Every suite runs once per dialect; TEST_DIALECTS=sqlite (or postgres) narrows the loop. */
export const DIALECTS: Dialect[] = (process.env.TEST_DIALECTS ?? 'sqlite,postgres')
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is Dialect => name === 'sqlite' || name === 'postgres');

/** The server the PostgreSQL tests create their databases on (trust auth on this machine and in CI). */
export const ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  config: DatabaseConfig;
  handle: DatabaseHandle;
  /** Closes the handle and deletes the file or drops the database. */
  destroy: () => Promise<void>;
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A new, empty PostgreSQL database; returns its name. */
export async function createPostgresDatabase(): Promise<string> {
  const name = `rock_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  return name;
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
}

/** The configuration's default database timeouts, for configurations the tests write out. */
const defaults = loadConfig({ DB_HOST: 'localhost' }).database as PostgresConfig;
export const DEFAULT_DATABASE_TIMEOUTS = { connectTimeoutMs: defaults.connectTimeoutMs, queryTimeoutMs: defaults.queryTimeoutMs };

export function postgresConfig(database: string, overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  const admin = new URL(ADMIN_URL);
  return {
    dialect: 'postgres',
    host: admin.hostname,
    port: Number(admin.port || 5432),
    database,
    user: decodeURIComponent(admin.username) || 'postgres',
    password: admin.password === '' ? undefined : decodeURIComponent(admin.password),
    sslMode: 'disable',
    sslRootCert: undefined,
    poolMax: 5,
    ...DEFAULT_DATABASE_TIMEOUTS,
    ...overrides,
  } as DatabaseConfig;
}

/** A fresh database of the dialect, with no tables yet. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rock-test-'));
    const config: DatabaseConfig = { dialect: 'sqlite', path: path.join(dir, 'db.sqlite3') };
    const handle = createDatabase(config);
    return {
      config,
      handle,
      destroy: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = await createPostgresDatabase();
  const config = postgresConfig(name);
  const handle = createDatabase(config);
  return {
    config,
    handle,
    destroy: async () => {
      await handle.close();
      await dropPostgresDatabase(name);
    },
  };
}
