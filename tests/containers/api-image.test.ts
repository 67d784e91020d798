import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freshCloneEnvironment, loadCompose, service } from './support/compose.js';
import { inDevContainer, launchConfiguration } from './support/dev-container-config.js';
import { hostEnv, hostPath, machineBasics, type RehearsedImage } from './support/image-rehearsal.js';
import { InspectorSession } from './support/inspector-session.js';
import { createScratchDatabase, queryScratchDatabase } from './support/postgres.js';
import { REHEARSAL_TIMEOUT_MS, rehearse, type Workspace } from './support/rehearsed-images.js';
import { freePort, ServerProcess } from './support/server-process.js';

const run = promisify(execFile);
const composeApi = service(loadCompose('docker-compose.yml'), 'api');

let workspace: Workspace;
let production: RehearsedImage;
let development: RehearsedImage;
let database: { name: string; drop: () => Promise<void> };
const servers: ServerProcess[] = [];

beforeAll(async () => {
  workspace = await rehearse('api/Dockerfile');
  production = await workspace.rehearsal.build('production');
  development = await workspace.rehearsal.build('development');
  database = await createScratchDatabase('rock_containers');
}, REHEARSAL_TIMEOUT_MS);

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.kill()));
});

afterAll(async () => {
  await database?.drop();
  await workspace?.remove();
});

/**
 * What the container's process sees: the image's ENV, then Compose's environment for `api`.
 * Only what cannot be the same here changes: no container DNS (DB_HOST), a scratch database
 * owned by this machine's superuser, and a free port instead of 8000.
 */
function containerEnv(image: RehearsedImage, port: number): Record<string, string> {
  return {
    ...machineBasics(),
    ...hostEnv(image),
    ...freshCloneEnvironment(composeApi),
    DB_HOST: '127.0.0.1',
    DB_NAME: database.name,
    DB_USER: 'postgres',
    PORT: String(port),
  };
}

function start(image: RehearsedImage, command: string[] | undefined, port: number): ServerProcess {
  if (command === undefined) throw new Error(`stage ${image.stage} has no command`);
  const server = new ServerProcess(command, { cwd: hostPath(image, image.workdir), env: containerEnv(image, port) });
  servers.push(server);
  return server;
}

