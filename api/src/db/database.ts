import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type KyselyConfig } from 'kysely';
import pg from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, type DatabaseConfig, type PostgresConfig, type SqliteConfig } from '../config/config.js';
import { createPostgresPool } from './postgres-pool.js';
import { runPrecompiledSelectsOn } from './precompiled-query.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { openSqliteReads } from './sqlite-reads.js';
import { createReachability, type Reachability, type ReachabilityChange } from './reachability.js';
import type { Database } from './schema.js';

export type Dialect = DatabaseConfig['dialect'];

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes the pool or the file; safe to call twice. */
  close: () => Promise<void>;
}

export interface DatabaseEvents {
  /** The database stopped answering, or answers again: once per change, not once per failed call. */
  onReachabilityChange?: (change: ReachabilityChange) => void;
  /** An idle PostgreSQL connection failed (the pool replaces it). */
  onIdleConnectionError?: (error: Error) => void;
}

export function createDatabase(config: DatabaseConfig, events: DatabaseEvents = {}): DatabaseHandle {
  const reachability = createReachability((change) => events.onReachabilityChange?.(change));
  return config.dialect === 'sqlite' ? openSqlite(config, reachability) : openPostgres(config, reachability, events.onIdleConnectionError);
}

/** Kysely's query log, used to learn whether SQLite answers (PostgreSQL's pool reports for itself). */
function reportTo(reachability: Reachability): KyselyConfig['log'] {
  return (event) => {
    const startedAt = performance.now() - event.queryDurationMillis;
    if (event.level === 'error') reachability.failed(event.error, startedAt);
    else reachability.succeeded(startedAt);
  };
}

/** How long a statement waits for another connection's lock before it fails (and the request gets a 503). */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

function openSqlite(config: SqliteConfig, reachability: Reachability): DatabaseHandle {
  mkdirSync(path.dirname(config.path), { recursive: true });
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: () => {
        const connection = new SqliteDriver(config.path);
        // WAL lets readers run while a write is in progress; foreign keys give the cascading deletes.
        connection.pragma('journal_mode = WAL');
        connection.pragma('foreign_keys = ON');
        connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        return Promise.resolve(withStatementCache(connection));
      },
    }),
    log: reportTo(reachability),
  });
  const reads = openSqliteReads(config.path, SQLITE_BUSY_TIMEOUT_MS, reachability);
  runPrecompiledSelectsOn(db, reads.select);
  return {
    db,
    dialect: 'sqlite',
    close: once(async () => {
      await db.destroy();
      reads.close();
    }),
  };
}

const INT8_OID = 20;

function openPostgres(config: PostgresConfig, reachability: Reachability, onIdleError: (error: Error) => void = () => {}): DatabaseHandle {
  const options: pg.PoolConfig = {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    ssl: sslOptions(config),
    max: config.poolMax,
    // Every database call is bounded: waiting for a connection, and each statement (PostgreSQL
    // cancels it; the client gives up a second later should the server not answer at all).
    connectionTimeoutMillis: config.connectTimeoutMs,
    statement_timeout: config.queryTimeoutMs,
    query_timeout: config.queryTimeoutMs + 1_000,
    idleTimeoutMillis: 30_000,
    application_name: 'rock-of-ages-api',
    // COUNT(*) is int8: small enough here to be a plain number, as SQLite returns it.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  };
  const pool = createPostgresPool(options, reachability, onIdleError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  runPrecompiledSelectsOn(db, pool.select);
  return { db, dialect: 'postgres', close: once(() => db.destroy()) };
}

/**
 * Maps libpq's sslmode to Node's TLS options explicitly: node-postgres would otherwise treat
 * "require" as "verify-full", which fails against RDS without its CA bundle.
 */
export function sslOptions(config: PostgresConfig): false | ConnectionOptions {
  switch (config.sslMode) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      // The chain is checked, the host name is not (libpq's meaning of verify-ca).
      return { rejectUnauthorized: true, ca: readCa(config.sslRootCert), checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca: readCa(config.sslRootCert) };
  }
}

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`DB_SSLROOTCERT cannot be read: ${(error as Error).message}`);
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}

/**
 * An existing SQLite file, for reading only: never creates the file or its folder and never changes
 * its journal mode (the doctor and the transfer must leave a learner's database exactly as it was).
 */
export function openReadOnlySqlite(file: string): DatabaseHandle {
  const connection = new SqliteDriver(file, { readonly: true, fileMustExist: true });
  try {
    // Opening succeeds on any file; the first read tells whether it is a database at all.
    connection.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    connection.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
  return { db, dialect: 'sqlite', close: once(() => db.destroy()) };
}
