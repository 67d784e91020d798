import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeContainer, World } from './fakes/world.js';
import {
  apiImage,
  DATABASE_SECRET_ARN,
  databaseSecretFor,
  DB_SECRETS,
  deployArguments,
  ECR_PASSWORD,
  INSTANCE_ID,
  instanceWorld,
  NEW_IMAGE,
  OLD_IMAGE,
  PARAMETER_PREFIX,
  RDS_CA_BUNDLE,
  REPOSITORY,
  runningContainer,
} from './support/instance-world.js';
import { Sandbox } from './support/sandbox.js';

const CONTAINER = 'rock-of-ages-api';
const BACKUP = 'rock-of-ages-api-previous';
const REGISTRY = '123456789012.dkr.ecr.us-east-2.amazonaws.com';
const CA_IN_CONTAINER = '/etc/rock-of-ages/rds-global-bundle.pem';
/** The docker subcommands that change something; the rest only look. */
const CHANGING = new Set(['login', 'pull', 'stop', 'rename', 'run', 'rm', 'start', 'image rm']);

let sandbox: Sandbox;
afterEach(() => sandbox.remove());

function deploy(world: World, args = deployArguments()) {
  sandbox = Sandbox.create(world);
  return sandbox.runScript('deploy-api.sh', args);
}

function changingDockerCalls(): string[][] {
  return sandbox
    .calls('docker')
    .map((call) => call.args)
    .filter(([first = '', second = '']) => CHANGING.has(first) || CHANGING.has(`${first} ${second}`));
}

function liveContainer(): FakeContainer {
  const container = sandbox.world().containers[CONTAINER];
  if (container === undefined) throw new Error(`${CONTAINER} does not exist`);
  return container;
}

function envFileOf(container: FakeContainer): string {
  const mount = container.mounts.find((each) => each.target === '/app/api/.env');
  if (mount === undefined) throw new Error('the container has no .env mount');
  return mount.source;
}

const expectedRunArguments = (envFile: string, caFile?: string): string[] => [
  'run', '-d', '--name', CONTAINER, '--restart', 'unless-stopped', '-p', '80:8000',
  '--mount', `type=bind,source=${envFile},target=/app/api/.env,readonly`,
  ...(caFile === undefined ? [] : ['--mount', `type=bind,source=${caFile},target=${CA_IN_CONTAINER},readonly`]),
  '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--log-opt', 'max-size=10m', '--log-opt', 'max-file=3',
  NEW_IMAGE,
];

function healthChecks(): number {
  return sandbox.calls('curl').filter((call) => call.args.at(-1)?.endsWith('/health')).length;
}

