import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

export const API_DIR = fileURLToPath(new URL('../../api/', import.meta.url));

export interface ApiProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL if it has not exited within 20 seconds. */
  stop: () => Promise<void>;
}

export interface RunApiOptions {
  /** Written to standard input at once, which is then closed: what `echo yes | …` does. */
  input?: string;
  /** Run the compiled `dist/<entry>.js`, as production does, instead of the TypeScript sources. */
  built?: boolean;
  /** The working directory (whose `.env` the API reads); `api/` by default. */
  cwd?: string;
}

/**
 * Runs an entry point of the API (`server`, `cli`) as its own process, with only the given environment
 * (and PATH and HOME): from its sources through tsx, reading the contract's sources too, or built.
 */
export function runApi(entry: 'server' | 'cli', env: Record<string, string>, args: string[] = [], options: RunApiOptions = {}): ApiProcess {
  const command = options.built === true ? [path.join(API_DIR, 'dist', `${entry}.js`)] : ['--conditions=source', '--import', 'tsx', path.join(API_DIR, 'src', `${entry}.ts`)];
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: options.cwd ?? API_DIR,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(options.input);
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);

  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (match === null) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      void exited.then((code) => {
        check();
        if (listeners.has(check)) {
          cleanup();
          reject(new Error(`exited (${code}) before ${pattern}; output:\n${text}`));
        }
      });
      check();
    });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  return { child, output: () => text, waitFor, exited, stop };
}

export interface StartApiOptions extends Omit<RunApiOptions, 'input'> {
  /** Wait until `/health` answers 200 (the default), or only until it answers at all, for a test that checks the answer itself. */
  ready?: boolean;
  timeoutMs?: number;
}

export interface RunningApi extends ApiProcess {
  baseUrl: string;
}

/** The API server on a free loopback port with the given environment, once `/health` answers. */
export async function startApi(env: Record<string, string>, { ready = true, timeoutMs = 60_000, ...options }: StartApiOptions = {}): Promise<RunningApi> {
  const port = await freePort();
  const api = runApi('server', { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env }, [], options);
  const baseUrl = `http://127.0.0.1:${port}`;
  let exitCode: number | string | undefined;
  void api.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (exitCode === undefined && Date.now() < deadline) {
    const answer = await fetch(`${baseUrl}/health`).catch((error: Error) => error);
    if (answer instanceof Response && (answer.ok || !ready)) return { ...api, baseUrl };
    last = answer instanceof Response ? `${answer.status} ${await answer.text()}` : answer.message;
    await sleep(100);
  }
  await api.stop();
  throw new Error(`GET ${baseUrl}/health: ${exitCode === undefined ? `no 200 within ${timeoutMs / 1000} s (last: ${last})` : `the API exited (${exitCode})`}; output:\n${api.output()}`);
}
