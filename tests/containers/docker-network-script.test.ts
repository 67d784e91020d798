import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { freshCloneEnvironment, loadCompose, service } from './support/compose.js';
import { repoPath } from './support/repository.js';

const run = promisify(execFile);
const script = repoPath('scripts', 'docker-network.sh');
const compose = loadCompose('docker-compose.yml');
const database = service(compose, 'postgres-db');

/**
 * A copy of the script in a scratch tree (it works from its parent folder), next to a `docker`
 * that records its arguments, one call a line, and exits with FAKE_DOCKER_EXIT.
 */
let scratch: string;
let dockerLog: string;

beforeEach(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'docker-network-'));
  dockerLog = path.join(scratch, 'docker-calls.log');
  await mkdir(path.join(scratch, 'scripts'));
  await mkdir(path.join(scratch, 'api'));
  await mkdir(path.join(scratch, 'bin'));
  await copyFile(script, path.join(scratch, 'scripts', 'docker-network.sh'));
  await copyFile(repoPath('api', '.env.local.example'), path.join(scratch, 'api', '.env.local.example'));
  const fakeDocker = path.join(scratch, 'bin', 'docker');
  await writeFile(fakeDocker, `#!/bin/sh\necho "$*" >> '${dockerLog}'\nexit "\${FAKE_DOCKER_EXIT:-0}"\n`);
  await chmod(fakeDocker, 0o755);
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function runScript(args: string[], fakeDockerExit = 0): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: `${path.join(scratch, 'bin')}:${process.env.PATH ?? ''}`, FAKE_DOCKER_EXIT: String(fakeDockerExit) };
  try {
    const { stdout, stderr } = await run('bash', [path.join(scratch, 'scripts', 'docker-network.sh'), ...args], { env, cwd: os.tmpdir() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** The commands the script printed, each as its words (the script quotes only with '...'). */
function printedCommands(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('+ '))
    .map((line) => [...line.slice(2).matchAll(/'([^']*)'|(\S+)/g)].map(([, quoted, plain]) => quoted ?? plain ?? ''));
}

async function dockerCalls(): Promise<string[]> {
  return (await readFile(dockerLog, 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
}

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

  test('up runs exactly the commands it prints', async () => {
    const { code, stdout } = await runScript(['up']);
    expect(code).toBe(0);
    expect(await dockerCalls()).toEqual(printedCommands(stdout).map((words) => words.slice(1).join(' ')));
  });

  test("up uses the learner's api/.env.local when there is one", async () => {
    await writeFile(path.join(scratch, 'api', '.env.local'), 'DB_HOST=postgres-db\n');
    const { stdout } = await runScript(['up', '--dry-run']);
    expect(printedCommands(stdout).find((words) => words.includes('api-container'))).toContain('api/.env.local');
  });

  test('up stops at the first failing command', async () => {
    const { code } = await runScript(['up'], 1);
    expect(code).toBe(1);
    expect(await dockerCalls()).toEqual(['network create rock-of-ages-network']);
  });

  test('down removes the containers and the network, carrying on when they are already gone', async () => {
    const { code, stdout } = await runScript(['down'], 1);
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
