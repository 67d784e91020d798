/**
 * Throughput of authenticated `GET /rocks` on the sample data, on SQLite and on PostgreSQL:
 * autocannon for 10 s with 50 connections against the compiled server in its own process, then
 * that process's peak resident memory (VmHWM). Prints figures; asserts nothing.
 *
 *   npm run bench --workspace api            (BENCH_DIALECTS=sqlite narrows, BENCH_SECONDS=5 shortens)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createPostgresDatabase, dropPostgresDatabase } from '../test/support/test-database.js';
import { freePort } from '../test/support/free-port.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');

function peakMemoryMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return line === null ? Number.NaN : Number(line[1]) / 1024;
}

async function startServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`server exited with ${code}`))));
  const url = `http://127.0.0.1:${port}`;
  const healthy = (async () => {
    while (!(await fetch(`${url}/health`).catch(() => undefined))?.ok) await sleep(100);
  })();
  await Promise.race([healthy, exited]);
  return { url, child };
}

async function measure(dialect: string) {
  let cleanup = async () => {};
  let env: Record<string, string>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rock-bench-'));
    env = { SQLITE_PATH: path.join(dir, 'bench.sqlite3') };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = await createPostgresDatabase();
    env = { DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_NAME: name, SSLMODE: 'disable' };
    cleanup = () => dropPostgresDatabase(name);
  }
  const server = await startServer(env);
  try {
    const result = await autocannon({
      url: `${server.url}/rocks`,
      headers: { authorization: 'Token abcdef123456' },
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    return {
      dialect,
      'requests/s (mean)': Math.round(result.requests.average),
      'latency p50 ms': result.latency.p50,
      'latency p99 ms': result.latency.p99,
      'non-2xx': result.non2xx,
      errors: result.errors,
      'peak RSS MiB': Number(peakMemoryMiB(server.child.pid ?? 0).toFixed(1)),
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await cleanup();
  }
}

const rows = [];
for (const dialect of DIALECTS) rows.push(await measure(dialect));
console.log(`GET /rocks (3 rocks, authenticated), ${CONNECTIONS} connections, ${SECONDS} s, Node ${process.version}`);
console.table(rows);
