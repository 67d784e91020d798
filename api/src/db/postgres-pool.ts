import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { wantsArrayRows } from './array-rows.js';
import { createStatementNames } from './postgres-statement-names.js';
import type { Reachability } from './reachability.js';

export interface PostgresPoolWithSelect extends PostgresPool {
  /**
   * Runs one select on a pooled connection and gives the connection back, as Kysely would, without
   * Kysely's executor, connection provider and result mapping around it (a tenth of a GET /types's
   * instructions). Failures are handled as for any other query.
   */
  select: (sql: string, parameters: readonly unknown[]) => Promise<unknown[]>;
}

/**
 * node-postgres's pool as Kysely's PostgresDialect uses it, made safe for connections that die while
 * a request holds them:
 * - the pool listens for 'error' on idle clients only; a checked-out client whose socket fails
 *   emits 'error' with nobody listening, which ends the process. Every client here has a listener
 *   for as long as it lives;
 * - Kysely gives a client back without saying whether it failed. A client whose connection broke,
 *   or whose query the client-side timeout abandoned (its answer may still come), is given back
 *   with its error, so the pool destroys it instead of lending it to the next request.
 * An error PostgreSQL itself answered (a constraint, a cancelled statement) leaves the connection
 * usable. Every outcome is reported to `reachability`. Each distinct statement is prepared once per
 * connection (a named prepared statement); one that asks for array rows gets them.
 */
export function createPostgresPool(options: pg.PoolConfig, reachability: Reachability, onIdleError: (error: Error) => void): PostgresPoolWithSelect {
  const pool = new pg.Pool(options);
  // An idle client can lose its connection too (a database restart): reported, never thrown.
  pool.on('error', onIdleError);
  const broken = new WeakMap<pg.PoolClient, Error>();
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const statementName = createStatementNames();

  pool.on('connect', (client) => {
    client.on('error', (error) => broken.set(client, error));
  });

  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: (async (text: string, values: unknown[]) => {
      const startedAt = performance.now();
      try {
        const result = await client.query({ name: statementName(text), text, values, ...(wantsArrayRows(text) ? { rowMode: 'array' as const } : {}) });
        reachability.succeeded(startedAt);
        return result;
      } catch (error) {
        if (!(error instanceof pg.DatabaseError)) broken.set(client, error as Error);
        reachability.failed(error, startedAt);
        throw error;
      }
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => {
      const error = broken.get(client) ?? (destroy === true ? new Error('discarded') : undefined);
      client.release(error);
    },
  });

  const connect = async () => {
    const startedAt = performance.now();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      reachability.failed(error, startedAt);
      throw error;
    }
    let wrapper = wrappers.get(client);
    if (wrapper === undefined) wrappers.set(client, (wrapper = wrap(client)));
    return wrapper;
  };

  return {
    connect,
    async select(sql, parameters) {
      const client = await connect();
      try {
        return (await client.query(sql, parameters)).rows;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}
