import { parseArgs } from 'node:util';
import { formatReport } from './format-report.js';
import { runDoctor } from './run-doctor.js';

export const DOCTOR_USAGE = `Usage: doctor [--json] [--timeout <seconds>]

Checks the database the environment (or api/.env) names, step by step: configuration, DNS, TCP,
TLS, authentication, database, schema, data (for SQLite: configuration, file, schema, data).
Exits 1 when a check fails.

  --json               one JSON document instead of text
  --timeout <seconds>  limit of each network step (default 5)`;

/** `doctor`: prints the report; the exit code says whether every check passed. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const timeoutSeconds = Number(values.timeout ?? 5);
  if (values.help === true || !(timeoutSeconds > 0)) {
    (values.help === true ? console.log : console.error)(DOCTOR_USAGE);
    return values.help === true ? 0 : 2;
  }
  const report = await runDoctor({ env: process.env, cwd: process.cwd(), timeoutMs: timeoutSeconds * 1000 });
  console.log(values.json === true ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.ok ? 0 : 1;
}
