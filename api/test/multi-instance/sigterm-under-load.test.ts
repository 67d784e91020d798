import http from 'node:http';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresApiEnv, TEST_DATABASE_URL } from '@rock-of-ages/test-kit';
import { LIMITS_OFF, setUpDatabaseOnce, startInstances, stopInstances, type ApiInstance } from '../support/api-instances.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from '../support/test-database.js';

const CLIENTS = 12;
const TOKEN = 'abcdef123456';

interface Outcome {
  instance: number;
  method: string;
  sentAt: number;
  status?: number;
  /** ECONNREFUSED: the instance did not accept the connection, so it never saw the request. */
  refused?: boolean;
  /** Anything else: a request that may have reached the instance and got no answer. */
  error?: string;
  connectionClose?: boolean;
}

/** One request on a keep-alive agent of the instance: an answer, a refused connection, or an error. */
function send(agent: http.Agent, port: number, method: 'GET' | 'POST', body?: string): Promise<Omit<Outcome, 'instance' | 'method' | 'sentAt'>> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { authorization: `Token ${TOKEN}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, path: '/rocks', method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connectionClose: res.headers.connection === 'close' }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? { refused: true } : { error: error.code ?? error.message }));
    req.end(body);
  });
}

/**
 * The balancer's view of its targets: every 100 ms it asks each one still in rotation for /health/ready,
 * and takes out one that answers 503 (as the load balancer stops sending to a deregistered target).
 */
async function balancer(instances: ApiInstance[], inRotation: Set<number>, stop: { requested: boolean }): Promise<void> {
  while (!stop.requested) {
    for (const index of [...inRotation]) {
      const status = await fetch(`${instances[index]?.baseUrl}/health/ready`).then((response) => response.status, () => 0);
      if (status !== 200) inRotation.delete(index);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A client as a load balancer behaves: requests back to back, each to the next instance in rotation; a
 * refused connection is sent again to the next one (the request never reached anybody). Every other
 * POST creates a rock with a name of its own.
 */
async function client(id: number, instances: ApiInstance[], inRotation: Set<number>, stop: { requested: boolean }, log: Outcome[]): Promise<void> {
  const agents = instances.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let turn = id;
  try {
    for (let sequence = 0; !stop.requested; sequence++) {
      const method = sequence % 2 === 0 ? 'GET' : 'POST';
      const body = method === 'POST' ? JSON.stringify({ name: `load-${id}-${sequence}`, weight: 1, typeId: 1 }) : undefined;
      for (let attempt = 0; attempt < instances.length; attempt++) {
        const targets = [...inRotation];
        const instance = targets[turn++ % targets.length] ?? 0;
        const sentAt = performance.now();
        const outcome = await send(agents[instance] as http.Agent, instances[instance]?.port ?? 0, method, body);
        log.push({ instance, method, sentAt, ...outcome });
        if (outcome.refused !== true) break;
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

describe.skipIf(!DIALECTS.includes('postgres'))('three API processes on one database, one of them stopped under load', () => {
  let database: string | undefined;
  let instances: ApiInstance[] = [];

  afterEach(async () => {
    await stopInstances(instances.map((instance) => instance.process));
    instances = [];
    if (database !== undefined) await dropPostgresDatabase(database);
    database = undefined;
  });

  it('SIGTERM to one: every request it accepted is answered, writes acknowledged anywhere are all stored, it exits 0, the others go on', async () => {
    database = await createPostgresDatabase();
    const env = postgresApiEnv(database);
    await setUpDatabaseOnce(env);
    instances = await startInstances(3, {
      ...env,
      ...LIMITS_OFF,
      MIGRATE_ON_START: 'false',
      SEED: 'none',
      SHUTDOWN_DEREGISTRATION_SECONDS: '1',
      SHUTDOWN_DRAIN_SECONDS: '3',
    });
    const stopped = instances[1] as ApiInstance;

    const stop = { requested: false };
    const log: Outcome[] = [];
    const inRotation = new Set(instances.map((_, index) => index));
    const watching = balancer(instances, inRotation, stop);
    const clients = Array.from({ length: CLIENTS }, (_, id) => client(id, instances, inRotation, stop, log));
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const signalledAt = performance.now();
    stopped.process.child.kill('SIGTERM');
    const exitCode = await stopped.process.exited;
    const exitedAt = performance.now();
    // Load on the two that remain, for a moment after the third is gone.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stop.requested = true;
    await Promise.all([...clients, watching]);

    const onStopped = log.filter((outcome) => outcome.instance === 1 && outcome.sentAt >= signalledAt);
    const errors = log.filter((outcome) => outcome.error !== undefined);
    const created = log.filter((outcome) => outcome.method === 'POST' && outcome.status === 201).length;
    console.log(
      `${log.length} requests over ${CLIENTS} keep-alive clients; to the stopped instance after SIGTERM: ` +
        `${onStopped.filter((outcome) => outcome.status !== undefined).length} answered ` +
        `(${onStopped.filter((outcome) => outcome.connectionClose === true).length} with Connection: close), ` +
        `${onStopped.filter((outcome) => outcome.refused === true).length} refused and sent on; ${errors.length} lost; ` +
        `${created} rocks created; exit ${exitCode} ${(exitedAt - signalledAt).toFixed(0)} ms after SIGTERM`,
    );

    expect(errors).toEqual([]);
    expect(log.filter((outcome) => outcome.status !== undefined && outcome.status !== 200 && outcome.status !== 201)).toEqual([]);
    // It kept answering what it had been sent after the signal, until the balancer took it out.
    expect(onStopped.filter((outcome) => outcome.status !== undefined).length).toBeGreaterThan(0);
    expect(inRotation.has(1)).toBe(false);
    expect(exitCode).toBe(0);
    expect(log.filter((outcome) => outcome.sentAt > exitedAt && outcome.instance !== 1 && outcome.status !== undefined).length).toBeGreaterThan(0);

    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    const check = new pg.Client({ connectionString: url.href });
    await check.connect();
    try {
      const stored = await check.query<{ count: number }>("select count(*)::int as count from rockapi_rock where name like 'load-%'");
      expect(stored.rows[0]?.count).toBe(created);
    } finally {
      await check.end();
    }
  }, 120_000);
});
