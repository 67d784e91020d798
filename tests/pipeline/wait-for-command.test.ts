import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeInvocation } from './fakes/world.js';
import { INSTANCE_ID, instanceWorld } from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function waitFor(invocation: FakeInvocation, extra: string[] = []) {
  sandbox = Sandbox.create({ ...instanceWorld(), invocation });
  const outputFile = path.join(sandbox.directory, 'deploy-output.txt');
  const result = sandbox.runScript('wait-for-command.sh', [
    '--command-id', '0b1c2d3e-command', '--instance-id', INSTANCE_ID,
    '--interval-seconds', '0', '--output-file', outputFile, ...extra,
  ]);
  return { result, outputFile };
}

const statusQueries = () => sandbox.calls('aws').filter((call) => call.args.includes('Status')).length;

describe('wait-for-command.sh', { timeout: 60_000 }, () => {
  it('waits while the invocation is not there yet or still running, then prints what the instance printed', () => {
    const { result, outputFile } = waitFor({
      statuses: ['InvocationDoesNotExist', 'Pending', 'InProgress', 'Success'],
      stdout: '[deploy] deployed rock-of-ages-api:3f2a\nhealth: {"database":"ok"}',
      stderr: '',
    });

    expect(result.status, result.stderr).toBe(0);
    expect(statusQueries()).toBe(4);
    expect(result.stdout).toContain('health: {"database":"ok"}');
    expect(result.stdout).toContain(`The command 0b1c2d3e-command succeeded on ${INSTANCE_ID}`);
    expect(readFileSync(outputFile, 'utf8')).toContain('health: {"database":"ok"}');
  });

  it('fails with the instance output, container logs included, when the deploy failed there', () => {
    const { result } = waitFor({
      statuses: ['InProgress', 'Failed'],
      stdout: '[deploy] the new container did not become healthy; its last log lines:\n  | connect ETIMEDOUT',
      stderr: '[deploy] error: deploy failed; the previous container is back in place',
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('  | connect ETIMEDOUT');
    expect(result.stderr).toContain('the previous container is back in place');
    expect(result.stderr).toContain(`::error::the deploy on ${INSTANCE_ID} ended with status Failed`);
  });

  it('stops at once on any other error, such as a role that may not read invocations', () => {
    const { result } = waitFor({ statuses: ['AccessDeniedException', 'Success'], stdout: '', stderr: '' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("::error::could not read the command's status: An error occurred (AccessDeniedException)");
    expect(statusQueries()).toBe(1);
  });

  it('gives up when the command outlasts the timeout', () => {
    const { result } = waitFor({ statuses: ['InProgress'], stdout: '', stderr: '' }, ['--timeout-seconds', '0']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::gave up after 0s; the command is still InProgress');
  });

  it('without an instance id, waits for the tag to resolve, then follows the one instance the command reached', () => {
    sandbox = Sandbox.create({
      ...instanceWorld(),
      invocation: { statuses: ['InProgress', 'Success'], stdout: 'health: {"database":"ok"}', stderr: '', reached: [[], [], [INSTANCE_ID]] },
    });

    const result = sandbox.runScript('wait-for-command.sh', ['--command-id', '0b1c2d3e-command', '--interval-seconds', '0']);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`The command runs on ${INSTANCE_ID}`);
    expect(sandbox.calls('aws').filter((call) => call.args[1] === 'list-command-invocations')).toHaveLength(3);
    const followed = sandbox.calls('aws').filter((call) => call.args[1] === 'get-command-invocation');
    expect(followed.every((call) => call.args[call.args.indexOf('--instance-id') + 1] === INSTANCE_ID)).toBe(true);
  });

  it('fails, naming what to check, when the tag reaches no instance', () => {
    sandbox = Sandbox.create({ ...instanceWorld(), invocation: { statuses: ['Success'], stdout: '', stderr: '', reached: [[]] } });

    const result = sandbox.runScript('wait-for-command.sh', ['--command-id', '0b1c2d3e-command', '--interval-seconds', '0', '--timeout-seconds', '0']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the command reached no instance: is the API host running, tagged by the stack, and Online in Fleet Manager?');
  });

  it('refuses to pick one when the tag reached several instances', () => {
    sandbox = Sandbox.create({
      ...instanceWorld(),
      invocation: { statuses: ['Success'], stdout: '', stderr: '', reached: [[INSTANCE_ID, 'i-0fff1234def567890']] },
    });

    const result = sandbox.runScript('wait-for-command.sh', ['--command-id', '0b1c2d3e-command', '--interval-seconds', '0']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`the command reached 2 instances (${INSTANCE_ID} i-0fff1234def567890); expected the one API host`);
  });
});
