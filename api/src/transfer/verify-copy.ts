import { createHash } from 'node:crypto';
import type { AppTable } from '../db/app-tables.js';
import { canonicalRow, checksumLine, ROW_KEY } from './columns.js';
import { copiedBatches } from './copy-rows.js';
import { COPY_ORDER, type Plan } from './plan.js';
import { countRows, readMatching, type Side } from './table-io.js';

export interface TableCheck {
  table: AppTable;
  /** Copied (or already identical) source rows, and how many of them the target has under their keys. */
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  /** Every row of the target table, and how many there should be. */
  targetTotal: number;
  expectedTotal: number;
  ok: boolean;
}

/**
 * Reads every copied row again on both sides and compares SHA-256 checksums of their canonical form
 * (same columns, same text for every value, same order), and the tables' row counts.
 */
export async function verifyCopy(source: Side, target: Side, plan: Plan, inserted: Record<AppTable, number>, replaced: boolean, batchSize: number): Promise<TableCheck[]> {
  const checks: TableCheck[] = [];
  for (const table of COPY_ORDER) {
    const key = ROW_KEY[table];
    const sourceHash = createHash('sha256');
    const targetHash = createHash('sha256');
    let sourceRows = 0;
    let targetRows = 0;
    for await (const { rows } of copiedBatches(source, table, plan, batchSize)) {
      const there = await readMatching(target, table, rows);
      for (const row of rows) {
        sourceHash.update(checksumLine(row));
        sourceRows += 1;
        const match = there.get(row[key] ?? null);
        if (match !== undefined) {
          targetHash.update(checksumLine(canonicalRow(table, match)));
          targetRows += 1;
        }
      }
    }
    const targetTotal = await countRows(target, table);
    const expectedTotal = (replaced ? 0 : plan.tables[table].targetBefore) + inserted[table];
    const [sourceChecksum, targetChecksum] = [sourceHash.digest('hex'), targetHash.digest('hex')];
    checks.push({
      table,
      sourceRows,
      targetRows,
      sourceChecksum,
      targetChecksum,
      targetTotal,
      expectedTotal,
      ok: sourceRows === targetRows && sourceChecksum === targetChecksum && targetTotal === expectedTotal,
    });
  }
  return checks;
}
