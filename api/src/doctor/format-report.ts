import type { DoctorReport, StepStatus } from './step-result.js';

const MARK: Record<StepStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };
const WIDTH = Math.max(...['configuration', 'authentication'].map((name) => name.length)) + 2;

/** The report as the terminal shows it: one line per step, then the cause, fix and link of a failure. */
export function formatReport(report: DoctorReport): string {
  const lines = [`Checking ${report.database ?? 'the database configuration'}`, ''];
  for (const result of report.steps) {
    lines.push(`${MARK[result.status]} ${result.step.padEnd(WIDTH)}${result.summary}`);
    for (const detail of result.details) lines.push(`    ${detail}`);
    if (result.problem !== undefined) {
      const { error, cause, fix, see } = result.problem;
      if (error !== undefined) lines.push(`    error: ${error}`);
      lines.push(`    cause: ${cause}`, `    fix:   ${fix}`);
      if (see !== undefined) lines.push(`    see:   ${see}`);
    }
  }
  const failed = report.steps.filter((result) => result.status === 'fail').length;
  const warned = report.steps.filter((result) => result.status === 'warn').length;
  lines.push('', failed > 0 ? `${failed} check failed: fix it and run the doctor again.` : `All checks passed${warned > 0 ? `, with ${warned} warning(s)` : ''}.`);
  return lines.join('\n');
}
