import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseSource, parseTarget, sameDatabase, UsageError } from './endpoints.js';
import { runTransfer, TransferError } from './run-transfer.js';

export const TRANSFER_USAGE = `Usage: transfer --from <source> --to <target> [options]

Copies users (with their password hashes), tokens, rock types and rocks, with their ids, from the
source into the target PostgreSQL, in one transaction; migrates the target first, moves its id
sequences past the copied ids, and verifies every row (counts and checksums on both sides).

  --from sqlite:<file>     an SQLite file of this app or of the original Django app
  --from postgres://…      or another PostgreSQL
  --to env                 the PostgreSQL that DB_* or DATABASE_URL name (environment, or api/.env)
  --to postgres://…        or this one
  --dry-run                report what would be copied and every conflict; write nothing
  --on-conflict=skip       keep what the target already has and copy the rest around it
  --replace                empty the four tables of the target first (asks unless --yes)
  --yes                    do not ask
  --batch-size <rows>      rows read and written at a time (default 1000)

Without --on-conflict=skip or --replace, a target that holds rows other than the source's is left
alone. Exit code: 0 copied (or, with --dry-run, nothing in the way), 1 refused or failed, 2 usage.`;

const DEFAULT_BATCH_SIZE = 1000;
const MAX_BATCH_SIZE = 5000;

/** Reads one answer from standard input; no input (not a terminal, nothing piped) is a no. */
function askOnStdin(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const reader = createInterface({ input: process.stdin, output: process.stdout });
    let answered = false;
    reader.question(question, (answer) => {
      answered = true;
      reader.close();
      resolve(answer.trim().toLowerCase() === 'yes');
    });
    reader.once('close', () => {
      if (!answered) {
        process.stdout.write('\n');
        resolve(false);
      }
    });
  });
}

/** What PostgreSQL's refusal of a row means for this data, in a sentence. */
function explainDatabaseError(error: unknown): string | undefined {
  const { code, message, detail, table } = error as { code?: string; message?: string; detail?: string; table?: string };
  const said = `${message ?? ''}${detail === undefined ? '' : ` (${detail})`}`;
  switch (code) {
    case '23505':
      return `PostgreSQL refused a row: ${said}. ${table === 'auth_user' ? 'A username or e-mail is already taken (the API ignores case in both): ' : ''}correct the source, or use --on-conflict=skip`;
    case '22021':
    case '22P05':
      return `PostgreSQL refused a text value: ${said}`;
    case '55P03':
      return `The target's tables are in use by another transaction (another transfer?) and stayed locked for 10 s: ${said}`;
    default:
      return undefined;
  }
}

/** `transfer`: parses the options, runs the transfer, turns its failures into one clear line. */
export async function transferCommand(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'on-conflict': { type: 'string' },
        replace: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${TRANSFER_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    console.log(TRANSFER_USAGE);
    return 0;
  }
  const batchSize = Number(values['batch-size'] ?? DEFAULT_BATCH_SIZE);
  try {
    if (values.from === undefined || values.to === undefined) throw new UsageError('--from and --to are both needed');
    if (values['on-conflict'] !== undefined && values['on-conflict'] !== 'skip') throw new UsageError(`--on-conflict takes one value, skip (got "${values['on-conflict']}")`);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) throw new UsageError(`--batch-size must be a whole number from 1 to ${MAX_BATCH_SIZE}`);
    const source = parseSource(values.from, process.env, process.cwd());
    const target = parseTarget(values.to, process.env, process.cwd());
    if (sameDatabase(source, target)) throw new UsageError('--from and --to name the same database');
    return await runTransfer({
      source,
      target,
      skipConflicts: values['on-conflict'] === 'skip',
      replace: values.replace === true,
      dryRun: values['dry-run'] === true,
      batchSize,
      confirm: values.yes === true ? () => Promise.resolve(true) : askOnStdin,
      output: { write: (text) => process.stdout.write(text), interactive: process.stdout.isTTY === true },
    });
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${TRANSFER_USAGE}`);
      return 2;
    }
    const explained = error instanceof TransferError ? error.message : explainDatabaseError(error);
    if (explained === undefined) throw error;
    console.error(`${explained}${error instanceof TransferError ? '' : '. Nothing was written (the transaction was rolled back).'}`);
    return 1;
  }
}
