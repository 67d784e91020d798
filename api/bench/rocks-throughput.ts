/**
 * Throughput of authenticated `GET /rocks` on the sample data, on SQLite and on PostgreSQL:
 * autocannon for 10 s with 50 connections against the compiled server in its own process, then
 * that process's peak resident memory (VmHWM). Prints figures; asserts nothing.
 *
 *   npm run bench --workspace api            (TEST_DIALECTS=sqlite narrows, BENCH_SECONDS=5 shortens)
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { createApiDatabase, selectDialects, startApi, type Dialect } from '@rock-of-ages/test-kit';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

function peakMemoryMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return line === null ? Number.NaN : Number(line[1]) / 1024;
}

async function measure(dialect: Dialect) {
  const database = await createApiDatabase(dialect, 'rock_bench');
  const server = await startApi(database.env, { built: true });
  try {
    const result = await autocannon({
      url: `${server.baseUrl}/rocks`,
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
    await server.stop();
    await database.drop();
  }
}

const rows = [];
for (const dialect of selectDialects()) rows.push(await measure(dialect));
console.log(`GET /rocks (3 rocks, authenticated), ${CONNECTIONS} connections, ${SECONDS} s, Node ${process.version}`);
console.table(rows);
