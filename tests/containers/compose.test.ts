import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { envFiles, freshCloneEnvironment, interpolate, loadCompose, service } from './support/compose.js';
import { repoPath, repoRoot } from './support/repository.js';

const run = promisify(execFile);
const compose = loadCompose('docker-compose.yml');
const database = service(compose, 'postgres-db');
const api = service(compose, 'api');
const client = service(compose, 'client');

describe('docker-compose.yml', () => {
  test('has the workshop services with their container names', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'client', 'postgres-db']);
    expect(database.container_name).toBe('postgres-db');
    expect(api.container_name).toBe('api-container');
    expect(client.container_name).toBe('client-container');
  });

  test('runs PostgreSQL 15 with the workshop database, user and password, its data on the named volume postgres_data', () => {
    expect(database.image).toBe('postgres:15');
    expect(database.environment).toEqual({ POSTGRES_DB: 'rockofages', POSTGRES_USER: 'rockadmin', POSTGRES_PASSWORD: 'localpassword123' });
    expect(database.volumes).toEqual(['postgres_data:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['postgres_data']);
  });

  test('publishes PostgreSQL on the host port POSTGRES_PORT, 5432 unless it is set', () => {
    expect(database.ports).toEqual(['5432:5432']);
    expect(service(loadCompose('docker-compose.yml', { POSTGRES_PORT: '15432' }), 'postgres-db').ports).toEqual(['15432:5432']);
    expect(service(loadCompose('docker-compose.yml', { POSTGRES_PORT: '' }), 'postgres-db').ports).toEqual(['5432:5432']);
  });

  test('checks the database with pg_isready for its own user and database', () => {
    const { POSTGRES_USER, POSTGRES_DB } = database.environment ?? {};
    expect(database.healthcheck?.test).toEqual(['CMD', 'pg_isready', '-U', POSTGRES_USER, '-d', POSTGRES_DB]);
  });

  test('starts the API only once the database is healthy', () => {
    expect(api.depends_on).toEqual({ 'postgres-db': { condition: 'service_healthy' } });
  });

  test("gives the API the database service's name, port and POSTGRES_* credentials, without TLS", () => {
    const env = freshCloneEnvironment(api);
    const { POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD } = database.environment ?? {};
    expect(env).toMatchObject({
      DB_HOST: 'postgres-db',
      DB_PORT: database.ports?.[0]?.split(':')[1],
      DB_NAME: POSTGRES_DB,
      DB_USER: POSTGRES_USER,
      DB_PASSWORD: POSTGRES_PASSWORD,
      SSLMODE: 'disable',
      DATABASE_URL: '',
    });
  });

  test('publishes the API on 8000 and the client on 3000, the ports the servers listen on', () => {
    expect(api.ports).toEqual(['8000:8000']);
    expect(freshCloneEnvironment(api).PORT).toBe('8000');
    expect(client.ports).toEqual(['3000:3000']);
    expect(client.command).toEqual(expect.arrayContaining(['--host', '0.0.0.0']));
    expect(client.command?.[client.command.indexOf('--port') + 1]).toBe('3000');
  });

  test("tells the browser to call the API through the host's published port, not the network name", () => {
    expect(freshCloneEnvironment(client).VITE_API_URL).toBe('http://localhost:8000');
  });

  test('builds both images from the repository root, where the npm lock file is, for their development stages', () => {
    for (const name of ['api', 'client'] as const) {
      const build = service(compose, name).build;
      expect(build?.context).toBe('.');
      expect(existsSync(repoPath(build?.dockerfile ?? ''))).toBe(true);
      expect(build?.target).toBe('development');
    }
  });

  test('builds the API as rock-of-ages-api-dev, never pulling a published image of that name', () => {
    expect(api).toMatchObject({ image: 'rock-of-ages-api-dev', pull_policy: 'build' });
  });

  test('makes the watchers poll, since file events may not cross a bind mount', () => {
    expect(api.environment?.CHOKIDAR_USEPOLLING).toBe('true');
    expect(client.environment?.CHOKIDAR_USEPOLLING).toBe('true');
  });

  test('names its default network rock-of-ages-network', () => {
    expect(compose.networks).toEqual({ default: { name: 'rock-of-ages-network' } });
  });

  test('needs no file a fresh clone lacks: required env files are in the repository, optional ones are git-ignored', async () => {
    const ignored = (file: string) =>
      run('git', ['check-ignore', '--quiet', file], { cwd: repoRoot }).then(
        () => true,
        () => false,
      );
    for (const entry of [...envFiles(api), ...envFiles(client)]) {
      if (entry.required === false) {
        expect(await ignored(entry.path), `${entry.path} holds local settings`).toBe(true);
      } else {
        expect(existsSync(repoPath(entry.path)), `${entry.path} exists`).toBe(true);
        expect(await ignored(entry.path), `${entry.path} is committed`).toBe(false);
      }
    }
  });
});

describe("the compose files' variable substitution, as the checks above read it", () => {
  test('takes the value, or the default when it is unset or empty', () => {
    expect(interpolate('"${PORT:-5432}:5432" ${NAME}', { PORT: '1', NAME: 'x' })).toBe('"1:5432" x');
    expect(interpolate('"${PORT:-5432}:5432" ${NAME}', { PORT: '' })).toBe('"5432:5432" ');
  });

  test('refuses forms it does not implement', () => {
    expect(() => interpolate('${PORT?required}', {})).toThrow('unsupported substitution ${PORT?required}');
  });
});
