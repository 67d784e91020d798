import { sql } from 'kysely';
import type { AppTable } from '../db/app-tables.js';
import { canonicalRow, checksumLine, InvalidValue, ROW_KEY, type CanonicalRow, type CanonicalValue, type RawRow } from './columns.js';
import { findCaseDuplicates, findOrphans, LISTED, type SourceFinding } from './source-checks.js';
import { countAll, readBatches, readMatching, type Side } from './table-io.js';

/** Parents before children: a skipped user or type takes its tokens and rocks with it. */
export const COPY_ORDER: AppTable[] = ['auth_user', 'rockapi_type', 'authtoken_token', 'rockapi_rock'];

export interface TablePlan {
  source: number;
  /** Rows the target does not have: these are copied. */
  new: number;
  /** Rows the target already has, value for value. */
  identical: number;
  /** Rows that collide with a different row of the target (or an earlier one of the source). */
  conflicts: number;
  /** Rows whose user or type is one of the conflicts. */
  dependents: number;
  targetBefore: number;
  /** Target rows the source does not have at all. */
  targetOnly: number;
}

export interface Findings {
  listed: SourceFinding[];
  count: number;
}

export interface Plan {
  tables: Record<AppTable, TablePlan>;
  /** Values PostgreSQL cannot store, rows pointing at nothing: no option copies these. */
  problems: Findings;
  /** Rows that differ from what the target (or the source itself) already holds under their key. */
  conflicts: Findings;
  /** Keys of the conflicting rows, and the users and types whose dependents stay behind. */
  skip: { keys: Record<AppTable, Set<CanonicalValue>>; users: Set<number>; types: Set<number> };
  /** Whether the target held any row of the four tables when the plan was made. */
  targetHadRows: boolean;
}

type Verdict = { kind: 'new' } | { kind: 'identical' } | { kind: 'changed' | 'taken'; message: string };

const emptyPlan = (): TablePlan => ({ source: 0, new: 0, identical: 0, conflicts: 0, dependents: 0, targetBefore: 0, targetOnly: 0 });

function describeUser(row: CanonicalRow | RawRow): string {
  return `${String(row.username)}${row.email !== '' && row.email !== row.username ? ` <${String(row.email)}>` : ''}`;
}

function differingColumns(source: CanonicalRow, target: CanonicalRow): string {
  return Object.keys(source)
    .filter((column) => source[column] !== target[column])
    .join(', ');
}

/** Target users that share a username or e-mail (ignoring case) with one of `rows`. */
async function usersSharingNames(target: Side, rows: CanonicalRow[]): Promise<RawRow[]> {
  const usernames = rows.map((row) => String(row.username));
  const emails = rows.map((row) => String(row.email)).filter((email) => email !== '');
  const { rows: found } = await sql<RawRow>`
    select id, username, email from auth_user
    where lower(username) = any (select lower(name) from unnest(${usernames}::text[]) as name)
       or (email <> '' and lower(email) = any (select lower(name) from unnest(${emails}::text[]) as name))`.execute(target.db);
  return found;
}

/** The target's tokens of the users these tokens belong to: a user has one token at most. */
async function tokensOfUsers(target: Side, rows: CanonicalRow[]): Promise<Map<number, string>> {
  const { rows: found } = await sql<{ key: string; user_id: number }>`select key, user_id from authtoken_token where user_id in (${sql.join(rows.map((row) => row.user_id))})`.execute(target.db);
  return new Map(found.map((row) => [row.user_id, row.key]));
}

/** Compares one batch of source rows with the target's rows under the same keys. */
async function judgeBatch(table: AppTable, rows: CanonicalRow[], target: Side): Promise<{ verdicts: Verdict[]; matchedByKey: number }> {
  if (rows.length === 0) return { verdicts: [], matchedByKey: 0 };
  const key = ROW_KEY[table];
  const existing = await readMatching(target, table, rows);
  const byKey = new Map([...existing].map(([value, row]) => [value, canonicalRow(table, row)]));
  const sameNames = table === 'auth_user' ? await usersSharingNames(target, rows) : [];
  const tokenOwners = table === 'authtoken_token' ? await tokensOfUsers(target, rows) : new Map<number, string>();

  const verdicts = rows.map((row): Verdict => {
    const there = byKey.get(row[key] ?? null);
    if (there !== undefined) {
      if (checksumLine(there) === checksumLine(row)) return { kind: 'identical' };
      if (table === 'auth_user' && there.username !== row.username) {
        return { kind: 'taken', message: `id ${String(row.id)} is ${describeUser(there)} in the target, ${describeUser(row)} in the source` };
      }
      if (table === 'rockapi_type' && there.label !== row.label) {
        return { kind: 'taken', message: `id ${String(row.id)} is "${String(there.label)}" in the target, "${String(row.label)}" in the source` };
      }
      if (table === 'authtoken_token' && there.user_id !== row.user_id) {
        return { kind: 'taken', message: `this key belongs to user ${String(there.user_id)} in the target, to user ${String(row.user_id)} in the source` };
      }
      return { kind: 'changed', message: `differs in ${differingColumns(row, there)}; the target's version is kept` };
    }
    if (table === 'auth_user') {
      const lower = (value: unknown) => String(value).toLowerCase();
      const other = sameNames.find(
        (user) => user.id !== row.id && (lower(user.username) === lower(row.username) || (row.email !== '' && lower(user.email) === lower(row.email))),
      );
      if (other !== undefined) return { kind: 'taken', message: `${describeUser(row)} is already user ${String(other.id)} (${describeUser(other)}) in the target` };
    }
    if (table === 'authtoken_token') {
      if (tokenOwners.has(Number(row.user_id))) return { kind: 'changed', message: `user ${String(row.user_id)} already has another token in the target, which is kept` };
    }
    return { kind: 'new' };
  });
  return { verdicts, matchedByKey: rows.filter((row) => existing.has(row[key] ?? null)).length };
}

