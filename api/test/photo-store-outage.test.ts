import { freePort } from '@rock-of-ages/test-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { startBlackHolePort, type BlackHolePort } from './support/black-hole-port.js';
import { useS3Credentials } from './support/s3-server.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const UNAVAILABLE = { message: 'The photo store is not reachable right now; please try again in a moment.' };
const A_PHOTO = '/photos/0b7c2a51-4f7e-4d2e-9a65-1f0c3d2e8b91/small.webp';

/** The store's failures are the same on either database: SQLite keeps this quick. */
describe('an S3 photo store that cannot be reached', () => {
  let server: TestServer | undefined;
  let blackHole: BlackHolePort | undefined;
  afterEach(async () => {
    // The listener first: it is a process of its own, which a failed server close must not leave behind.
    blackHole?.close();
    await server?.close();
    server = undefined;
    blackHole = undefined;
  });

  const startWithBucketAt = async (port: number) => {
    useS3Credentials();
    const store = { kind: 's3' as const, bucket: 'rock-photos', endpoint: `http://127.0.0.1:${port}`, publicUrl: undefined };
    server = await startTestServer('sqlite', { photos: { store, jobLeaseMs: 120_000 } });
  };

  it('refusing connections: a photo answers 503 with a message and Retry-After, and the API serves on', async () => {
    await startWithBucketAt(await freePort());
    const photo = await request(server!, 'GET', A_PHOTO);
    expect([photo.status, photo.body, photo.headers.get('retry-after')]).toEqual([503, UNAVAILABLE, '2']);
    expect((await request(server!, 'GET', '/rocks', { token: 'abcdef123456' })).status).toBe(200);
  });

  it('never answering (a security group that drops packets): a photo answers 503 once the connection times out, not never', async () => {
    blackHole = await startBlackHolePort();
    await startWithBucketAt(blackHole.port);
    const photo = await request(server!, 'GET', A_PHOTO);
    expect([photo.status, photo.body]).toEqual([503, UNAVAILABLE]);
  }, 30_000);
});
