import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** A database of the API's own for one run: the environment that points the API at it, and its removal. */
export interface TestDatabase {
  apiEnv: Record<string, string>;
  drop(): Promise<void>;
}

/** E2E_DIALECTS=sqlite (or postgres, or both comma-separated) narrows the run; both by default. */
export function selectDialects(setting = process.env.E2E_DIALECTS): Dialect[] {
  if (setting === undefined || setting.trim() === '') return [...DIALECTS];
  const wanted = setting.split(',').map((name) => name.trim());
  const unknown = wanted.filter((name) => !(DIALECTS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`E2E_DIALECTS: unknown dialect ${unknown.join(', ')} (use ${DIALECTS.join(', ')})`);
  return DIALECTS.filter((dialect) => wanted.includes(dialect));
}

export function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqliteDatabase() : createPostgresDatabase();
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rock-e2e-'));
  return {
    // Empty DB_HOST and DATABASE_URL also outrank any api/.env that names a PostgreSQL server.
    apiEnv: { SQLITE_PATH: path.join(dir, 'rock-of-ages.sqlite3'), DB_HOST: '', DATABASE_URL: '' },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The local server (trust auth, user postgres) unless the usual PG* variables say otherwise. */
function postgresServer() {
  return {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD ?? '',
  };
}

async function withAdminConnection(statement: string): Promise<void> {
  const server = postgresServer();
  const client = new pg.Client({ ...server, database: 'postgres' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL as ${server.user}@${server.host}:${server.port} (${(error as Error).message}); ` +
        'start it, point PGHOST/PGPORT/PGUSER/PGPASSWORD at one, or run SQLite only with E2E_DIALECTS=sqlite',
      { cause: error },
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  const server = postgresServer();
  const name = `rock_e2e_${randomBytes(6).toString('hex')}`;
  await withAdminConnection(`CREATE DATABASE ${name}`);
  return {
    apiEnv: {
      DB_HOST: server.host,
      DB_PORT: String(server.port),
      DB_USER: server.user,
      DB_PASSWORD: server.password,
      DB_NAME: name,
      SSLMODE: 'disable',
      DATABASE_URL: '',
    },
    drop: () => withAdminConnection(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
