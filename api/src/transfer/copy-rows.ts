import type { AppTable } from '../db/app-tables.js';
import { canonicalRow, ROW_KEY, type CanonicalRow } from './columns.js';
import type { Plan } from './plan.js';
import type { Side } from './table-io.js';
import { insertRows, readBatches } from './table-io.js';

/** Whether the plan copies this source row: not a conflict, and its user and type are copied too. */
export function isCopied(table: AppTable, row: CanonicalRow, plan: Plan): boolean {
  if (plan.skip.keys[table].has(row[ROW_KEY[table]] ?? null)) return false;
  if ((table === 'authtoken_token' || table === 'rockapi_rock') && plan.skip.users.has(Number(row.user_id))) return false;
  return !(table === 'rockapi_rock' && plan.skip.types.has(Number(row.type_id)));
}

/** The source's rows of `table` that the plan copies, as canonical rows, batch by batch (`read`: rows read). */
export async function* copiedBatches(source: Side, table: AppTable, plan: Plan, batchSize: number): AsyncGenerator<{ rows: CanonicalRow[]; read: number }> {
  for await (const batch of readBatches(source, table, batchSize)) {
    yield { rows: batch.map((raw) => canonicalRow(table, raw)).filter((row) => isCopied(table, row, plan)), read: batch.length };
  }
}

/**
 * Writes the rows the plan copies. Rows already in the target (identical ones) are left to
 * `on conflict do nothing`; returns how many rows were inserted.
 */
export async function copyTable(source: Side, target: Side, table: AppTable, plan: Plan, batchSize: number, advance: (rows: number) => void): Promise<number> {
  let inserted = 0;
  for await (const { rows, read } of copiedBatches(source, table, plan, batchSize)) {
    inserted += await insertRows(target, table, rows, plan.targetHadRows);
    advance(read);
  }
  return inserted;
}
