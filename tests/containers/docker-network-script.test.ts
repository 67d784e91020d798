import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { freshCloneEnvironment, loadCompose, service } from './support/compose.js';
import { freePort } from '@rock-of-ages/test-kit';
import { listen } from './support/listen.js';
import { NetworkScriptSandbox, printedCommands } from './support/network-script.js';
import { repoPath } from './support/repository.js';
import { holdWorkshopLock } from './support/workshop-lock.js';

const run = promisify(execFile);
const script = repoPath('scripts', 'docker-network.sh');
const compose = loadCompose('docker-compose.yml');
const database = service(compose, 'postgres-db');

let sandbox: NetworkScriptSandbox;

beforeEach(async () => {
  sandbox = await NetworkScriptSandbox.create();
});

afterEach(() => sandbox.remove());

const runScript = (args: string[], env: Record<string, string> = {}) => sandbox.run(args, env);
const dockerCalls = () => sandbox.dockerCalls();

describe('scripts/docker-network.sh', () => {
  test('passes shellcheck', async () => {
    await expect(run('shellcheck', [script])).resolves.toMatchObject({ stdout: '' });
  });

  test('up --dry-run prints the workshop’s part-2 commands in order and runs none', async () => {
    const { code, stdout } = await runScript(['up', '--dry-run']);
    expect(code).toBe(0);
    expect(await dockerCalls()).toEqual([]);
    const { POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD } = database.environment ?? {};
    expect(printedCommands(stdout)).toEqual([
      ['docker', 'network', 'create', 'rock-of-ages-network'],
      ['docker', 'run', '--detach', '--name', 'postgres-db', '--network', 'rock-of-ages-network',
        '--env', `POSTGRES_DB=${POSTGRES_DB}`, '--env', `POSTGRES_USER=${POSTGRES_USER}`,
        '--env', `POSTGRES_PASSWORD=${POSTGRES_PASSWORD}`, '--publish', '5432:5432', database.image],
      ['docker', 'build', '--file', 'api/Dockerfile', '--tag', 'rock-of-ages-api', '.'],
      ['docker', 'run', '--detach', '--name', 'api-container', '--network', 'rock-of-ages-network',
        '--env-file', 'api/.env.local.example', '--publish', '8000:8000', 'rock-of-ages-api'],
      ['docker', 'build', '--file', 'client/Dockerfile', '--target', 'development', '--tag', 'rock-of-ages-client', '.'],
      ['docker', 'run', '--detach', '--name', 'client-container', '--network', 'rock-of-ages-network',
        '--env', `VITE_API_URL=${freshCloneEnvironment(service(compose, 'client')).VITE_API_URL}`, '--publish', '3000:3000', 'rock-of-ages-client'],
    ]);
  });

  test('POSTGRES_PORT chooses the host port PostgreSQL is published on, and the summary says how to reach it', async () => {
    const { code, stdout } = await runScript(['up', '--dry-run'], { POSTGRES_PORT: '15432' });
    expect(code).toBe(0);
    expect(printedCommands(stdout).find((words) => words.includes('postgres-db'))).toContain('15432:5432');
    expect(stdout).toContain('psql -h localhost -p 15432 -U rockadmin -d rockofages');
  });

  test.each(['abc', '0', '65536', '54 32'])('refuses POSTGRES_PORT=%j with exit code 2, running nothing', async (port) => {
    const { code, stderr } = await runScript(['up'], { POSTGRES_PORT: port });
    expect(code).toBe(2);
    expect(stderr).toContain(`POSTGRES_PORT must be a port number (1-65535), not "${port}"`);
    expect(await dockerCalls()).toEqual([]);
  });

  test("up uses the learner's api/.env.local when there is one", async () => {
    await writeFile(path.join(sandbox.folder, 'api', '.env.local'), 'DB_HOST=postgres-db\n');
    const { stdout } = await runScript(['up', '--dry-run']);
    expect(printedCommands(stdout).find((words) => words.includes('api-container'))).toContain('api/.env.local');
  });

  test('down removes the containers and the network, carrying on when they are already gone', async () => {
    const { code, stdout } = await runScript(['down'], { FAKE_DOCKER_EXIT: '1' });
    expect(code).toBe(0);
    expect(printedCommands(stdout)).toEqual([
      ['docker', 'rm', '--force', '--volumes', 'client-container', 'api-container', 'postgres-db'],
      ['docker', 'network', 'rm', 'rock-of-ages-network'],
    ]);
    expect(await dockerCalls()).toHaveLength(2);
  });

  test('status lists the containers on the network', async () => {
    const { stdout } = await runScript(['status', '--dry-run']);
    expect(printedCommands(stdout)).toEqual([
      ['docker', 'ps', '--all', '--filter', 'network=rock-of-ages-network', '--format', 'table {{.Names}}\\t{{.Image}}\\t{{.Status}}\\t{{.Ports}}'],
    ]);
  });

  test.each([[[]], [['launch']], [['up', 'down']]])('refuses %j with the usage and exit code 2', async (args) => {
    const { code, stderr } = await runScript(args);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: scripts/docker-network.sh');
    expect(await dockerCalls()).toEqual([]);
  });
});

