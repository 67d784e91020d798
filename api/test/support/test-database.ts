import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createScratchDatabase, dropScratchDatabase, selectDialects, testDatabaseServer } from '@rock-of-ages/test-kit';
import { loadConfig, type DatabaseConfig, type PostgresConfig } from '../../src/config/config.js';
import { createDatabase, type DatabaseHandle, type Dialect } from '../../src/db/database.js';

/** Every suite runs once per dialect; TEST_DIALECTS=sqlite (or postgres) narrows the loop. */
export const DIALECTS: Dialect[] = selectDialects();

export interface TestDatabase {
  config: DatabaseConfig;
  handle: DatabaseHandle;
  /** Closes the handle and deletes the file or drops the database. */
  destroy: () => Promise<void>;
}

/** A new, empty PostgreSQL database on the test server (TEST_DATABASE_URL); returns its name. */
export async function createPostgresDatabase(): Promise<string> {
  return (await createScratchDatabase()).name;
}

export const dropPostgresDatabase = dropScratchDatabase;

/** The configuration's default database timeouts, for configurations the tests write out. */
const defaults = loadConfig({ DB_HOST: 'localhost' }).database as PostgresConfig;
export const DEFAULT_DATABASE_TIMEOUTS = { connectTimeoutMs: defaults.connectTimeoutMs, queryTimeoutMs: defaults.queryTimeoutMs };

/** The API's configuration for `database` on the test server. */
export function postgresConfig(database: string, overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  const server = testDatabaseServer();
  return {
    dialect: 'postgres',
    host: server.host,
    port: server.port,
    database,
    user: server.user,
    password: server.password,
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
