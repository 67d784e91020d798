import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repositoryRoot } from './sandbox.js';

export const workflowsDirectory = path.join(repositoryRoot, '.github', 'workflows');

export interface Step {
  id?: string;
  'continue-on-error'?: boolean | string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
}

export interface Job {
  name?: string;
  /** A reusable workflow the job runs instead of steps (`./.github/workflows/…`). */
  uses?: string;
  with?: Record<string, string>;
  'timeout-minutes'?: number;
  'continue-on-error'?: boolean | string;
  if?: string;
  needs?: string | string[];
  outputs?: Record<string, string>;
  permissions?: Record<string, string> | string;
  env?: Record<string, string>;
  services?: Record<string, { image: string; env?: Record<string, string>; ports?: string[]; options?: string }>;
  strategy?: { matrix?: Record<string, unknown> };
  /** Empty for a job that calls a reusable workflow. */
  steps: Step[];
}

export interface Workflow {
  file: string;
  text: string;
  name: string;
  on: Record<string, Record<string, unknown> | null>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean | string };
  defaults?: { run?: { shell?: string } };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function asWorkflow(file: string, text: string): Workflow {
  const parsed: unknown = parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file} is not a YAML mapping`);
  const workflow = { file, text, ...parsed } as Workflow;
  for (const [id, job] of Object.entries(workflow.jobs)) {
    if (job.uses !== undefined && job.steps === undefined) job.steps = [];
    else if (!Array.isArray(job.steps)) throw new Error(`${file}: job ${id} has no steps`);
  }
  return workflow;
}

/** Every `uses:` line of a workflow with its trailing comment, which YAML parsing drops. */
export function usesLines(workflow: Workflow): { action: string; comment: string | undefined }[] {
  return [...workflow.text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*?))?\s*$/gm)].map((match) => ({
    action: match[1] ?? '',
    comment: match[2],
  }));
}

export function loadWorkflows(): Workflow[] {
  return readdirSync(workflowsDirectory)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => asWorkflow(file, readFileSync(path.join(workflowsDirectory, file), 'utf8')));
}

export function loadWorkflow(file: string): Workflow {
  const found = loadWorkflows().find((workflow) => workflow.file === file);
  if (found === undefined) throw new Error(`.github/workflows/${file} does not exist`);
  return found;
}

export interface LocatedStep {
  workflow: Workflow;
  jobId: string;
  job: Job;
  step: Step;
}

export function allSteps(workflows: Workflow[]): LocatedStep[] {
  return workflows.flatMap((workflow) =>
    Object.entries(workflow.jobs).flatMap(([jobId, job]) => job.steps.map((step) => ({ workflow, jobId, job, step }))),
  );
}

export const describeStep = ({ workflow, jobId, step }: LocatedStep): string =>
  `${workflow.file} › ${jobId} › ${step.name ?? step.uses ?? step.run?.split('\n')[0] ?? '?'}`;
