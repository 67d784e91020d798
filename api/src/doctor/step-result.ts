/** What one check of the doctor found; the same shape feeds the text and the `--json` output. */
export type StepStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type StepName = 'configuration' | 'DNS' | 'TCP' | 'TLS' | 'authentication' | 'database' | 'file' | 'schema' | 'data';

export interface Problem {
  /** The error exactly as the server, the driver or the system gave it, when there is one. */
  error?: string;
  cause: string;
  fix: string;
  /** Where docs/troubleshooting.md explains it further: `docs/troubleshooting.md#anchor`. */
  see?: string;
}

export interface StepResult {
  step: StepName;
  status: StepStatus;
  summary: string;
  details: string[];
  problem?: Problem;
}

export interface DoctorReport {
  ok: boolean;
  /** describeDatabase() of the configured database, or undefined when the configuration is invalid. */
  database: string | undefined;
  steps: StepResult[];
}

export const step = (name: StepName, status: StepStatus, summary: string, details: string[] = [], problem?: Problem): StepResult =>
  problem === undefined ? { step: name, status, summary, details } : { step: name, status, summary, details, problem };

export const skipped = (name: StepName, because: string): StepResult => step(name, 'skip', `not checked: ${because}`);
