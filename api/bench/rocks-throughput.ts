/**
 * The API's speed on this machine, each server in its own process with the settings a user would
 * run (`node dist/server.js`, every setting at its default, log level info, the log going to a
 * file), under load from wrk (2 threads). Prints three tables; asserts nothing.
 *   1. Requests per second at 50 connections: a bare Fastify route answering GET /rocks's bytes (the
 *      ceiling), then GET /types, GET /rocks and POST /rocks on each engine, with the ratio to the
 *      ceiling and the server's peak resident memory.
 *   2. The whole list of 1,000, 10,000 and 100,000 rocks: time (best of 3), bytes, peak memory.
 *   3. GET /rocks at 10 connections alone, then during 48 logins sent 8 at a time: p99 and ratio, the
 *      median of three such pairs.
 *
 *   npm run bench --workspace api      (TEST_DIALECTS=sqlite narrows, as for the tests; BENCH_SECONDS=5 shortens)
 */
import { selectDialects } from '@rock-of-ages/test-kit';
import { createBenchDatabase, benchDirectory, type Engine } from './support/databases.js';
import { runLoad, runLoadDuring, type LoadResult } from './support/load.js';
import { startApi, startBareRoute, type BenchProcess } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ENGINES: Engine[] = selectDialects();
const LIST_SIZES = [1_000, 10_000, 100_000];
const BURST = { logins: 48, atOnce: 8, connections: 10, pairs: 3 };
const AUTHORIZED = { authorization: 'Token abcdef123456' };
const NEW_ROCK = JSON.stringify({ name: 'Bench rock', weight: '1.25', typeId: 1 });

const { dir, remove } = benchDirectory();
const logFile = `${dir}/servers.log`;

async function withApi<T>(engine: Engine, use: (api: BenchProcess, fillTo: (total: number) => Promise<void>) => Promise<T>): Promise<T> {
  const database = await createBenchDatabase(engine, dir);
  const api = await startApi(database.env, logFile);
  try {
    return await use(api, database.fillTo);
  } finally {
    await api.stop();
    await database.drop();
  }
}

async function throughput() {
  const rows = [];
  const seedBody = await withApi('sqlite', async (api) => (await fetch(`${api.url}/rocks`, { headers: AUTHORIZED })).text());
  const bare = await startBareRoute(seedBody, logFile);
  const ceiling = await runLoad({ url: `${bare.url}/rocks`, connections: CONNECTIONS, seconds: SECONDS });
  rows.push({ target: 'bare Fastify route, same bytes as GET /rocks', engine: '-', ...ceiling, '% of bare': 100, 'peak RSS MiB': bare.peakMiB() });
  await bare.stop();

  for (const engine of ENGINES) {
    await withApi(engine, async (api) => {
      const loads = [
        { target: 'GET /types', url: `${api.url}/types`, headers: AUTHORIZED },
        { target: 'GET /rocks', url: `${api.url}/rocks`, headers: AUTHORIZED },
        { target: 'POST /rocks', url: `${api.url}/rocks`, method: 'POST' as const, body: NEW_ROCK, headers: { ...AUTHORIZED, 'content-type': 'application/json' } },
      ];
      for (const { target, ...load } of loads) {
        const result = await runLoad({ ...load, connections: CONNECTIONS, seconds: SECONDS });
        const share = Math.round((100 * result['req/s']) / ceiling['req/s']);
        rows.push({ target, engine, ...result, '% of bare': share, 'peak RSS MiB': api.peakMiB() });
      }
    });
  }
  return rows;
}

async function bigLists() {
  const rows: Record<string, string | number>[] = [];
  for (const engine of ENGINES) {
    await withApi(engine, async (api, fillTo) => {
      for (const size of LIST_SIZES) {
        await fillTo(size);
        let best = Number.POSITIVE_INFINITY;
        let bytes = 0;
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const started = performance.now();
          const response = await fetch(`${api.url}/rocks`, { headers: AUTHORIZED });
          bytes = (await response.arrayBuffer()).byteLength;
          best = Math.min(best, performance.now() - started);
        }
        rows.push({ engine, rocks: size, 'time ms': Math.round(best), 'MB': Number((bytes / 1e6).toFixed(2)), 'peak RSS MiB': api.peakMiB() });
      }
    });
  }
  return rows;
}

/** What a login burst was answered, and how long it took. */
interface LoginBurst {
  statuses: number[];
  seconds: number;
}

/** BURST.logins logins, BURST.atOnce at a time, for one account with the right password. */
async function sendLoginBurst(apiUrl: string): Promise<LoginBurst> {
  const started = performance.now();
  const statuses: number[] = [];
  for (let sent = 0; sent < BURST.logins; sent += BURST.atOnce) {
    const wave = Array.from({ length: BURST.atOnce }, () =>
      fetch(`${apiUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'jane@example.com', password: 'password' }) }),
    );
    statuses.push(...(await Promise.all(wave)).map((response) => response.status));
  }
  return { statuses, seconds: (performance.now() - started) / 1000 };
}

interface BurstPair {
  alone: LoadResult;
  during: LoadResult;
  burst: LoginBurst;
  ratio: number;
}

/**
 * The p99 of GET /rocks alone and then during a login burst, BURST.pairs times over: one pair's
 * ratio moves widely between identical runs on a shared machine (decision 006), so the row gives
 * the median pair (by ratio) and every pair's ratio beside it.
 */
async function loginBurst(engine: Engine) {
  return withApi(engine, async (api) => {
    const load = { url: `${api.url}/rocks`, connections: BURST.connections, headers: AUTHORIZED };
    const pairs: BurstPair[] = [];
    for (let pair = 0; pair < BURST.pairs; pair += 1) {
      const alone = await runLoad({ ...load, seconds: SECONDS });
      const [during, burst] = await runLoadDuring(load, () => sendLoginBurst(api.url));
      pairs.push({ alone, during, burst, ratio: during['p99 ms'] / alone['p99 ms'] });
    }
    const middle = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)];
    if (middle === undefined) throw new Error('The burst was measured no times');
    const count = (status: number) => pairs.flatMap(({ burst }) => burst.statuses).filter((answer) => answer === status).length;
    return {
      engine,
      'p99 alone ms': middle.alone['p99 ms'],
      'p99 during ms': middle.during['p99 ms'],
      ratio: Number(middle.ratio.toFixed(2)),
      'every ratio': pairs.map(({ ratio }) => ratio.toFixed(2)).join(' '),
      'req/s during': middle.during['req/s'],
      '4xx/5xx during': middle.during['4xx/5xx'],
      'burst s': Number(middle.burst.seconds.toFixed(1)),
      'logins 200': count(200),
      'logins 503': count(503),
    };
  });
}

try {
  const header = `Node ${process.version}, ${SECONDS} s per run`;
  const speed = await throughput();
  console.log(`\nThroughput at ${CONNECTIONS} connections, authenticated, sample data (${header})`);
  console.table(speed);
  const lists = await bigLists();
  console.log('\nGET /rocks, the whole list (best of 3)');
  console.table(lists);
  const burst = [];
  for (const engine of ENGINES) burst.push(await loginBurst(engine));
  console.log(`\nGET /rocks at ${BURST.connections} connections, alone and during ${BURST.logins} logins sent ${BURST.atOnce} at a time (the median of ${BURST.pairs} pairs; logins counted over all)`);
  console.table(burst);
} finally {
  remove();
}