describe('deploy-api.sh on an instance (fake docker, aws and curl)', { timeout: 60_000 }, () => {
  it('logs in to ECR, pulls the image and replaces the running container with --restart unless-stopped -p 80:8000', () => {
    const result = deploy(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    const caFile = path.join(sandbox.stateDirectory, 'rds-global-bundle.pem');
    expect(changingDockerCalls()).toEqual([
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      ['pull', '--quiet', NEW_IMAGE],
      ['stop', '--time', '20', CONTAINER],
      ['rename', CONTAINER, BACKUP],
      expectedRunArguments(envFileOf(liveContainer()), caFile),
      ['rm', BACKUP],
    ]);
    expect(Object.keys(sandbox.world().containers)).toEqual([CONTAINER]);
    expect(liveContainer()).toMatchObject({ image: NEW_IMAGE, status: 'running' });
    expect(result.stdout).toContain(`health: {"status":"ok","instance":"${INSTANCE_ID}","database":"ok"}`);
  });

  it('hands every DB_* setting to the API in an env file of mode 600 owned by the image user', () => {
    const result = deploy(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    const envFile = envFileOf(liveContainer());
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(statSync(envFile).uid).toBe(process.getuid?.());
    expect(statSync(path.dirname(envFile)).mode & 0o777).toBe(0o700);
    // Read back with Node's parser, the one the API's process.loadEnvFile uses.
    expect(parseEnv(readFileSync(envFile, 'utf8'))).toEqual({
      ...DB_SECRETS,
      SSLMODE: 'verify-full',
      DB_SSLROOTCERT: CA_IN_CONTAINER,
      SEED: 'reference',
      INSTANCE_ID,
    });
  });

  it('puts no secret in any command argument or container setting, and the ECR password only on stdin', () => {
    const result = deploy(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    const secrets = [...Object.values(DB_SECRETS), ECR_PASSWORD];
    for (const call of sandbox.calls()) {
      for (const argument of call.args) {
        for (const secret of secrets) expect(argument).not.toContain(secret);
      }
    }
    const run = sandbox.calls('docker').find((call) => call.args[0] === 'run');
    expect(run?.args).not.toContain('--env-file');
    expect(run?.args.filter((argument) => argument === '-e' || argument === '--env')).toEqual([]);
    const containerSettings = JSON.stringify(sandbox.world().containers);
    for (const secret of Object.values(DB_SECRETS)) expect(containerSettings).not.toContain(secret);
    expect(sandbox.calls('docker').find((call) => call.args[0] === 'login')?.stdin).toBe(`${ECR_PASSWORD}\n`);
    expect(result.stdout + result.stderr).not.toContain(DB_SECRETS.DB_PASSWORD);
  });

  it('rolls back to the previous container when /health reports the database unreachable', () => {
    const result = deploy(instanceWorld({ newImage: { database: 'unreachable', logs: 'connect ETIMEDOUT 10.0.3.7:5432\n' } }));

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the new container did not become healthy; its last log lines:');
    expect(result.stdout).toContain('  | connect ETIMEDOUT 10.0.3.7:5432');
    expect(result.stderr).toContain(`deploy of ${NEW_IMAGE} failed; the previous container is back in place`);
    expect(changingDockerCalls().slice(5)).toEqual([
      ['rm', '--force', CONTAINER],
      ['rename', BACKUP, CONTAINER],
      ['start', CONTAINER],
    ]);
    expect(sandbox.world().containers).toEqual({ [CONTAINER]: runningContainer(OLD_IMAGE, apiImage('a').id) });
    expect(healthChecks()).toBe(3 + 1);
    expect(readdirSync(path.join(sandbox.stateDirectory, 'env'))).toEqual([]);
  });

  it('rolls back when the API answers without this instance id, a sign it never read the .env file', () => {
    const result = deploy(instanceWorld({ newImage: { serverDirectory: '/srv' } }));

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('"instance":"unknown","database":"ok"');
    expect(result.stdout).toContain(`the API does not report instance ${INSTANCE_ID}: it did not read the .env file`);
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('rolls back at once, without waiting for /health, when the new container keeps restarting', () => {
    const result = deploy(instanceWorld({ newImage: { crashes: true } }));

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the container is not running steadily (status and restarts: restarting 1)');
    expect(healthChecks()).toBe(1);
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('fails and leaves nothing running when a first deploy never becomes healthy', () => {
    const result = deploy(instanceWorld({ withOldContainer: false, newImage: { database: 'unreachable' } }));

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('there was no previous container to restore');
    expect(sandbox.world().containers).toEqual({});
  });

  it('refuses to touch the running container when a database parameter is missing', () => {
    const world = instanceWorld();
    world.parameters = Object.fromEntries(
      Object.entries(world.parameters).filter(([name]) => name !== `${PARAMETER_PREFIX}DB_PASSWORD`),
    );

    const result = deploy(world);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`parameter ${PARAMETER_PREFIX}DB_PASSWORD is missing`);
    expect(changingDockerCalls().map(([first = '']) => first)).toEqual(['login', 'pull']);
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
    expect(readdirSync(path.join(sandbox.stateDirectory, 'env'))).toEqual([]);
  });

  it('refuses a password that no .env quoting can hold, naming the setting and nothing else', () => {
    const world = instanceWorld();
    world.parameters[`${PARAMETER_PREFIX}DB_PASSWORD`] = "it's`both";

    const result = deploy(world);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DB_PASSWORD contains both ' and `");
    expect(result.stderr).not.toContain("it's`both");
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('fails before stopping anything when the RDS certificate bundle cannot be downloaded the first time', () => {
    const world = instanceWorld();
    world.rdsCaBundle = null;

    const result = deploy(world);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('could not download the RDS certificate bundle');
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('keeps using the bundle from an earlier deploy when the download fails', () => {
    const world = instanceWorld();
    world.rdsCaBundle = null;
    sandbox = Sandbox.create(world);
    sandbox.run('mkdir', ['-p', sandbox.stateDirectory]);
    writeFileSync(path.join(sandbox.stateDirectory, 'rds-global-bundle.pem'), RDS_CA_BUNDLE);

    const result = sandbox.runScript('deploy-api.sh', deployArguments());

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('using the copy from an earlier deploy');
  });

  it('with --ssl-mode require, neither downloads nor mounts a certificate bundle', () => {
    const result = deploy(instanceWorld(), deployArguments(NEW_IMAGE, 'require'));

    expect(result.status, result.stderr).toBe(0);
    const envFile = envFileOf(liveContainer());
    expect(sandbox.calls('docker').find((call) => call.args[0] === 'run')?.args).toEqual(expectedRunArguments(envFile));
    expect(parseEnv(readFileSync(envFile, 'utf8'))).toEqual({ ...DB_SECRETS, SSLMODE: 'require', SEED: 'reference', INSTANCE_ID });
    expect(sandbox.calls('curl').map((call) => call.args.at(-1))).not.toContain(
      'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    );
  });

  it('asks the image for the uid of a USER given by name', () => {
    const uid = process.getuid?.() ?? 0;
    const result = deploy(instanceWorld({ newImage: { user: 'node', uid } }));

    expect(result.status, result.stderr).toBe(0);
    expect(changingDockerCalls()).toContainEqual(['run', '--rm', '--entrypoint', 'id', NEW_IMAGE, '-u']);
    expect(statSync(envFileOf(liveContainer())).uid).toBe(uid);
  });

  it('puts back the container an interrupted deploy left renamed, then replaces it', () => {
    const world = instanceWorld();
    const old = world.containers[CONTAINER];
    if (old === undefined) throw new Error('the world has no old container');
    world.containers = { [BACKUP]: { ...old, status: 'exited' } };

    const result = deploy(world);

    expect(result.status, result.stderr).toBe(0);
    expect(changingDockerCalls().slice(2, 5)).toEqual([
      ['rename', BACKUP, CONTAINER],
      ['stop', '--time', '20', CONTAINER],
      ['rename', CONTAINER, BACKUP],
    ]);
    expect(Object.keys(sandbox.world().containers)).toEqual([CONTAINER]);
  });

  it('keeps the new and the previous image and removes older ones of the repository', () => {
    const world = instanceWorld();
    const olderImage = `${REPOSITORY}:0123456789abcdef0123456789abcdef01234567`;
    world.images[olderImage] = apiImage('c');

    const result = deploy(world);

    expect(result.status, result.stderr).toBe(0);
    expect(changingDockerCalls()).toContainEqual(['image', 'rm', olderImage]);
    expect(Object.keys(sandbox.world().images).sort()).toEqual([NEW_IMAGE, OLD_IMAGE].sort());
  });

  it('says which image it replaced, for the pipeline to deploy again if the public check fails', () => {
    const result = deploy(instanceWorld());

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `health: {"status":"ok","instance":"${INSTANCE_ID}","database":"ok"}`,
      `previous-image: ${OLD_IMAGE}`,
    ]);
  });

  it('names no previous image on a first deploy', () => {
    const result = deploy(instanceWorld({ withOldContainer: false }));

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('previous-image:');
  });

  it('rejects an instance id that is not one, before calling anything', () => {
    const args = deployArguments();
    args[args.indexOf('--instance-id') + 1] = 'web-server-1';

    const result = deploy(instanceWorld(), args);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain("--instance-id must be an EC2 instance id (got 'web-server-1')");
    expect(sandbox.calls()).toEqual([]);
  });
});

describe('deploy-api.sh for a stack this project created', { timeout: 60_000 }, () => {
  const stackArguments = (extra: string[] = []) => [
    '--image', NEW_IMAGE, '--region', 'us-east-2', '--parameter-prefix', PARAMETER_PREFIX, '--instance-id', '',
    '--database-secret', DATABASE_SECRET_ARN, '--database-name', 'rockofages', '--ssl-mode', 'verify-full',
    '--log-group', 'RockOfAges-ApiLogsContainer-X1y2', '--trust-proxy', '10.40.0.0/16', ...extra,
  ];
  const worldWithoutDatabaseParameters = (): World => ({ ...instanceWorld(), parameters: {} });

  it("reads the database settings from the database's secret, never from Parameter Store", () => {
    const result = deploy(worldWithoutDatabaseParameters(), stackArguments());

    expect(result.status, result.stderr).toBe(0);
    expect(parseEnv(readFileSync(envFileOf(liveContainer()), 'utf8'))).toEqual({
      ...DB_SECRETS,
      SSLMODE: 'verify-full',
      DB_SSLROOTCERT: CA_IN_CONTAINER,
      SEED: 'reference',
      TRUST_PROXY: '10.40.0.0/16',
      INSTANCE_ID,
    });
    const awsCalls = sandbox.calls('aws').map((call) => call.args.slice(0, 2).join(' '));
    expect(awsCalls).toContain('secretsmanager get-secret-value');
    const parameterNames = sandbox.calls('aws').filter((call) => call.args[1] === 'get-parameters').map((call) => call.args[call.args.indexOf('--names') + 1]);
    expect(parameterNames).toEqual([`${PARAMETER_PREFIX}SEED`, `${PARAMETER_PREFIX}S3_BUCKET`]);
  });

  it("copies the stack's photo bucket, its public URL and the region into .env, for the API's S3 store", () => {
    const world = worldWithoutDatabaseParameters();
    world.parameters[`${PARAMETER_PREFIX}S3_BUCKET`] = 'rockofages-photostoragebucket-abc123';
    world.parameters[`${PARAMETER_PREFIX}PHOTOS_PUBLIC_URL`] = 'https://d111111abcdef8.cloudfront.net';
    const result = deploy(world, stackArguments());

    expect(result.status, result.stderr).toBe(0);
    expect(parseEnv(readFileSync(envFileOf(liveContainer()), 'utf8'))).toMatchObject({
      S3_BUCKET: 'rockofages-photostoragebucket-abc123',
      PHOTOS_PUBLIC_URL: 'https://d111111abcdef8.cloudfront.net',
      AWS_REGION: 'us-east-2',
    });
  });

  it('refuses an S3_BUCKET parameter that is no bucket name, before touching the container', () => {
    const world = worldWithoutDatabaseParameters();
    world.parameters[`${PARAMETER_PREFIX}S3_BUCKET`] = 'Not A Bucket';
    const result = deploy(world, stackArguments());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${PARAMETER_PREFIX}S3_BUCKET is not a bucket name (got 'Not A Bucket')`);
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('keeps the secret out of every argument and of its own output', () => {
    const result = deploy(worldWithoutDatabaseParameters(), stackArguments());

    expect(result.status, result.stderr).toBe(0);
    const secretJson = databaseSecretFor(DB_SECRETS);
    for (const call of sandbox.calls()) {
      for (const argument of call.args) {
        expect(argument).not.toContain(DB_SECRETS.DB_PASSWORD);
        expect(argument).not.toContain(secretJson);
      }
    }
    expect(result.stdout + result.stderr).not.toContain(DB_SECRETS.DB_PASSWORD);
  });

  it("asks the instance metadata service (IMDSv2: a token first) for the instance's id when it is not given", () => {
    const result = deploy(worldWithoutDatabaseParameters(), stackArguments());

    expect(result.status, result.stderr).toBe(0);
    const metadata = sandbox.calls('curl').map((call) => call.args.at(-1)).filter((url) => url?.includes('169.254.169.254'));
    expect(metadata).toEqual(['http://169.254.169.254/latest/api/token', 'http://169.254.169.254/latest/meta-data/instance-id']);
    expect(result.stdout).toContain(`health: {"status":"ok","instance":"${INSTANCE_ID}","database":"ok"}`);
  });

  it("sends the container's lines to CloudWatch Logs, one stream per deploy, without ever blocking the API", () => {
    const result = deploy(worldWithoutDatabaseParameters(), stackArguments());

    expect(result.status, result.stderr).toBe(0);
    const run = sandbox.calls('docker').find((call) => call.args[0] === 'run')?.args ?? [];
    const logOptions = run.flatMap((argument, index) => (run[index - 1] === '--log-opt' ? [argument] : []));
    expect(run[run.indexOf('--log-driver') + 1]).toBe('awslogs');
    expect(logOptions).toEqual([
      'awslogs-region=us-east-2',
      'awslogs-group=RockOfAges-ApiLogsContainer-X1y2',
      expect.stringMatching(new RegExp(`^awslogs-stream=${CONTAINER}/${INSTANCE_ID}/\\d{8}T\\d{6}Z$`)) as string,
      'mode=non-blocking',
      'max-buffer-size=4m',
    ]);
  });

  it('seeds what the pipeline chose in the SEED parameter', () => {
    const world = worldWithoutDatabaseParameters();
    world.parameters[`${PARAMETER_PREFIX}SEED`] = 'sample';

    const result = deploy(world, stackArguments());

    expect(result.status, result.stderr).toBe(0);
    expect(parseEnv(readFileSync(envFileOf(liveContainer()), 'utf8')).SEED).toBe('sample');
    expect(result.stdout).toContain('with SEED=sample');
  });

  it('refuses a SEED parameter that is not sample, reference or none, before touching the container', () => {
    const world = worldWithoutDatabaseParameters();
    world.parameters[`${PARAMETER_PREFIX}SEED`] = 'everything';

    const result = deploy(world, stackArguments());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${PARAMETER_PREFIX}SEED must be one of: sample reference none (got 'everything')`);
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('refuses a secret without a host (not yet attached to the database), before touching the container', () => {
    const world = worldWithoutDatabaseParameters();
    world.secrets[DATABASE_SECRET_ARN] = JSON.stringify({ username: 'rockadmin', password: 'x' });

    const result = deploy(world, stackArguments());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the database secret has no "host" field (is it attached to the database?)');
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });

  it('names the permission when the secret cannot be read', () => {
    const world = worldWithoutDatabaseParameters();
    world.secrets = {};

    const result = deploy(world, stackArguments());

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('could not read the database secret (does the instance role allow secretsmanager:GetSecretValue on it?)');
    expect(liveContainer()).toMatchObject({ image: OLD_IMAGE, status: 'running' });
  });
});
