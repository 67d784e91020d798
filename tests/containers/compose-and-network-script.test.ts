import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { envFiles, freshCloneEnvironment, imageName, loadCompose, service } from './support/compose.js';
import { flagValues, NetworkScriptSandbox, printedCommands } from './support/network-script.js';

/**
 * Part 2 (scripts/docker-network.sh) runs for real in the engine's tests; Compose (part 3) cannot
 * run here. So that one vouches for the other, the two must describe the same containers: these
 * compare the compose file with the commands `up --dry-run` prints.
 */
let sandbox: NetworkScriptSandbox;

beforeAll(async () => {
  sandbox = await NetworkScriptSandbox.create();
});

afterAll(() => sandbox.remove());

async function scriptCommands(env: Record<string, string> = {}): Promise<string[][]> {
  const { code, stdout, stderr } = await sandbox.run(['--dry-run', 'up'], env);
  if (code !== 0) throw new Error(`up --dry-run failed (${code}): ${stderr}`);
  return printedCommands(stdout);
}

function runOf(commands: string[][], container: string): string[] {
  const found = commands.find((words) => words[1] === 'run' && flagValues(words, '--name')[0] === container);
  if (found === undefined) throw new Error(`the script starts no container ${container}`);
  return found;
}

function buildOf(commands: string[][], dockerfile: string): string[] {
  const found = commands.find((words) => words[1] === 'build' && flagValues(words, '--file')[0] === dockerfile);
  if (found === undefined) throw new Error(`the script builds nothing from ${dockerfile}`);
  return found;
}

describe('docker-compose.yml and scripts/docker-network.sh describe the same containers', () => {
  const compose = loadCompose('docker-compose.yml');
  let commands: string[][];

  beforeAll(async () => {
    commands = await scriptCommands();
  });

  test('on the same network', () => {
    expect(commands[0]).toEqual(['docker', 'network', 'create', compose.networks?.default?.name]);
    for (const name of Object.keys(compose.services)) {
      expect(flagValues(runOf(commands, service(compose, name).container_name ?? name), '--network')).toEqual([compose.networks?.default?.name]);
    }
  });

  test('with the same container names, and no others', () => {
    const containers = Object.values(compose.services).map((entry) => entry.container_name);
    expect(commands.filter((words) => words[1] === 'run').map((words) => flagValues(words, '--name')[0])).toEqual(containers);
  });

  test('PostgreSQL: the same image, the same POSTGRES_* settings, the same published port for any POSTGRES_PORT', async () => {
    const database = service(compose, 'postgres-db');
    const run = runOf(commands, 'postgres-db');
    expect(run.at(-1)).toBe(database.image);
    expect(Object.fromEntries(flagValues(run, '--env').map((pair) => pair.split('=') as [string, string]))).toEqual(database.environment);
    expect(flagValues(run, '--publish')).toEqual(database.ports);
    const withPort = (env: Record<string, string>) => service(loadCompose('docker-compose.yml', env), 'postgres-db').ports;
    expect(flagValues(runOf(await scriptCommands({ POSTGRES_PORT: '15432' }), 'postgres-db'), '--publish')).toEqual(withPort({ POSTGRES_PORT: '15432' }));
  });

  test("the API: the same Dockerfile, the same published port, and the env file Compose reads first, or the learner's own when there is one", async () => {
    const api = service(compose, 'api');
    const run = runOf(commands, 'api-container');
    expect(flagValues(run, '--publish')).toEqual(api.ports);
    const [required, optional] = envFiles(api);
    expect(required).toEqual({ path: 'api/.env.local.example' });
    expect(optional).toEqual({ path: 'api/.env.local', required: false });
    expect(flagValues(run, '--env-file')).toEqual([required?.path]);
    await writeFile(path.join(sandbox.folder, 'api', '.env.local'), 'DB_HOST=postgres-db\n');
    expect(flagValues(runOf(await scriptCommands(), 'api-container'), '--env-file')).toEqual([optional?.path]);
    expect(flagValues(buildOf(commands, 'api/Dockerfile'), '--file')).toEqual([api.build?.dockerfile]);
  });

  test('the API images: part 2 runs the production image, Compose the development one, under different names', () => {
    const build = buildOf(commands, 'api/Dockerfile');
    expect(flagValues(build, '--target')).toEqual([]);
    expect(service(compose, 'api').build?.target).toBe('development');
    const scriptImage = flagValues(build, '--tag')[0];
    expect(runOf(commands, 'api-container').at(-1)).toBe(scriptImage);
    // One name for two targets would let `docker compose up` run a leftover production image.
    expect(imageName(compose, 'api')).not.toBe(scriptImage);
  });

  test('the client: the same image, target and published port, and the same VITE_API_URL', () => {
    const client = service(compose, 'client');
    const build = buildOf(commands, 'client/Dockerfile');
    expect(flagValues(build, '--target')).toEqual([client.build?.target]);
    expect(flagValues(build, '--tag')).toEqual([imageName(compose, 'client')]);
    const run = runOf(commands, 'client-container');
    expect(run.at(-1)).toBe(imageName(compose, 'client'));
    expect(flagValues(run, '--publish')).toEqual(client.ports);
    expect(flagValues(run, '--env')).toEqual([`VITE_API_URL=${freshCloneEnvironment(client).VITE_API_URL}`]);
  });

  test('mounts: part 2 runs the images as built (no source mounts), and PostgreSQL keeps its data where Compose mounts its volume', () => {
    for (const words of commands.filter((command) => command[1] === 'run')) expect(flagValues(words, '--volume')).toEqual([]);
    // The image declares that folder a volume (checked on the engine), which `down` removes with the container.
    expect(service(compose, 'postgres-db').volumes).toEqual(['postgres_data:/var/lib/postgresql/data']);
  });
});

