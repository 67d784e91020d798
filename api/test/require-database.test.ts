import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runApi } from '@rock-of-ages/test-kit';
import { ConfigError, loadConfig } from '../src/config/config.js';

const tempDir = mkdtempSync(path.join(tmpdir(), 'rock-require-db-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const NO_DATABASE = /^No PostgreSQL database is configured: set DB_HOST \(with DB_NAME, DB_USER and DB_PASSWORD\) or DATABASE_URL\. With (NODE_ENV=production|REQUIRE_DATABASE=true) the API does not fall back to a SQLite file \(REQUIRE_DATABASE=false allows it\)\.$/;

describe('REQUIRE_DATABASE', () => {
  it('without it, and outside production, no PostgreSQL configuration means the SQLite file', () => {
    expect(loadConfig({}, '/srv/api').database).toEqual({ dialect: 'sqlite', path: '/srv/api/db.sqlite3' });
    expect(loadConfig({ NODE_ENV: 'development' }, '/srv/api').database.dialect).toBe('sqlite');
    expect(loadConfig({ REQUIRE_DATABASE: 'false', NODE_ENV: 'production' }, '/srv/api').database.dialect).toBe('sqlite');
  });

  it.each([
    [{ REQUIRE_DATABASE: 'true' }, 'REQUIRE_DATABASE=true'],
    [{ NODE_ENV: 'production' }, 'NODE_ENV=production'],
    [{ NODE_ENV: 'production', DB_HOST: '  ' }, 'NODE_ENV=production'],
  ])('with %o, no PostgreSQL configuration is a configuration error naming %s', (env, because) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(NO_DATABASE);
    expect(() => loadConfig(env)).toThrow(because);
  });

  it('with it, DB_HOST or DATABASE_URL is used as always', () => {
    expect(loadConfig({ REQUIRE_DATABASE: 'true', DB_HOST: 'db.example.com' }).database).toMatchObject({ dialect: 'postgres', host: 'db.example.com' });
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db.example.com/rocks' }).database).toMatchObject({ dialect: 'postgres', database: 'rocks' });
  });

  it('refuses a value that is not true or false', () => {
    expect(() => loadConfig({ REQUIRE_DATABASE: 'maybe', DB_HOST: 'db.example.com' })).toThrow(/Invalid configuration: REQUIRE_DATABASE: /);
  });

  it.each([
    ['the server', 'server', []],
    ['db:setup', 'cli', ['setup']],
  ] as const)('%s stops at once with that one line and exit code 1, and writes no SQLite file', async (_name, entry, args) => {
    const file = path.join(tempDir, `${entry}.sqlite3`);
    const api = runApi(entry, { HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'production', SQLITE_PATH: file }, [...args]);
    expect(await api.exited).toBe(1);
    expect(api.output()).toMatch(/No PostgreSQL database is configured: set DB_HOST .* With NODE_ENV=production the API does not fall back to a SQLite file/);
    expect(api.output()).not.toMatch(/Server listening|Using SQLite/);
    expect(existsSync(file)).toBe(false);
  });
});
