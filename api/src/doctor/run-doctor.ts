import { describeDatabase, type PostgresConfig } from '../config/config.js';
import { createDatabase, type DatabaseHandle } from '../db/database.js';
import { checkConfiguration } from './steps/configuration.js';
import { checkConnection } from './steps/connection.js';
import { checkData } from './steps/data.js';
import { checkDns } from './steps/dns.js';
import { checkSchema } from './steps/schema.js';
import { checkSqliteFile } from './steps/sqlite-file.js';
import { checkTcp } from './steps/tcp.js';
import { checkTls } from './steps/tls.js';
import { skipped, type DoctorReport, type StepName, type StepResult } from './step-result.js';

export interface DoctorOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Limit of each network step (DNS, TCP, TLS, logging in). */
  timeoutMs: number;
}

const POSTGRES_STEPS: StepName[] = ['configuration', 'DNS', 'TCP', 'TLS', 'authentication', 'database', 'schema', 'data'];
const SQLITE_STEPS: StepName[] = ['configuration', 'file', 'schema', 'data'];

/** Runs the steps in order; after a failure, the steps that depend on it are reported as not checked. */
class Steps {
  readonly results: StepResult[] = [];
  constructor(private readonly names: StepName[]) {}

  get failed(): StepResult | undefined {
    return this.results.find((result) => result.status === 'fail');
  }

  add(...results: StepResult[]): boolean {
    this.results.push(...results);
    return this.failed === undefined;
  }

  finish(): StepResult[] {
    const failed = this.failed;
    for (const name of this.names.slice(this.results.length)) this.results.push(skipped(name, `${failed?.step ?? 'an earlier step'} failed`));
    return this.results;
  }
}

async function databaseSteps(steps: Steps, handle: DatabaseHandle): Promise<void> {
  try {
    if (!steps.add(await checkSchema(handle))) return;
    steps.add(await checkData(handle));
  } finally {
    await handle.close();
  }
}

async function postgresSteps(steps: Steps, config: PostgresConfig, timeoutMs: number): Promise<void> {
  if (!steps.add(await checkDns(config, timeoutMs))) return;
  if (!steps.add(await checkTcp(config, timeoutMs))) return;
  if (!steps.add(await checkTls(config, timeoutMs))) return;
  if (!steps.add(...(await checkConnection(config, timeoutMs)))) return;
  await databaseSteps(steps, createDatabase({ ...config, poolMax: 1 }));
}

/** Checks the database the environment names, step by step, and says what is wrong and how to fix it. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const configuration = checkConfiguration(options.env, options.cwd);
  const config = configuration.database;
  const steps = new Steps(config?.dialect === 'sqlite' ? SQLITE_STEPS : POSTGRES_STEPS);
  if (steps.add(configuration.result) && config !== undefined) {
    if (config.dialect === 'postgres') {
      await postgresSteps(steps, config, options.timeoutMs);
    } else {
      const file = checkSqliteFile(config);
      if (steps.add(file.result) && file.handle !== undefined) await databaseSteps(steps, file.handle);
      else await file.handle?.close();
    }
  }
  const results = steps.finish();
  return { ok: steps.failed === undefined, database: config === undefined ? undefined : describeDatabase(config), steps: results };
}
