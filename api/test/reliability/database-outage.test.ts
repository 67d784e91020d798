import { setTimeout as sleep } from 'node:timers/promises';
import SqliteDriver from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { runApi, TEST_DATABASE_URL, type ApiProcess } from '@rock-of-ages/test-kit';
import { startFaultyProxy, type FaultyProxy } from '../support/faulty-proxy.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from '../support/test-database.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

interface Exchange {
  worker: number;
  path: string;
  startedAt: number;
  endedAt: number;
  status?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answer's JSON, whatever it is
  body?: any;
  error?: string;
}

const WORKERS = 8;
const TOKEN = 'abcdef123456';
/** No request may take longer than this, outage or not; far above the configured database timeouts. */
const REQUEST_LIMIT_MS = 15_000;

describe.skipIf(!DIALECTS.includes('postgres'))('PostgreSQL outages, through a proxy the test breaks', () => {
  let proxy: FaultyProxy | undefined;
  let api: ApiProcess | undefined;
  let database: string | undefined;

  afterEach(async () => {
    api?.child.kill('SIGKILL');
    await proxy?.close();
    if (database !== undefined) await dropPostgresDatabase(database);
  });

  it('connections cut under load, then refused, then black-holed: the API stays up, answers 503 with a message, recovers, and loses no acknowledged write', async () => {
    const admin = new URL(TEST_DATABASE_URL);
    database = await createPostgresDatabase();
    proxy = await startFaultyProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    api = runApi('server', {
      HOST: '127.0.0.1',
      PORT: '0',
      DB_HOST: '127.0.0.1',
      DB_PORT: String(proxy.port),
      DB_USER: decodeURIComponent(admin.username) || 'postgres',
      DB_NAME: database,
      SSLMODE: 'disable',
      DB_POOL_MAX: '5',
      DB_CONNECT_TIMEOUT_SECONDS: '1',
      DB_QUERY_TIMEOUT_SECONDS: '1',
    });
    const [, baseUrl] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);

    const t0 = performance.now();
    const now = () => performance.now() - t0;
    const exchanges: Exchange[] = [];
    let running = true;
    const worker = async (id: number) => {
      for (let n = 0; running; n++) {
        const [method, path, body] =
          id === 0
            ? ['GET', '/health', undefined]
            : n % 2 === 0
              ? ['POST', '/rocks', JSON.stringify({ name: `w${id}-${n}`, weight: 1, typeId: 1 })]
              : ['GET', '/rocks?owner=current', undefined];
        const exchange: Exchange = { worker: id, path: `${method} ${path}`, startedAt: now(), endedAt: 0 };
        try {
          const response = await fetch(`${baseUrl}${path}`, {
            method,
            body,
            headers: { authorization: `Token ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
          });
          exchange.status = response.status;
          exchange.body = await response.json();
        } catch (error) {
          exchange.error = String((error as Error).cause ?? error);
        }
        exchange.endedAt = now();
        exchanges.push(exchange);
        if (exchange.error !== undefined) await sleep(50);
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, id) => worker(id));

    const recovered = async (since: number) => {
      const deadline = performance.now() + REQUEST_LIMIT_MS;
      while (performance.now() < deadline) {
        const success = exchanges.find((exchange) => exchange.startedAt >= since && exchange.status !== undefined && exchange.status < 300 && exchange.path !== 'GET /health');
        if (success !== undefined) return success.endedAt;
        await sleep(20);
      }
      return undefined;
    };

    await sleep(1_500);
    const cutAt = now();
    await proxy.refuse();
    await sleep(3_000);
    const firstRestoreAt = now();
    await proxy.restore();
    const firstRecoveryAt = await recovered(firstRestoreAt);
    await sleep(1_500);
    const blackHoleAt = now();
    proxy.blackHole();
    await sleep(4_000);
    const secondRestoreAt = now();
    await proxy.restore();
    const secondRecoveryAt = await recovered(secondRestoreAt);
    await sleep(1_000);
    running = false;
    await Promise.all(workers);

    const during = (from: number, to: number) => exchanges.filter((exchange) => exchange.startedAt >= from && exchange.startedAt < to);
    const first503 = (from: number) => exchanges.filter((exchange) => exchange.startedAt >= from && exchange.status === 503).sort((a, b) => a.endedAt - b.endedAt)[0];
    const histogram: Record<string, number> = {};
    for (const exchange of exchanges) histogram[exchange.error ?? String(exchange.status)] = (histogram[exchange.error ?? String(exchange.status)] ?? 0) + 1;
    const longest = Math.max(...exchanges.map((exchange) => exchange.endedAt - exchange.startedAt));
    const log = api.output().split('\n');
    const unreachableLines = log.filter((line) => line.includes('Database unreachable'));
    const backLines = log.filter((line) => line.includes('Database reachable again'));
    const ms = (value: number | undefined) => (value === undefined ? 'never' : `${value.toFixed(0)} ms`);
    console.log(
      [
        `outage timeline (${exchanges.length} requests from ${WORKERS} clients, statuses ${JSON.stringify(histogram)}, longest ${ms(longest)}):`,
        `  connections cut and refused at ${ms(cutAt)}: first 503 after ${ms(first503(cutAt) && first503(cutAt)!.endedAt - cutAt)}`,
        `  database back at ${ms(firstRestoreAt)}: first success after ${ms(firstRecoveryAt && firstRecoveryAt - firstRestoreAt)}`,
        `  black hole at ${ms(blackHoleAt)}: first 503 after ${ms(first503(blackHoleAt) && first503(blackHoleAt)!.endedAt - blackHoleAt)}`,
        `  database back at ${ms(secondRestoreAt)}: first success after ${ms(secondRecoveryAt && secondRecoveryAt - secondRestoreAt)}`,
        `  log: ${unreachableLines.length} "unreachable" line(s), ${backLines.length} "reachable again" line(s), ${log.length} lines in all`,
      ].join('\n'),
    );

    expect(api.child.exitCode).toBeNull();
    expect(exchanges.filter((exchange) => exchange.error !== undefined)).toEqual([]);
    expect(exchanges.filter((exchange) => exchange.status !== undefined && exchange.status >= 500 && exchange.status !== 503)).toEqual([]);
    for (const exchange of exchanges.filter((answer) => answer.status === 503)) {
      if (exchange.path === 'GET /health') expect(exchange.body).toMatchObject({ status: 'unavailable', database: 'unreachable' });
      else expect(exchange.body).toEqual({ message: expect.stringMatching(/database/i) });
    }
    for (const [from, to] of [
      [cutAt, firstRestoreAt],
      [blackHoleAt, secondRestoreAt],
    ] as const) {
      expect(during(from, to).some((exchange) => exchange.path === 'GET /health' && exchange.status === 503)).toBe(true);
      expect(during(from, to).some((exchange) => exchange.path !== 'GET /health' && exchange.status === 503)).toBe(true);
    }
    expect(firstRecoveryAt).toBeDefined();
    expect(secondRecoveryAt).toBeDefined();
    expect(longest).toBeLessThan(REQUEST_LIMIT_MS);
    expect([unreachableLines.length, backLines.length]).toEqual([2, 2]);
    expect(log.filter((line) => line.includes('"stack"'))).toEqual([]);

    const acknowledged = exchanges.filter((exchange) => exchange.path === 'POST /rocks' && exchange.status === 201).map((exchange) => exchange.body.id as number);
    const direct = new URL(TEST_DATABASE_URL);
    direct.pathname = `/${database}`;
    const check = new pg.Client({ connectionString: direct.href });
    await check.connect();
    const stored = new Set((await check.query<{ id: number }>('select id from rockapi_rock')).rows.map((row) => row.id));
    await check.end();
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  }, 120_000);
});

describe.skipIf(!DIALECTS.includes('sqlite'))('SQLite locked by another process', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('a write that cannot get the lock within busy_timeout answers 503 with a message; once the lock is gone it is stored', async () => {
    server = await startTestServer('sqlite');
    const other = new SqliteDriver((server.database.config as { path: string }).path);
    other.exec('begin exclusive');
    const rock = { name: 'Waiting rock', weight: 1, typeId: 1 };
    let locked;
    try {
      locked = await request(server, 'POST', '/rocks', { token: TOKEN, body: rock });
    } finally {
      other.exec('rollback');
      other.close();
    }
    const after = await request(server, 'POST', '/rocks', { token: TOKEN, body: rock });

    expect([locked.status, locked.body, locked.headers.get('retry-after')]).toEqual([
      503,
      { message: 'The database is not reachable right now; please try again in a moment.' },
      '2',
    ]);
    expect(after.status).toBe(201);
  });
});
