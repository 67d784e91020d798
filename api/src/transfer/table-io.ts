import { sql } from 'kysely';
import { APP_TABLE_NAMES, type AppTable } from '../db/app-tables.js';
import type { DatabaseSide } from '../db/find-app-tables.js';
import { COLUMNS, PAGE_KEY, ROW_KEY, selectList, type CanonicalRow, type CanonicalValue, type RawRow } from './columns.js';

/** A database (or a transaction on one) and its engine. */
export type Side = DatabaseSide;

/** Reads a table in batches, in order of its page key: memory holds one batch at a time. */
export async function* readBatches(side: Side, table: AppTable, batchSize: number): AsyncGenerator<RawRow[]> {
  const key = PAGE_KEY[table];
  for (let after: unknown = undefined; ; ) {
    const from = after === undefined ? sql`` : sql`where ${sql.ref(key)} > ${after}`;
    const { rows } = await sql<RawRow>`select ${selectList(table, side.dialect)} from ${sql.table(table)} ${from} order by ${sql.ref(key)} limit ${batchSize}`.execute(side.db);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]?.[key];
  }
}

/**
 * The rows of a table under the primary keys of `rows` (a batch in page-key order), by key. Where the
 * page key is the primary key, one index range scan: a list of a thousand ids can lead PostgreSQL,
 * which has no statistics yet for rows written in the same transaction, to scan the whole table.
 */
export async function readMatching(side: Side, table: AppTable, rows: CanonicalRow[]): Promise<Map<CanonicalValue, RawRow>> {
  if (rows.length === 0) return new Map();
  const key = ROW_KEY[table];
  const range = PAGE_KEY[table] === key;
  const where = range
    ? sql`${sql.ref(key)} between ${rows[0]?.[key] ?? null} and ${rows[rows.length - 1]?.[key] ?? null}`
    : sql`${sql.ref(key)} in (${sql.join(rows.map((row) => row[key] ?? null))})`;
  const { rows: found } = await sql<RawRow>`select ${selectList(table, side.dialect)} from ${sql.table(table)} where ${where}`.execute(side.db);
  return new Map(found.map((row) => [row[key] as CanonicalValue, row]));
}

export async function countRows(side: Side, table: AppTable): Promise<number> {
  const { rows } = await sql<{ count: number | string }>`select count(*) as count from ${sql.table(table)}`.execute(side.db);
  return Number(rows[0]?.count ?? 0);
}

export async function countAll(side: Side): Promise<Record<AppTable, number>> {
  const counts = {} as Record<AppTable, number>;
  for (const table of APP_TABLE_NAMES) counts[table] = await countRows(side, table);
  return counts;
}

const ARRAY_TYPE = { integer: 'int[]', text: 'text[]', timestamp: 'timestamptz[]', flag: 'boolean[]', decimal: 'numeric[]' } as const;

/**
 * Inserts a batch with one array parameter per column (`unnest`): PostgreSQL parses one short
 * statement instead of thousands of parameters. Returns how many rows were inserted.
 */
export async function insertRows(side: Side, table: AppTable, rows: CanonicalRow[], ignoreConflicts: boolean): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.entries(COLUMNS[table]);
  const arrays = sql.join(columns.map(([name, column]) => sql`${rows.map((row) => row[name] ?? null)}::${sql.raw(ARRAY_TYPE[column.kind])}`));
  const names = sql.join(columns.map(([name]) => sql.ref(name)));
  const result = await sql`insert into ${sql.table(table)} (${names}) select * from unnest(${arrays})${ignoreConflicts ? sql` on conflict do nothing` : sql``}`.execute(side.db);
  return Number(result.numAffectedRows ?? 0);
}
