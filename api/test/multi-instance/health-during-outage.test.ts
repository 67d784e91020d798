import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresApiEnv, TEST_DATABASE_URL } from '@rock-of-ages/test-kit';
import { setUpDatabaseOnce, startInstances, stopInstances, type ApiInstance } from '../support/api-instances.js';
import { startFaultyProxy, type FaultyProxy } from '../support/faulty-proxy.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from '../support/test-database.js';

interface Probe {
  status: number;
  body: { status: string };
  ms: number;
}

async function probe(instance: ApiInstance, path: '/health/live' | '/health/ready'): Promise<Probe> {
  const started = performance.now();
  const response = await fetch(`${instance.baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as { status: string }, ms: performance.now() - started };
}

/** Asks every instance both probes until `done` says so, or the attempts run out; returns every answer. */
async function probeUntil(instances: ApiInstance[], done: (ready: Probe[]) => boolean): Promise<{ live: Probe[]; ready: Probe[] }> {
  const seen = { live: [] as Probe[], ready: [] as Probe[] };
  for (let attempt = 0; attempt < 60; attempt++) {
    const round = await Promise.all(instances.map(async (instance) => [await probe(instance, '/health/live'), await probe(instance, '/health/ready')] as const));
    seen.live.push(...round.map(([live]) => live));
    const ready = round.map(([, each]) => each);
    seen.ready.push(...ready);
    if (done(ready)) return seen;
    await sleep(250);
  }
  throw new Error(`gave up; last readiness answers: ${JSON.stringify(seen.ready.slice(-instances.length))}`);
}

describe.skipIf(!DIALECTS.includes('postgres'))('three API processes whose shared database becomes unreachable', () => {
  let database: string | undefined;
  let proxy: FaultyProxy | undefined;
  let instances: ApiInstance[] = [];

  afterEach(async () => {
    await stopInstances(instances.map((instance) => instance.process));
    instances = [];
    await proxy?.close();
    if (database !== undefined) await dropPostgresDatabase(database);
    database = undefined;
  });

  it.each(['refuse', 'blackHole'] as const)(
    'with the database %sd, /health/live stays 200 on every instance while /health/ready answers 503; both 200 once it is back',
    async (fault) => {
      database = await createPostgresDatabase();
      await setUpDatabaseOnce(postgresApiEnv(database));
      const admin = new URL(TEST_DATABASE_URL);
      proxy = await startFaultyProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
      instances = await startInstances(3, { ...postgresApiEnv(database, proxy.port), MIGRATE_ON_START: 'false', SEED: 'none', DB_CONNECT_TIMEOUT_SECONDS: '1' });

      const healthy = await probeUntil(instances, (ready) => ready.every((answer) => answer.status === 200));
      expect(healthy.live.every((answer) => answer.status === 200)).toBe(true);

      if (fault === 'refuse') await proxy.refuse();
      else proxy.blackHole();
      await probeUntil(instances, (ready) => ready.every((answer) => answer.status === 503));
      // And so it stays, round after round, for as long as the outage lasts.
      let rounds = 0;
      const outage = await probeUntil(instances, () => ++rounds === 6);
      const slowestLive = Math.max(...outage.live.map((answer) => answer.ms));
      console.log(`${fault}: ${outage.live.length} liveness answers during the outage, all ${outage.live.every((a) => a.status === 200) ? '200' : 'NOT 200'}, slowest ${slowestLive.toFixed(0)} ms`);
      expect(outage.live.map((answer) => [answer.status, answer.body.status])).toEqual(outage.live.map(() => [200, 'live']));
      expect(outage.ready.map((answer) => [answer.status, answer.body.status])).toEqual(outage.ready.map(() => [503, 'unavailable']));

      await proxy.restore();
      const recovered = await probeUntil(instances, (ready) => ready.every((answer) => answer.status === 200));
      expect(recovered.live.every((answer) => answer.status === 200)).toBe(true);
    },
    120_000,
  );
});
