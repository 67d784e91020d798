import { sql, type Kysely, type Transaction } from 'kysely';
import { describeDatabase, type DatabaseConfig, type PostgresConfig } from '../config/config.js';
import { APP_TABLE_NAMES, type AppTable } from '../db/app-tables.js';
import { createDatabase, openReadOnlySqlite, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { moveSequencesPastIds } from '../db/sequences.js';
import { ROCK_TYPES_QUERY, ROCKS_WITH_OWNERS_QUERY, TOTALS_QUERY } from '../db/workshop-queries.js';
import { copyTable } from './copy-rows.js';
import { blockers, COPY_ORDER, makePlan, type Plan } from './plan.js';
import { Progress, type ProgressOutput } from './progress.js';
import { findAppTables } from '../db/find-app-tables.js';
import { countAll, type Side } from './table-io.js';
import { verifyCopy, type TableCheck } from './verify-copy.js';

export interface TransferOptions {
  source: DatabaseConfig;
  target: PostgresConfig;
  /** --on-conflict=skip: keep what the target (or the source's first of two duplicates) already has. */
  skipConflicts: boolean;
  /** --replace: empty the four tables of the target first. */
  replace: boolean;
  dryRun: boolean;
  batchSize: number;
  /** Asked before --replace deletes rows; false stops the run. */
  confirm: (question: string) => Promise<boolean>;
  output: ProgressOutput;
}

/** A failure the transfer explains in a sentence; nothing was written. */
export class TransferError extends Error {
  override name = 'TransferError';
}

class VerificationFailed extends Error {
  override name = 'VerificationFailed';
  constructor(readonly checks: TableCheck[]) {
    super('the verification found differences');
  }
}

const LOCK_TIMEOUT = '10s';
const number = (value: number) => value.toLocaleString('en-US');
const counts = (values: Record<AppTable, number>) => APP_TABLE_NAMES.map((table) => `${table} ${number(values[table])}`).join(', ');

function openSource(config: DatabaseConfig): DatabaseHandle {
  if (config.dialect === 'postgres') return createDatabase({ ...config, poolMax: 1 });
  try {
    return openReadOnlySqlite(config.path);
  } catch (error) {
    throw new TransferError(`Cannot read the source ${config.path}: ${(error as Error).message}`);
  }
}

async function connect(handle: DatabaseHandle, config: DatabaseConfig, role: string): Promise<void> {
  try {
    await sql`select 1`.execute(handle.db);
  } catch (error) {
    const doctor = role === 'target' ? ' (npm run doctor -w api, with the same settings, checks it step by step)' : '';
    throw new TransferError(`Cannot connect to the ${role}, ${describeDatabase(config)}: ${(error as Error).message}${doctor}`);
  }
}

function printPlan(plan: Plan, options: TransferOptions, say: (line: string) => void): void {
  say('');
  say(`  ${'table'.padEnd(16)}${['source', 'to copy', 'already there', 'conflicts', 'left out', options.replace ? 'to delete' : 'target only'].map((title) => title.padStart(14)).join('')}`);
  for (const table of COPY_ORDER) {
    const row = plan.tables[table];
    const last = options.replace ? row.targetBefore : row.targetOnly;
    say(`  ${table.padEnd(16)}${[row.source, row.new, row.identical, row.conflicts, row.dependents, last].map((value) => number(value).padStart(14)).join('')}`);
  }
  if (COPY_ORDER.some((table) => plan.tables[table].dependents > 0)) say('  (left out: the tokens and rocks of a conflicting user or type)');
  for (const [title, findings] of [
    ['Conflicts', plan.conflicts],
    ['Rows PostgreSQL cannot store as they are', plan.problems],
  ] as const) {
    if (findings.count === 0) continue;
    say('');
    say(`${title} (${number(findings.count)}):`);
    for (const finding of findings.listed) say(`  ${finding.table} ${finding.key}: ${finding.message}`);
    if (findings.count > findings.listed.length) say(`  … and ${number(findings.count - findings.listed.length)} more`);
  }
}

function printChecks(checks: TableCheck[], say: (line: string) => void): void {
  say(`  ${'table'.padEnd(16)}${'source rows'.padStart(12)}${'in target'.padStart(12)}  ${'source checksum'.padEnd(18)}${'target checksum'.padEnd(18)}${'target total'.padStart(13)}`);
  for (const check of checks) {
    say(
      `  ${check.table.padEnd(16)}${number(check.sourceRows).padStart(12)}${number(check.targetRows).padStart(12)}  ${check.sourceChecksum.slice(0, 16).padEnd(18)}${check.targetChecksum.slice(0, 16).padEnd(18)}${`${number(check.targetTotal)} of ${number(check.expectedTotal)}`.padStart(13)} ${check.ok ? '✓' : '✗'}`,
    );
  }
}

/** The workshop's three queries on the target, after the commit: what a learner would see in psql. */
async function workshopQueries(db: Kysely<Database>, checks: TableCheck[], say: (line: string) => void): Promise<boolean> {
  const count = async (query: typeof ROCK_TYPES_QUERY | typeof ROCKS_WITH_OWNERS_QUERY) =>
    Number((await sql<{ count: string | number }>`select count(*) as count from (${query}) as q`.execute(db)).rows[0]?.count);
  const types = (await sql<{ label: string }>`${ROCK_TYPES_QUERY} limit 10`.execute(db)).rows;
  const typeCount = await count(ROCK_TYPES_QUERY);
  const rocks = (await sql<{ rock_name: string; weight: string; rock_type: string; first_name: string; last_name: string }>`${ROCKS_WITH_OWNERS_QUERY} limit 3`.execute(db)).rows;
  const rockCount = await count(ROCKS_WITH_OWNERS_QUERY);
  const totals = (await TOTALS_QUERY.execute(db)).rows[0];
  const expected = Object.fromEntries(checks.map((check) => [check.table, check.targetTotal])) as Record<AppTable, number>;
  const [totalRocks, totalTypes, totalUsers] = [Number(totals?.total_rocks), Number(totals?.total_types), Number(totals?.total_users)];
  const ok = rockCount === expected.rockapi_rock && totalRocks === expected.rockapi_rock && totalTypes === expected.rockapi_type && totalUsers === expected.auth_user && typeCount === totalTypes;

  say(`  1. SELECT * FROM rockapi_type: ${number(typeCount)} rows (${types.map((type) => type.label).join(', ')}${typeCount > types.length ? ', …' : ''})`);
  say(
    `  2. rocks JOIN types JOIN users: ${number(rockCount)} rows, one per rock${rocks.length > 0 ? ` (${rocks.map((rock) => `${rock.rock_name} ${rock.weight} ${rock.rock_type} ${rock.first_name} ${rock.last_name}`).join('; ')}${rockCount > rocks.length ? '; …' : ''})` : ''}`,
  );
  say(`  3. totals: ${number(totalRocks)} rocks, ${number(totalTypes)} types, ${number(totalUsers)} users ${ok ? '✓' : '✗ (not what the verification counted)'}`);
  return ok;
}

async function inSourceSnapshot<T>(source: DatabaseHandle, work: (side: Side) => Promise<T>): Promise<T> {
  // One read transaction: every pass sees the same rows, even while the API writes to the source.
  const builder = source.dialect === 'postgres' ? source.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only') : source.db.transaction();
  return builder.execute((trx) => work({ db: trx, dialect: source.dialect }));
}

type Outcome = { kind: 'refused' | 'dry-run' } | { kind: 'copied'; checks: TableCheck[] };

async function copyAll(src: Side, trx: Transaction<Database>, plan: Plan, options: TransferOptions, say: (line: string) => void): Promise<TableCheck[]> {
  const target: Side = { db: trx, dialect: 'postgres' };
  if (options.replace) {
    // Children first, for the foreign keys.
    for (const table of ['rockapi_rock', 'authtoken_token', 'rockapi_type', 'auth_user'] as const) await trx.deleteFrom(table).execute();
    say(`Emptied the four tables (${number(COPY_ORDER.reduce((sum, table) => sum + plan.tables[table].targetBefore, 0))} rows).`);
  }
  say('Copying:');
  const inserted = {} as Record<AppTable, number>;
  for (const table of COPY_ORDER) {
    const progress = new Progress(options.output, table, plan.tables[table].source);
    inserted[table] = await copyTable(src, target, table, plan, options.batchSize, (rows) => progress.advance(rows));
    progress.finish(`${number(inserted[table])} rows copied`);
  }
  await moveSequencesPastIds(trx);
  say('Moved the id sequences past the highest ids.');
  say('Verifying (every copied row read back from both sides):');
  const checks = await verifyCopy(src, target, plan, inserted, options.replace, options.batchSize);
  printChecks(checks, say);
  if (!checks.every((check) => check.ok)) throw new VerificationFailed(checks);
  return checks;
}

/** Copies the four tables from the source into the target in one transaction; returns the exit code. */
export async function runTransfer(options: TransferOptions): Promise<number> {
  const say = (line: string) => options.output.write(`${line}\n`);
  const started = Date.now();
  say(`From ${describeDatabase(options.source)}`);
  say(`To   ${describeDatabase(options.target)}${options.dryRun ? ' (dry run: nothing is written)' : ''}`);

  const source = openSource(options.source);
  const target = createDatabase({ ...options.target, poolMax: 2 });
  try {
    await connect(source, options.source, 'source');
    const sourceTables = await findAppTables({ db: source.db, dialect: source.dialect });
    if (sourceTables.missing.length > 0) throw new TransferError(`The source is not a Rock of Ages database: it has no ${sourceTables.missing.join(', ')}`);
    await connect(target, options.target, 'target');
    const targetSide: Side = { db: target.db, dialect: 'postgres' };
    const targetTables = await findAppTables(targetSide);

    say(`Source: ${counts(await countAll({ db: source.db, dialect: source.dialect }))}`);
    if (sourceTables.others.length > 0) say(`        other tables, not copied: ${sourceTables.others.join(', ')}`);
    say(`Target: ${targetTables.present ? counts(await countAll(targetSide)) : 'no tables yet'}`);

    if (options.replace && !options.dryRun && targetTables.present) {
      const before = await countAll(targetSide);
      if (Object.values(before).some((count) => count > 0)) {
        const question = `--replace deletes every row of the four tables in ${describeDatabase(options.target)} (${counts(before)}) before copying. Type "yes" to go on: `;
        if (!(await options.confirm(question))) {
          say('Not confirmed: nothing was changed (--yes skips this question).');
          return 1;
        }
      }
    }
    if (!options.dryRun) {
      const applied = await migrateToLatest(target.db).catch((error: unknown) => {
        throw new TransferError(`Cannot migrate the target: ${(error as Error).message}. Nothing was copied.`);
      });
      say(applied.length === 0 ? 'Target migrations: already up to date' : `Target migrations applied: ${applied.join(', ')}`);
    }

    const outcome = await inSourceSnapshot(source, async (src): Promise<Outcome> => {
      if (options.dryRun) {
        const plan = await makePlan(src, targetTables.present ? targetSide : undefined, { compare: !options.replace, batchSize: options.batchSize });
        printPlan(plan, options, say);
        const reasons = blockers(plan, { skipConflicts: options.skipConflicts, replace: options.replace });
        say('');
        for (const reason of reasons) say(`A real run would stop: ${reason}.`);
        if (reasons.length === 0) say(`A real run would copy ${number(COPY_ORDER.reduce((sum, table) => sum + plan.tables[table].new, 0))} rows.`);
        return { kind: reasons.length === 0 ? 'dry-run' : 'refused' };
      }
      return target.db.transaction().execute(async (trx): Promise<Outcome> => {
        // Writes to these tables wait until the transfer commits; reads go on.
        await sql.raw(`set local lock_timeout = '${LOCK_TIMEOUT}'`).execute(trx);
        await sql`lock table auth_user, authtoken_token, rockapi_type, rockapi_rock in exclusive mode`.execute(trx);
        const plan = await makePlan(src, { db: trx, dialect: 'postgres' }, { compare: !options.replace, batchSize: options.batchSize });
        printPlan(plan, options, say);
        const reasons = blockers(plan, { skipConflicts: options.skipConflicts, replace: options.replace });
        if (reasons.length > 0) {
          say('');
          for (const reason of reasons) say(`Refused: ${reason}.`);
          say('Nothing was written.');
          return { kind: 'refused' };
        }
        say('');
        return { kind: 'copied', checks: await copyAll(src, trx, plan, options, say) };
      });
    });

    if (outcome.kind !== 'copied') return outcome.kind === 'dry-run' ? 0 : 1;
    say('Committed.');
    say("The workshop's verification queries on the target:");
    const ok = await workshopQueries(target.db, outcome.checks, say);
    say(`Transfer ${ok ? 'complete' : 'committed, but the queries disagree with the verification'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof VerificationFailed) throw new TransferError('The verification found differences (✗ above): the transaction was rolled back, nothing was written.');
    throw error;
  } finally {
    await source.close();
    await target.close();
  }
}
