import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiDir } from './paths';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts the built API (api/dist/server.js, cwd api/) on a port the system picks, reads the address
 * from its "Server listening at" log line, and waits until /health answers 200.
 */
export async function startApi(databaseEnv: Record<string, string>): Promise<RunningApi> {
  const server = path.join(apiDir, 'dist', 'server.js');
  if (!existsSync(server)) throw new Error(`${server} is missing: build the API first (npm run build --workspace api)`);

  const child = spawn(process.execPath, [server], {
    cwd: apiDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', CORS_ORIGINS: '', ...databaseEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!stopped) child.kill('SIGKILL');
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the API did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        const match = /Server listening at (http:\/\/[^"\s]+)/.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the API exited with code ${code} before listening`));
      });
    });
    await waitForHealth(url);
    return { url, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- API output ---\n${output.join('\n')}`, { cause: error });
  }
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`GET ${url}/health never answered 200 (last: ${last})`);
}
