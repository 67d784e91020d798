import type { Compilable, Kysely } from 'kysely';
import { ARRAY_ROWS } from './array-rows.js';
import type { Database } from './schema.js';

type SelectRunner = (sql: string, parameters: readonly unknown[]) => unknown[] | Promise<unknown[]>;

/** Where each database's precompiled selects run instead of through Kysely: SQLite's read connection, PostgreSQL's pool. */
const selectRunners = new WeakMap<Kysely<Database>, SelectRunner>();

/** From now on, `db`'s precompiled selects run on `select`; its other statements still go through Kysely. */
export function runPrecompiledSelectsOn(db: Kysely<Database>, select: SelectRunner): void {
  selectRunners.set(db, select);
}

/**
 * A query built and compiled once, then run with new values: Kysely would otherwise build and
 * compile the same SQL on every request. Build it with placeholder values; `run` takes the real ones
 * in the order their placeholders appear in the SQL (a wrong count is refused, never run).
 */
export function precompile<Row>(db: Kysely<Database>, query: Compilable<Row>) {
  return run<Row>(db, query.compile());
}

/**
 * The same, for a query that reads many rows: each row comes as an array of its values in the order
 * the query selects them (`Values`, which the caller states beside the select), not as an object.
 */
export function precompileAsArrays<Values extends unknown[]>(db: Kysely<Database>, query: Compilable<unknown>) {
  const compiled = query.compile();
  return run<Values>(db, { ...compiled, sql: ARRAY_ROWS + compiled.sql });
}

function run<Row>(db: Kysely<Database>, compiled: ReturnType<Compilable<unknown>['compile']>) {
  const isSelect = compiled.query.kind === 'SelectQueryNode';
  return async (...parameters: unknown[]): Promise<Row[]> => {
    if (parameters.length !== compiled.parameters.length) {
      throw new Error(`This query takes ${compiled.parameters.length} values, not ${parameters.length}: ${compiled.sql}`);
    }
    const select = isSelect ? selectRunners.get(db) : undefined;
    if (select !== undefined) return (await select(compiled.sql, parameters)) as Row[];
    return (await db.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}

/** The first row of a query that always returns one (an insert's `returning`, a row just written). */
export function firstRow<Row>(rows: Row[]): Row {
  const [row] = rows;
  if (row === undefined) throw new Error('The query returned no row');
  return row;
}
