import { parseArgs } from 'node:util';
import { describeDatabase, loadConfig } from './config/config.js';
import { loadEnvFile } from './config/load-env-file.js';
import { createDatabase } from './db/database.js';
import { setUpDatabase, type SetupSteps } from './db/setup.js';
import { waitForDatabase } from './db/wait-for-database.js';
import { doctorCommand } from './doctor/doctor-command.js';
import { transferCommand } from './transfer/transfer-command.js';

const USAGE = `Usage: node dist/cli.js <command>

Commands:
  migrate   apply the database migrations not yet applied
  seed      add the missing rows that SEED names: sample (users, tokens, types and rocks; the default),
            reference (the rock types only) or none
  setup     migrate, then seed (what the container does at every start)
  doctor    check the database connection step by step (doctor --help)
  transfer  copy the data of another database into PostgreSQL (transfer --help)

The database and SEED are read from the same environment variables (or .env file) as the server.`;

// `seed: true` stands for the configured SEED.
const COMMANDS: Record<string, { migrate: boolean; seed: boolean }> = {
  migrate: { migrate: true, seed: false },
  seed: { migrate: false, seed: true },
  setup: { migrate: true, seed: true },
};

/** Commands with options of their own. */
const COMMANDS_WITH_OPTIONS: Record<string, (args: string[]) => Promise<number>> = { doctor: doctorCommand, transfer: transferCommand };

async function main(): Promise<number> {
  const [name = '', ...rest] = process.argv.slice(2);
  const commandWithOptions = COMMANDS_WITH_OPTIONS[name];
  if (commandWithOptions !== undefined) {
    loadEnvFile();
    return commandWithOptions(rest);
  }
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const command = COMMANDS[positionals[0] ?? ''];
  if (values.help === true || command === undefined || positionals.length !== 1) {
    (values.help === true ? console.log : console.error)(USAGE);
    return values.help === true ? 0 : 2;
  }

  loadEnvFile();
  const config = loadConfig();
  const steps: SetupSteps = { migrate: command.migrate, seed: command.seed && config.seed };
  const database = createDatabase(config.database);
  console.log(`Using ${describeDatabase(config.database)}`);
  try {
    await waitForDatabase(database, config.database, { timeoutSeconds: config.databaseWaitSeconds, onRetry: console.warn });
    await setUpDatabase(database, steps, console.log);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`rock-of-ages-db: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
