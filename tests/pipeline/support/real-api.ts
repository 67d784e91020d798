import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { repositoryRoot } from './sandbox.js';

const apiDirectory = path.join(repositoryRoot, 'api');
const serverScript = path.join(apiDirectory, 'dist', 'server.js');

function newestModification(directory: string): number {
  return Math.max(
    ...readdirSync(directory, { withFileTypes: true }).map((entry) => {
      const entryPath = path.join(directory, entry.name);
      return entry.isDirectory() ? newestModification(entryPath) : statSync(entryPath).mtimeMs;
    }),
  );
}

/** Compiles the API unless api/dist is newer than every source file. */
export function buildApiIfStale(): void {
  if (existsSync(serverScript) && statSync(serverScript).mtimeMs >= newestModification(path.join(apiDirectory, 'src'))) {
    return;
  }
  const result = spawnSync('npm', ['run', 'build', '--workspace', 'api'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the API failed:\n${result.stdout}${result.stderr}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RunningApi {
  baseUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the compiled API in `directory`, as the container does in its working directory: whatever
 * the `.env` file there says is all the database configuration it gets.
 */
export async function startApi(directory: string): Promise<RunningApi> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [serverScript], {
    cwd: directory,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `url` until it answers (any status) or the attempts run out. */
export async function firstAnswer(url: string, attempts = 150): Promise<Response> {
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await fetch(url);
    } catch {
      await delay(200);
    }
  }
  throw new Error(`${url} never answered`);
}
