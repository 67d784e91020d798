import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@rock-of-ages/test-kit';

const API_DIR = path.resolve(import.meta.dirname, '../..');

export interface BenchProcess {
  url: string;
  child: ChildProcess;
  /** The process's peak resident memory so far (VmHWM), in MiB. */
  peakMiB: () => number;
  stop: () => Promise<void>;
}

function peakMemoryMiB(pid: number | undefined): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return line === null ? Number.NaN : Number((Number(line[1]) / 1024).toFixed(1));
}

async function startProcess(args: string[], env: Record<string, string>, logFile: string): Promise<BenchProcess> {
  const port = await freePort();
  // The log goes to a file, as a user's log collector would take it: the default level, nothing quieter.
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, {
    cwd: API_DIR,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}; see ${logFile}`))));
  const url = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    while (!(await fetch(`${url}/health`).catch(() => undefined))?.ok) await sleep(100);
  })();
  await Promise.race([ready, exited]);
  return {
    url,
    child,
    peakMiB: () => peakMemoryMiB(child.pid),
    stop: async () => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** The compiled API, as `npm start` runs it, with the environment given (the database's; every other setting is the default). */
export function startApi(env: Record<string, string>, logFile: string): Promise<BenchProcess> {
  return startProcess(['dist/server.js'], env, logFile);
}

/** The ceiling: a bare Fastify route that answers `body` as JSON, with nothing else on the way. */
export function startBareRoute(body: string, logFile: string): Promise<BenchProcess> {
  return startProcess(['--import', 'tsx', 'bench/support/bare-route-server.ts'], { BARE_BODY: body }, logFile);
}