async function api<T>(port: number, method: string, route: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Token ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The image's HEALTHCHECK command, run as Docker runs it: inside the container, with its env. */
async function healthcheck(port: number): Promise<number> {
  const [executable, ...args] = production.healthcheck ?? [];
  if (executable === undefined) throw new Error('no HEALTHCHECK');
  return run(executable, args, { env: containerEnv(production, port), timeout: 10_000 }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
}

describe('the API image (production stage), rehearsed without Docker', () => {
  test('holds the compiled API and the production packages, and none of the build tools', () => {
    expect(existsSync(hostPath(production, 'dist/server.js'))).toBe(true);
    expect(existsSync(hostPath(production, 'dist/cli.js'))).toBe(true);
    expect(existsSync(hostPath(production, 'src'))).toBe(false);
    for (const needed of ['fastify', 'kysely', 'pg', 'better-sqlite3/build/Release/better_sqlite3.node']) {
      expect(existsSync(hostPath(production, `/app/node_modules/${needed}`)), needed).toBe(true);
    }
    for (const devOnly of ['typescript', 'tsx', 'vitest', 'eslint', '@types/node']) {
      expect(existsSync(hostPath(production, `/app/node_modules/${devOnly}`)), devOnly).toBe(false);
    }
    // Every npm step ran; only the operating-system steps are left to a real build.
    expect(production.skippedRuns).toEqual(['install -d -o node -g node /app/data']);
    expect(production.user).toBe('node');
  });

  test(
    'started with its command and the compose environment, it migrates, seeds, serves the contract and stops cleanly on SIGTERM',
    async () => {
      const port = await freePort();
      const server = start(production, production.cmd, port);
      await server.waitForOk(`http://127.0.0.1:${port}/health`);

      expect(server.output.join('\n')).toContain(`Using PostgreSQL at 127.0.0.1:5432/${database.name} as user postgres (sslmode=disable)`);
      expect(server.output.join('\n')).not.toContain(freshCloneEnvironment(composeApi).DB_PASSWORD);
      expect(await healthcheck(port)).toBe(0);

      const registered = await api<{ token: string }>(port, 'POST', '/register', {
        body: { email: 'ada@example.com', password: 'rocks-rule-42', first_name: 'Ada', last_name: 'Stone' },
      });
      expect(registered.status).toBe(200);
      const login = await api<{ valid: boolean; token: string }>(port, 'POST', '/login', { body: { email: 'ada@example.com', password: 'rocks-rule-42' } });
      expect(login.body).toEqual({ valid: true, token: registered.body.token });
      const token = login.body.token;
      const types = await api<{ id: number; label: string }[]>(port, 'GET', '/types', { token });
      expect(types.body).toHaveLength(5);
      const created = await api<{ id: number; weight: string }>(port, 'POST', '/rocks', { token, body: { name: 'Basalt', weight: 2.5, typeId: types.body[0]?.id } });
      expect(created).toMatchObject({ status: 201, body: { weight: '2.50' } });
      expect((await api<unknown[]>(port, 'GET', '/rocks?owner=current', { token })).body).toHaveLength(1);
      expect((await api<unknown[]>(port, 'GET', '/rocks', { token })).body).toHaveLength(4);
      expect((await api(port, 'DELETE', `/rocks/${created.body.id}`, { token })).status).toBe(204);

      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(await healthcheck(port)).toBe(1);
      const [counts] = await queryScratchDatabase<{ rocks: string; users: string }>(
        database.name,
        'SELECT (SELECT COUNT(*) FROM rockapi_rock) AS rocks, (SELECT COUNT(*) FROM auth_user) AS users',
      );
      expect(counts).toEqual({ rocks: '3', users: '3' });
    },
    120_000,
  );

  test('`node dist/cli.js migrate` and `seed` (docker exec api-container …) set up a database, and change nothing the second time', async () => {
    const scratch = await createScratchDatabase('rock_containers_cli');
    try {
      const cli = async (command: string) =>
        (
          await run('node', ['dist/cli.js', command], {
            cwd: hostPath(production, production.workdir),
            env: { ...containerEnv(production, 0), DB_NAME: scratch.name },
            timeout: 60_000,
          })
        ).stdout;
      expect(await cli('migrate')).toMatch(/Migrations applied: \S+/);
      expect(await cli('seed')).toContain('added 2 users, 2 tokens, 5 types, 3 rocks');
      expect(await cli('migrate')).toContain('Migrations: already up to date');
      expect(await cli('seed')).toContain('added 0 users, 0 tokens, 0 types, 0 rocks');
    } finally {
      await scratch.drop();
    }
  }, 120_000);
});

describe('the API image (development stage, as docker-compose.yml runs it)', () => {
  test(
    'serves from the TypeScript sources and restarts when one of them changes',
    async () => {
      const port = await freePort();
      const server = start(development, composeApi.command, port);
      await server.waitForOk(`http://127.0.0.1:${port}/health`);
      await server.waitForOutput(/Server listening/);

      await appendFile(hostPath(development, 'src/routes/health/index.ts'), '\n// edited on the host\n');
      await server.waitForOutput(/Server listening/, { count: 2 });
      await server.waitForOk(`http://127.0.0.1:${port}/health`);

      expect(await server.stop('SIGTERM')).toMatchObject({ signal: null });
    },
    120_000,
  );

  test('`tsx src/cli.ts setup` (docker compose exec api …) migrates and seeds from the sources', async () => {
    const scratch = await createScratchDatabase('rock_containers_cli');
    try {
      const { stdout } = await run('tsx', ['src/cli.ts', 'setup'], {
        cwd: hostPath(development, development.workdir),
        env: { ...containerEnv(development, 0), DB_NAME: scratch.name },
        timeout: 60_000,
      });
      expect(stdout).toContain('added 2 users, 2 tokens, 5 types, 3 rocks');
    } finally {
      await scratch.drop();
    }
  }, 60_000);
});

describe('.vscode/launch.json in the dev container (the development stage, repository at its workspace folder)', () => {
  test(
    '"API: debug" starts the API under the debugger, and a breakpoint on a TypeScript line stops there',
    async () => {
      const launch = launchConfiguration('API: debug');
      const inImage = (value: string | undefined) => hostPath(development, inDevContainer(value ?? ''));
      const [port, inspectorPort] = [await freePort(), await freePort()];
      // The debugger's own way in; the rest is the configuration's command line.
      const command = [launch.runtimeExecutable ?? 'node', `--inspect=127.0.0.1:${inspectorPort}`, ...(launch.runtimeArgs ?? []), inImage(launch.program)];
      const server = new ServerProcess(command, { cwd: inImage(launch.cwd), env: containerEnv(development, port) });
      servers.push(server);
      const [announcement = ''] = await server.waitForOutput(/Debugger listening on ws:\/\//);
      const session = await InspectorSession.connect(announcement.replace(/^.*(ws:\/\/\S+).*$/, '$1'));
      try {
        const source = 'src/routes/health/index.ts';
        const script = await session.script(`/api/${source}`);
        const anchor = "return { status: 'ok'";
        const line = (await readFile(hostPath(development, source), 'utf8')).split('\n').findIndex((text) => text.includes(anchor)) + 1;
        if (line === 0) throw new Error(`${source} no longer has the line "${anchor}" this test stops on`);
        await session.setBreakpoint(script, line);
        await server.waitForOutput(/Server listening/);

        const health = fetch(`http://127.0.0.1:${port}/health`);
        expect(await session.pausedAt(script)).toEqual({ source: expect.stringMatching(new RegExp(`/api/${source}$`)), line });
        await session.resume();
        expect((await health).status).toBe(200);
      } finally {
        session.close();
      }
      expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    },
    120_000,
  );
});
