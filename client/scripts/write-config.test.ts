import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../src/config/app-config';

const script = path.join(import.meta.dirname, 'write-config.sh');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rock-client-config-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html>');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs the script with /bin/sh, as the nginx image does, with only API_URL (and CLIENT_DIR) set. */
async function writeConfig(env: Record<string, string>, args: string[] = [dir]) {
  try {
    const { stdout } = await promisify(execFile)('/bin/sh', [script, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, output: failure.stderr };
  }
}
const configFile = () => readFile(path.join(dir, 'config.json'), 'utf8');
const configExists = () => configFile().then(() => true, () => false);

describe('write-config.sh', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['http://localhost:8000/', 'http://localhost:8000'],
    ['https://d1234abcd.cloudfront.net/api//', 'https://d1234abcd.cloudfront.net/api'],
    ['/api', '/api'],
    ['/', '/'],
  ])('writes API_URL=%s as config.json that the client reads', async (apiUrl, written) => {
    expect(await writeConfig({ API_URL: apiUrl })).toMatchObject({ code: 0 });

    const content = await configFile();
    expect(content).toBe(`{"apiUrl":"${written}"}\n`);
    expect(() => parseConfigFile(JSON.parse(content), 'https://rocks.example.com')).not.toThrow();
  });

  it('takes the folder from CLIENT_DIR when no argument is given (an image start-up hook)', async () => {
    expect(await writeConfig({ API_URL: '/api', CLIENT_DIR: dir }, [])).toMatchObject({ code: 0 });
    expect(await configFile()).toBe('{"apiUrl":"/api"}\n');
  });

  it('removes config.json when API_URL is unset or empty, leaving the built-in default', async () => {
    await writeConfig({ API_URL: 'https://old.example.com' });

    expect(await writeConfig({ API_URL: '' })).toEqual({ code: 0, output: expect.stringContaining('calls /api on its own origin') });
    expect(await configExists()).toBe(false);
    expect(await writeConfig({})).toMatchObject({ code: 0 });
  });

  it.each(['api.example.com', 'ftp://files.example.com', '//api.example.com', 'https://', 'https://api.example.com/a b', 'https://x.com/"}', 'https://x.com/\\'])(
    'refuses API_URL=%s with exit 1, a message, and nothing written',
    async (apiUrl) => {
      await writeConfig({ API_URL: '/api' });

      const result = await writeConfig({ API_URL: apiUrl });

      expect(result).toEqual({ code: 1, output: expect.stringContaining('API_URL must be an http(s) URL') });
      expect(await configFile()).toBe('{"apiUrl":"/api"}\n');
    },
  );

  it('refuses a folder without index.html', async () => {
    const result = await writeConfig({ API_URL: '/api' }, [path.join(dir, 'missing')]);

    expect(result).toEqual({ code: 1, output: expect.stringContaining('is not a built client') });
  });
});
