import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DB_SECRETS,
  INSTANCE_ID,
  instanceWorld,
  NEW_IMAGE,
  PARAMETER_PREFIX,
  REGION,
} from './support/instance-world.js';
import { deployScripts, Sandbox } from './support/sandbox.js';

interface RunShellScriptParameters {
  commands: string[];
  executionTimeout: string[];
}

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

const sendArguments = [
  '--instance-id', INSTANCE_ID,
  '--image', NEW_IMAGE,
  '--region', REGION,
  '--parameter-prefix', PARAMETER_PREFIX,
  '--ssl-mode', 'verify-full',
  '--comment', 'Deploy from run 42',
];

function sendCommand() {
  sandbox = Sandbox.create(instanceWorld());
  const result = sandbox.runScript('send-deploy-command.sh', sendArguments, { ...DB_SECRETS });
  const call = sandbox.calls('aws').find((each) => each.args[1] === 'send-command');
  if (call === undefined) throw new Error(`send-command was not called: ${result.stderr}`);
  const parametersArgument = call.args[call.args.indexOf('--parameters') + 1] ?? '';
  const parameters = JSON.parse(call.files[parametersArgument] ?? '{}') as RunShellScriptParameters;
  return { result, call, parameters };
}

describe('send-deploy-command.sh', { timeout: 60_000 }, () => {
  it('sends AWS-RunShellScript to the instance and prints the command id', () => {
    const { result, call, parameters } = sendCommand();

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('0b1c2d3e-command\n');
    expect(call.args).toEqual([
      'ssm', 'send-command',
      '--instance-ids', INSTANCE_ID,
      '--document-name', 'AWS-RunShellScript',
      '--comment', 'Deploy from run 42',
      '--timeout-seconds', '300',
      '--parameters', expect.stringMatching(/^file:\/\//) as string,
      '--region', REGION,
      '--query', 'Command.CommandId', '--output', 'text',
    ]);
    expect(parameters.executionTimeout).toEqual(['900']);
    expect(parameters.commands.at(-1)).toBe(
      `bash deploy-api.sh '--image' '${NEW_IMAGE}' '--region' '${REGION}' '--parameter-prefix' '${PARAMETER_PREFIX}'` +
        ` '--instance-id' '${INSTANCE_ID}' '--ssl-mode' 'verify-full'`,
    );
  });

  it('carries the deploy script itself, byte for byte, and no secret', () => {
    const { parameters } = sendCommand();

    const encoded = /printf %s '([A-Za-z0-9+/=]+)' \| base64 --decode \| gunzip > deploy-api\.sh/.exec(
      parameters.commands.join('\n'),
    )?.[1];
    expect(encoded).toBeDefined();
    const carried = gunzipSync(Buffer.from(encoded ?? '', 'base64'));
    expect(carried.equals(readFileSync(path.join(deployScripts, 'deploy-api.sh')))).toBe(true);
    const stored = JSON.stringify(parameters);
    for (const secret of Object.values(DB_SECRETS)) expect(stored).not.toContain(secret);
  });

  it('runs on the instance as SSM would run it: decodes, checks the SHA-256 and deploys the image', () => {
    const { parameters } = sendCommand();
    const workingDirectory = mkdtempSync(path.join(sandbox.directory, 'ssm-'));

    const onInstance = sandbox.run('sh', ['-c', parameters.commands.join('\n')], {}, workingDirectory);

    expect(onInstance.status, onInstance.stderr).toBe(0);
    expect(onInstance.stdout).toContain(`[deploy] deployed ${NEW_IMAGE}`);
    expect(sandbox.world().containers['rock-of-ages-api']).toMatchObject({ image: NEW_IMAGE, status: 'running' });
  });

  it('runs nothing when the script does not match its SHA-256', () => {
    const { parameters } = sendCommand();
    const damaged = parameters.commands.map((command) => command.replace(/^echo '[0-9a-f]{64}/, `echo '${'0'.repeat(64)}`));
    expect(damaged).not.toEqual(parameters.commands);
    const workingDirectory = mkdtempSync(path.join(sandbox.directory, 'ssm-'));

    const onInstance = sandbox.run('sh', ['-c', damaged.join('\n')], {}, workingDirectory);

    expect(onInstance.status).not.toBe(0);
    expect(sandbox.calls('docker')).toEqual([]);
  });

  it('names the repository variable behind a missing instance id', () => {
    sandbox = Sandbox.create(instanceWorld());
    const args = sendArguments.slice();
    args[1] = '';

    const result = sandbox.runScript('send-deploy-command.sh', args);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--instance-id is required (repository variable EC2_INSTANCE_ID)');
    expect(sandbox.calls()).toEqual([]);
  });
});