// `up` for real checks the host's ports 8000 and 3000 first, so these hold the workshop's lock.
describe('scripts/docker-network.sh up (with the host ports checked)', () => {
  // What `up` asks before it makes anything: are containers or the network of an earlier up still there?
  const queries = ['ps --all --filter', 'network ls --filter'];
  let release: () => void;
  let postgresPort: string;

  beforeAll(async () => {
    release = await holdWorkshopLock();
  }, 1_500_000);

  afterAll(() => release?.());

  beforeEach(async () => {
    // The machine's own PostgreSQL may hold 5432.
    postgresPort = String(await freePort());
  });

  test('runs exactly the commands it prints', async () => {
    const { code, stdout, stderr } = await runScript(['up'], { POSTGRES_PORT: postgresPort });
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'No api/.env.local: using api/.env.local.example\n' });
    expect(await dockerCalls()).toEqual(printedCommands(stdout).map((words) => words.slice(1).join(' ')));
  });

  test('refuses to start anything when a host port it publishes is taken, saying which and how to choose another', async () => {
    let holder: Server | undefined;
    try {
      holder = await listen(Number(postgresPort));
      const { code, stderr } = await runScript(['up'], { POSTGRES_PORT: postgresPort });
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${postgresPort} is taken on this machine`);
      expect(stderr).toContain('POSTGRES_PORT=');
      expect((await dockerCalls()).map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual(queries);
    } finally {
      holder?.close();
    }
  });

  test('stops at the first failing command, with nothing to undo when nothing was made', async () => {
    const { code } = await runScript(['up'], { POSTGRES_PORT: postgresPort, FAKE_DOCKER_FAIL_ON: 'network create' });
    expect(code).toBe(1);
    expect((await dockerCalls()).map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual([...queries, 'network create rock-of-ages-network']);
  });

  test('refuses to start when containers or the network of an earlier up are still there', async () => {
    const { code, stderr } = await runScript(['up'], { POSTGRES_PORT: postgresPort, FAKE_DOCKER_ANSWER: 'postgres-db' });
    expect(code).toBe(1);
    expect(stderr).toContain('Already there, from an earlier up or docker compose up: postgres-db');
    expect(stderr).toContain('scripts/docker-network.sh down');
    expect((await dockerCalls()).map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual(queries);
  });

  test('undoes what it made when a later step fails, newest first', async () => {
    const { code, stderr } = await runScript(['up'], { POSTGRES_PORT: postgresPort, FAKE_DOCKER_FAIL_ON: 'build --file api/Dockerfile' });
    expect(code).toBe(1);
    expect(stderr).toContain('up failed: removing what it made');
    const calls = await dockerCalls();
    expect(calls.map((call) => call.split(' ').slice(0, 3).join(' '))).toEqual([
      ...queries,
      'network create rock-of-ages-network',
      'run --detach --name',
      'build --file api/Dockerfile',
      'rm --force --volumes',
      'network rm rock-of-ages-network',
    ]);
    expect(calls.at(-2)).toBe('rm --force --volumes postgres-db');
  });

  test('undoes the containers it started too, when the client image does not build', async () => {
    const { code } = await runScript(['up'], { POSTGRES_PORT: postgresPort, FAKE_DOCKER_FAIL_ON: 'build --file client/Dockerfile' });
    expect(code).toBe(1);
    expect((await dockerCalls()).slice(-3)).toEqual(['rm --force --volumes api-container', 'rm --force --volumes postgres-db', 'network rm rock-of-ages-network']);
  });

  test('undoes a container that `docker run` made but could not start', async () => {
    const { code } = await runScript(['up'], { POSTGRES_PORT: postgresPort, FAKE_DOCKER_FAIL_ON: 'run --detach --name client-container' });
    expect(code).toBe(1);
    expect((await dockerCalls()).slice(-4)).toEqual([
      'rm --force --volumes client-container',
      'rm --force --volumes api-container',
      'rm --force --volumes postgres-db',
      'network rm rock-of-ages-network',
    ]);
  });
});
