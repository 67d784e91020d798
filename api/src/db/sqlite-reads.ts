import SqliteDriver from 'better-sqlite3';
import type { Reachability } from './reachability.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export interface SqliteReads {
  /** Runs one select; its rows come as its statement gives them (arrays for `precompileAsArrays`). */
  select: (sql: string, parameters: readonly unknown[]) => unknown[];
  close: () => void;
}

/**
 * A second connection to the API's SQLite file, for the precompiled selects only: better-sqlite3
 * runs every statement synchronously, so a select needs neither Kysely's lock on the one connection
 * nor the ten promise steps around it (a sixth of a GET /types). WAL lets it read while the other
 * connection writes; it sees what has been committed, as another process would, and never waits
 * for a transaction in progress. It is opened at the first select (after the setup has made the
 * file) and can only read.
 */
export function openSqliteReads(file: string, busyTimeoutMs: number, reachability: Reachability): SqliteReads {
  let statements: ReturnType<typeof withStatementCache> | undefined;
  const open = () => {
    const connection = new SqliteDriver(file, { fileMustExist: true });
    connection.pragma('query_only = ON');
    connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
    return withStatementCache(connection);
  };
  return {
    select(sql, parameters) {
      const startedAt = performance.now();
      try {
        statements ??= open();
        const rows = statements.prepare(sql).all(parameters);
        reachability.succeeded(startedAt);
        return rows as unknown[];
      } catch (error) {
        reachability.failed(error, startedAt);
        throw error;
      }
    },
    close: () => statements?.close(),
  };
}
