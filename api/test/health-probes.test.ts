import type { HealthResponse } from '@rock-of-ages/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

describe.each(DIALECTS)('%s: health for load balancers', (dialect) => {
  let server: TestServer;
  const call = (method: string, path: string) => request(server, method, path);

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET /health/live answers 200 with the instance, without a token', async () => {
    const response = await call('GET', '/health/live');
    expect([response.status, response.body]).toEqual([200, { status: 'live', instance: 'test-instance' }]);
  });

  it('GET /health/ready answers as /health does: 200 with the database checked', async () => {
    const ready = await call('GET', '/health/ready');
    const health = await call('GET', '/health');
    expect([ready.status, ready.body]).toEqual([200, { status: 'ok', instance: 'test-instance', database: 'ok' }]);
    expect(ready.body).toEqual(health.body);
  });

  // Runs last: the drain cannot be undone.
  it('at shutdown, readiness turns 503 at once; answers say Connection: close only once the deregistration delay has passed', async () => {
    const deregistrationMs = 1_500;
    const started = performance.now();
    const drained = server.app.drain(5_000, deregistrationMs);

    const [ready, live, types] = await Promise.all([call('GET', '/health/ready'), call('GET', '/health/live'), call('GET', '/types')]);
    const answeredWithin = performance.now() - started;
    expect([ready.status, (ready.body as HealthResponse).status]).toEqual([503, 'draining']);
    expect(live.status).toBe(200);
    // Only meaningful while the delay lasts, which a very slow machine might outlast.
    if (answeredWithin < deregistrationMs) expect(types.headers.get('connection')).not.toBe('close');

    let toldToClose: number | undefined;
    for (let attempt = 0; attempt < 100 && toldToClose === undefined; attempt++) {
      const response = await call('GET', '/health/live');
      if (response.headers.get('connection') === 'close') toldToClose = performance.now() - started;
      else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(toldToClose).toBeGreaterThanOrEqual(deregistrationMs);
    await drained;
  });
});
