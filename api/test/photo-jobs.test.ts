import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_IMAGES_PER_ROCK } from '@rock-of-ages/contract';
import { createDatabase, type DatabaseHandle } from '../src/db/database.js';
import { setUpDatabase } from '../src/db/setup.js';
import { createPhotoJobsRepository } from '../src/repositories/photo-jobs-repository.js';
import { createRockImagesRepository } from '../src/repositories/rock-images-repository.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/test-database.js';

const LEASE_MS = 60_000;
const NOW = 1_800_000_000_000;

describe.each(DIALECTS)('%s: the photo job queue', (dialect) => {
  let database: TestDatabase;
  /** Each a pool (or a file connection) of its own, as separate API instances have. */
  let instances: DatabaseHandle[];

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    await setUpDatabase(database.handle, { migrate: true, seed: true }, () => {});
    instances = Array.from({ length: 4 }, () => createDatabase(database.config));
  });
  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await database.destroy();
  });

  const addPhoto = async (uploadKey: string) => {
    const creation = await createRockImagesRepository(database.handle.db).create(
      { rockId: 2, uploadKey, fileName: 'a.jpg', contentType: 'image/jpeg', uploadedAt: NOW, uploadExpiresAt: NOW + 300_000 },
      NOW,
      MAX_IMAGES_PER_ROCK,
    );
    if (!('created' in creation)) throw new Error(`no photo: ${creation.refused}`);
    return creation.created.id;
  };

  it('one due job, claimed by many instances at once, goes to exactly one of them', async () => {
    const imageId = await addPhoto('uploads/one');
    const claims = await Promise.all(
      instances.flatMap((instance) => Array.from({ length: 5 }, () => createPhotoJobsRepository(instance.db).claimNext(NOW, LEASE_MS))),
    );
    expect(claims.filter((claim) => claim !== undefined)).toEqual([{ imageId, attempts: 1 }]);
  });

  it('a claimed job is nobody else\'s until its lease runs out (its instance died), then it is claimed again', async () => {
    const imageId = await addPhoto('uploads/two');
    const jobs = createPhotoJobsRepository(database.handle.db);
    expect(await jobs.claimNext(NOW, LEASE_MS)).toEqual({ imageId, attempts: 1 });
    expect(await jobs.claimNext(NOW + LEASE_MS - 1, LEASE_MS)).toBeUndefined();
    expect(await jobs.claimNext(NOW + LEASE_MS + 1, LEASE_MS)).toEqual({ imageId, attempts: 2 });
  });

  it('a postponed job is not due before its time; a finished one is gone', async () => {
    const imageId = await addPhoto('uploads/three');
    const jobs = createPhotoJobsRepository(database.handle.db);
    await jobs.claimNext(NOW, LEASE_MS);
    await jobs.postpone(imageId, NOW + 2_000);
    expect(await jobs.claimNext(NOW + 1_999, LEASE_MS)).toBeUndefined();
    expect(await jobs.claimNext(NOW + 2_000, LEASE_MS)).toEqual({ imageId, attempts: 2 });
    await jobs.finish(imageId);
    expect(await jobs.claimNext(NOW + 10 * LEASE_MS, LEASE_MS)).toBeUndefined();
  });
});