const parentSkipped = (table: AppTable, row: CanonicalRow, skip: Plan['skip']): string | undefined => {
  if ((table === 'authtoken_token' || table === 'rockapi_rock') && skip.users.has(Number(row.user_id))) return `user ${String(row.user_id)}`;
  if (table === 'rockapi_rock' && skip.types.has(Number(row.type_id))) return `type ${String(row.type_id)}`;
  return undefined;
};

function note(findings: Findings, finding: SourceFinding): void {
  findings.count += 1;
  if (findings.listed.length < LISTED) findings.listed.push(finding);
}

/**
 * Reads the whole source once, batch by batch, and decides for every row: copy it, already there,
 * a conflict, or a problem no option fixes. `target` is undefined when its tables do not exist yet
 * (or, with `compare` false, are about to be emptied): then nothing conflicts with it.
 */
export async function makePlan(source: Side, target: Side | undefined, options: { compare: boolean; batchSize: number }): Promise<Plan> {
  const { batchSize } = options;
  const tables = Object.fromEntries(COPY_ORDER.map((table) => [table, emptyPlan()])) as Record<AppTable, TablePlan>;
  const plan: Plan = {
    tables,
    problems: { listed: [], count: 0 },
    conflicts: { listed: [], count: 0 },
    skip: { keys: Object.fromEntries(COPY_ORDER.map((table) => [table, new Set()])) as Plan['skip']['keys'], users: new Set(), types: new Set() },
    targetHadRows: false,
  };

  const orphans = await findOrphans(source);
  plan.problems = { listed: [...orphans.listed], count: orphans.count };
  const duplicates = await findCaseDuplicates(source);

  const before = target === undefined ? undefined : await countAll(target);
  plan.targetHadRows = before !== undefined && Object.values(before).some((count) => count > 0);
  const compare = options.compare && target !== undefined && plan.targetHadRows ? target : undefined;

  for (const table of COPY_ORDER) {
    const counts = tables[table];
    counts.targetBefore = before?.[table] ?? 0;
    let matchedByKey = 0;
    for await (const batch of readBatches(source, table, batchSize)) {
      counts.source += batch.length;
      const rows: CanonicalRow[] = [];
      for (const raw of batch) {
        try {
          rows.push(canonicalRow(table, raw));
        } catch (error) {
          if (!(error instanceof InvalidValue)) throw error;
          note(plan.problems, { table, key: String(raw[ROW_KEY[table]]), message: error.message });
        }
      }
      const judged = compare === undefined ? { verdicts: rows.map((): Verdict => ({ kind: 'new' })), matchedByKey: 0 } : await judgeBatch(table, rows, compare);
      matchedByKey += judged.matchedByKey;
      rows.forEach((row, index) => {
        const key = row[ROW_KEY[table]] ?? null;
        const parent = parentSkipped(table, row, plan.skip);
        const duplicate = table === 'auth_user' ? duplicates.get(Number(row.id)) : undefined;
        const verdict: Verdict = duplicate !== undefined ? { kind: 'taken', message: duplicate } : (judged.verdicts[index] ?? { kind: 'new' });
        if (parent !== undefined) {
          counts.dependents += 1;
        } else if (verdict.kind === 'new') {
          counts.new += 1;
        } else if (verdict.kind === 'identical') {
          counts.identical += 1;
        } else {
          counts.conflicts += 1;
          plan.skip.keys[table].add(key);
          if (verdict.kind === 'taken' && table === 'auth_user') plan.skip.users.add(Number(row.id));
          if (verdict.kind === 'taken' && table === 'rockapi_type') plan.skip.types.add(Number(row.id));
          note(plan.conflicts, { table, key: String(key), message: verdict.message });
        }
      });
    }
    counts.targetOnly = counts.targetBefore - matchedByKey;
  }
  return plan;
}

/** Whether the plan may be carried out: no problem, and conflicts or foreign rows only when told how. */
export function blockers(plan: Plan, options: { skipConflicts: boolean; replace: boolean }): string[] {
  const reasons: string[] = [];
  if (plan.problems.count > 0) reasons.push(`${plan.problems.count} source row(s) cannot be stored in PostgreSQL as they are: correct them in the source first`);
  if (!options.skipConflicts && plan.conflicts.count > 0) {
    reasons.push(`${plan.conflicts.count} row(s) conflict: --on-conflict=skip keeps what is already there${options.replace ? '' : ', --replace empties the target first'}`);
  }
  const foreign = COPY_ORDER.reduce((sum, table) => sum + plan.tables[table].targetOnly, 0);
  if (!options.skipConflicts && !options.replace && foreign > 0) {
    reasons.push(`the target already holds ${foreign} other row(s): --on-conflict=skip keeps them and copies around them, --replace deletes them first`);
  }
  return reasons;
}
