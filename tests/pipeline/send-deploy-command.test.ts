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

describe('send-deploy-command.sh for a host built by hand (EC2_INSTANCE_ID)', { timeout: 60_000 }, () => {
  it('sends AWS-RunShellScript to the instance and prints the command id', () => {
    const { result, call, parameters } = sendCommand();

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('0b1c2d3e-command\n');
    expect(call.args).toEqual([
      'ssm', 'send-command',
      '--document-name', 'AWS-RunShellScript',
      '--instance-ids', INSTANCE_ID,
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

  it('names both repository variables when neither the document nor an instance is given', () => {
    sandbox = Sandbox.create(instanceWorld());
    const args = sendArguments.slice();
    args[1] = '';

    const result = sandbox.runScript('send-deploy-command.sh', args);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "set the repository variable DEPLOY_DOCUMENT (the infra stack's output) or, for a host built by hand, EC2_INSTANCE_ID",
    );
    expect(sandbox.calls()).toEqual([]);
  });
});

describe("send-deploy-command.sh for a stack this project created (DEPLOY_DOCUMENT)", { timeout: 60_000 }, () => {
  const DOCUMENT = 'RockOfAges-ApiDeployDocumentF0DE3196-Xy12Ab34';
  const send = (extra: string[] = []) => {
    sandbox = Sandbox.create(instanceWorld());
    const result = sandbox.runScript('send-deploy-command.sh', [
      '--image', NEW_IMAGE, '--region', REGION, '--document', DOCUMENT, '--instance-id', '',
      '--parameter-prefix', PARAMETER_PREFIX, '--comment', 'Deploy from run 42', ...extra,
    ], { ...DB_SECRETS });
    const call = sandbox.calls('aws').find((each) => each.args[1] === 'send-command');
    if (call === undefined) throw new Error(`send-command was not called: ${result.stderr}`);
    const parametersArgument = call.args[call.args.indexOf('--parameters') + 1] ?? '';
    return { result, call, parameters: JSON.parse(call.files[parametersArgument] ?? '{}') as unknown };
  };

  it("runs the stack's document on the instance tagged as its target, with the image as its only parameter", () => {
    const { result, call, parameters } = send();

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('0b1c2d3e-command\n');
    expect(call.args).toEqual([
      'ssm', 'send-command',
      '--document-name', DOCUMENT,
      '--targets', `Key=tag:rock-of-ages:deploy-document,Values=${DOCUMENT}`,
      '--comment', 'Deploy from run 42',
      '--timeout-seconds', '300',
      '--parameters', expect.stringMatching(/^file:\/\//) as string,
      '--region', REGION,
      '--query', 'Command.CommandId', '--output', 'text',
    ]);
    expect(parameters).toEqual({ image: [NEW_IMAGE] });
  });

  it('sends no script and no secret: the document carries the script, the host reads the secret', () => {
    const { call } = send();

    const sent = JSON.stringify(call);
    expect(sent).not.toContain('AWS-RunShellScript');
    expect(sent).not.toContain('base64');
    for (const secret of Object.values(DB_SECRETS)) expect(sent).not.toContain(secret);
  });

  it('keeps the output in the deploy log group when one is given', () => {
    const { call } = send(['--output-log-group', 'RockOfAges-ApiLogsDeploys-A1b2']);

    expect(call.args.slice(call.args.indexOf('--cloud-watch-output-config'), call.args.indexOf('--cloud-watch-output-config') + 2)).toEqual([
      '--cloud-watch-output-config',
      'CloudWatchOutputEnabled=true,CloudWatchLogGroupName=RockOfAges-ApiLogsDeploys-A1b2',
    ]);
  });

  it('targets the instance itself when EC2_INSTANCE_ID is set too', () => {
    const { call } = send(['--instance-id', INSTANCE_ID]);

    expect(call.args.slice(2, 6)).toEqual(['--document-name', DOCUMENT, '--instance-ids', INSTANCE_ID]);
    expect(call.args).not.toContain('--targets');
  });
});
