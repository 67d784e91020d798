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
  seed      add the sample users, tokens, types and rocks that are missing
  setup     migrate, then seed (what the container does at every start)
  doctor    check the database connection step by step (doctor --help)
  transfer  copy the data of another database into PostgreSQL (transfer --help)

The database is chosen by the same environment variables (or .env file) as the server.`;

const COMMANDS: Record<string, SetupSteps> = {
  migrate: { migrate: true, seed: false },
  seed: { migrate: false, seed: true },
  setup: { migrate: true, seed: true },
};

/** Commands with options of their own. */
const COMMANDS_WITH_OPTIONS: Record<string, (args: string[]) => Promise<number>> = { doctor: doctorCommand, transfer: transferCommand };

async function main(): Promise<number> {
  const [name = '', ...rest] = process.argv.slice(2);
  const command = COMMANDS_WITH_OPTIONS[name];
  if (command !== undefined) {
    loadEnvFile();
    return command(rest);
  }
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const steps = COMMANDS[positionals[0] ?? ''];
  if (values.help === true || steps === undefined || positionals.length !== 1) {
    (values.help === true ? console.log : console.error)(USAGE);
    return values.help === true ? 0 : 2;
  }

  loadEnvFile();
  const config = loadConfig();
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
