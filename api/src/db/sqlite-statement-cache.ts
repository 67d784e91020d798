import type SqliteDriver from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { wantsArrayRows } from './array-rows.js';

/** Far more than the API's distinct statements; a query built with a variable shape cannot grow the cache without end. */
const MAX_CACHED_STATEMENTS = 500;

/**
 * The connection as Kysely's SQLite driver sees it, preparing each distinct SQL text once: the driver
 * calls `prepare()` for every query, which parses and plans the same statement again each time.
 * Reusing a statement is safe here because the driver runs one query at a time on its one connection.
 */
export function withStatementCache(connection: SqliteDriver.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        const prepared = connection.prepare(sql);
        if (wantsArrayRows(sql)) prepared.raw(true);
        statement = prepared;
        if (statements.size < MAX_CACHED_STATEMENTS) statements.set(sql, statement);
      }
      return statement;
    },
    close: () => connection.close(),
  };
}
