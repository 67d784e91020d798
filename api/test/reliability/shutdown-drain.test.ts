import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runApi, type ApiProcess } from '@rock-of-ages/test-kit';
import { openRaw, parseHead } from '../support/raw-http.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from '../support/test-database.js';

const CLIENTS = 24;
const DRAIN_SECONDS = 3;

interface ClientLog {
  answered: number;
  /** Requests written whose connection was reset or closed before an answer came. */
  resets: string[];
  refused: number;
  /** Whether the last answer told the client to disconnect. */
  toldToClose: boolean;
}

/**
 * One keep-alive client sending requests back to back on its own connection, as a load balancer
 * or a browser does, until an answer says `Connection: close` (this instance is going away) or
 * the connection fails.
 */
async function keepAliveClient(port: number, stop: { requested: boolean }): Promise<ClientLog> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const log: ClientLog = { answered: 0, resets: [], refused: 0, toldToClose: false };
  try {
    while (!stop.requested) {
      const outcome = await new Promise<{ connection?: string; error?: NodeJS.ErrnoException }>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/types', agent, headers: { authorization: 'Token abcdef123456' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ connection: res.headers.connection }));
          res.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
        });
        req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
      });
      if (outcome.error !== undefined) {
        if (outcome.error.code === 'ECONNREFUSED') log.refused++;
        else log.resets.push(outcome.error.code ?? outcome.error.message);
        break;
      }
      log.answered++;
      if (outcome.connection === 'close') {
        log.toldToClose = true;
        break;
      }
    }
  } finally {
    agent.destroy();
  }
  return log;
}

describe.each(DIALECTS)('%s: shutdown under keep-alive load', (dialect) => {
  let tempDir: string;
  let database: string | undefined;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    tempDir = mkdtempSync(path.join(tmpdir(), 'rock-drain-'));
  });
  afterEach(async () => {
    api?.child.kill('SIGKILL');
    if (database !== undefined) await dropPostgresDatabase(database);
    database = undefined;
  });
  afterAll(() => {
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('every request that reaches the server is answered, with Connection: close once draining; /health turns 503 first; exit 0', async () => {
    const env: Record<string, string> =
      dialect === 'sqlite'
        ? { SQLITE_PATH: path.join(tempDir, 'drain.sqlite3') }
        : { DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_NAME: (database = await createPostgresDatabase()), SSLMODE: 'disable' };
    api = runApi('server', { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS), ...env });
    const [, baseUrl] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const port = Number(new URL(baseUrl!).port);

    // A keep-alive connection that stays idle the whole time, as a browser tab's does.
    const idle = await openRaw(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const stop = { requested: false };
    const clients = Array.from({ length: CLIENTS }, () => keepAliveClient(port, stop));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // A connection opened just before the signal, whose first request comes after it.
    const probe = await openRaw(port);
    const signalled = performance.now();
    api.child.kill('SIGTERM');
    await api.waitFor(/SIGTERM received/);
    probe.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    const probeAnswer = parseHead((await probe.closed).received);

    const logs = await Promise.race([
      Promise.all(clients),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('clients still running 20 s after SIGTERM')), 20_000)),
    ]);
    stop.requested = true;
    const exitCode = await api.exited;
    const stoppedMs = performance.now() - signalled;
    const idleOutcome = await idle.closed;

    const answered = logs.reduce((sum, log) => sum + log.answered, 0);
    const resets = logs.flatMap((log) => log.resets);
    console.log(
      `${dialect}: ${CLIENTS} keep-alive clients, ${answered} requests answered, ${resets.length} reset (${resets.join(', ') || 'none'}), ` +
        `${logs.filter((log) => log.toldToClose).length} told Connection: close, ${logs.reduce((sum, log) => sum + log.refused, 0)} refused; ` +
        `stopped ${stoppedMs.toFixed(0)} ms after SIGTERM (drain limit ${DRAIN_SECONDS} s), exit ${exitCode}`,
    );

    expect(resets).toEqual([]);
    expect(logs.every((log) => log.toldToClose)).toBe(true);
    expect(probeAnswer).toMatchObject({ status: 503, headers: { connection: 'close' } });
    expect(JSON.parse(probeAnswer.body)).toMatchObject({ status: 'draining' });
    expect(parseHead(idleOutcome.received).status).toBe(200);
    expect(idleOutcome.error).toBeUndefined();
    expect(exitCode).toBe(0);
  }, 60_000);
});
