import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The one PostgreSQL server every suite makes its databases on (trust authentication on this machine and in CI). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** The test server's address and credentials, read from TEST_DATABASE_URL. */
export function testDatabaseServer() {
  const url = new URL(TEST_DATABASE_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  };
}

/** Runs one statement on the test server's own database, with an error that says where to point it. */
export async function onTestServer(statement: string): Promise<void> {
  const server = testDatabaseServer();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach the test PostgreSQL server ${server.user}@${server.host}:${server.port} (${(error as Error).message}); ` +
        'start it, point TEST_DATABASE_URL at one, or run SQLite only with TEST_DIALECTS=sqlite',
      { cause: error },
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The API's environment for database `name` on the test server (or on `port`, a proxy in front of it). */
export function postgresApiEnv(name: string, port?: number): Record<string, string> {
  const server = testDatabaseServer();
  return {
    DB_HOST: server.host,
    DB_PORT: String(port ?? server.port),
    DB_USER: server.user,
    ...(server.password === undefined ? {} : { DB_PASSWORD: server.password }),
    DB_NAME: name,
    SSLMODE: 'disable',
  };
}

export interface ScratchDatabase {
  name: string;
  /** A postgres:// URL of the new database. */
  url: string;
  /** Drops it, closing whatever connections are left. */
  drop: () => Promise<void>;
}

/** A new, empty database on the test server, named `<prefix>_<pid>_<random>`. */
export async function createScratchDatabase(prefix = 'rock_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onTestServer(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => dropScratchDatabase(name) };
}

/** Drops a database made by `createScratchDatabase`, closing whatever connections are left. */
export function dropScratchDatabase(name: string): Promise<void> {
  return onTestServer(`drop database if exists ${name} with (force)`);
}
