import { afterEach, describe, expect, it } from 'vitest';
import { instanceWorld, NEW_TAG, OLD_TAG } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

describe('is-newest-commit.sh', { timeout: 30_000 }, () => {
  it('answers true for the newest commit on main', () => {
    sandbox = Sandbox.create(instanceWorld());

    const result = sandbox.runScript('is-newest-commit.sh', [NEW_TAG, 'main'], { GITHUB_REPOSITORY: 'learner/rock-of-ages' });

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('true\n');
    expect(sandbox.calls('gh').map((call) => call.args)).toEqual([
      ['api', 'repos/learner/rock-of-ages/commits/main', '--jq', '.sha'],
    ]);
  });

  it('answers false, with a notice, once main has moved on', () => {
    sandbox = Sandbox.create(instanceWorld());

    const result = sandbox.runScript('is-newest-commit.sh', [OLD_TAG], { GITHUB_REPOSITORY: 'learner/rock-of-ages' });

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('false\n');
    expect(result.stderr).toContain(`::notice::main has moved on from ${OLD_TAG} to ${NEW_TAG}`);
  });
});

describe('require-variables.sh', { timeout: 30_000 }, () => {
  it('names every repository variable that is not set', () => {
    sandbox = Sandbox.create(instanceWorld());

    const result = sandbox.runScript('require-variables.sh', ['AWS_REGION', 'EC2_INSTANCE_ID', 'ECR_REGISTRY'], {
      AWS_REGION: 'us-east-2',
      EC2_INSTANCE_ID: '',
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '::error::Set these repository variables (Settings > Secrets and variables > Actions > Variables): EC2_INSTANCE_ID ECR_REGISTRY',
    );
  });

  it('passes when all are set', () => {
    sandbox = Sandbox.create(instanceWorld());

    const result = sandbox.runScript('require-variables.sh', ['AWS_REGION'], { AWS_REGION: 'us-east-2' });

    expect(result.status, result.stderr).toBe(0);
  });
});
