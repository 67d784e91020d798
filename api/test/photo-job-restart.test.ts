import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/database.js';
import { postgresApiEnv } from '@rock-of-ages/test-kit';
import { LIMITS_OFF, startInstances, stopInstances, type ApiInstance } from './support/api-instances.js';
import { askUploadUrl, dimensionsOf, fetchFile, jpegWithLocation, pollUntilProcessed, putFile } from './support/photos.js';
import { DIALECTS, createPostgresDatabase, dropPostgresDatabase, postgresConfig } from './support/test-database.js';

const JOHN = 'abcdef123456';
const ORPHA = 2;

describe.each(DIALECTS)('%s: thumbnail jobs across a restart', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a job its instance was killed in the middle of is taken up by the next instance, and the photo gets ready', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rock-restart-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    let env: Record<string, string>;
    let config;
    if (dialect === 'sqlite') {
      env = { SQLITE_PATH: path.join(dir, 'db.sqlite3') };
      config = { dialect: 'sqlite' as const, path: env.SQLITE_PATH! };
    } else {
      const name = await createPostgresDatabase();
      cleanups.push(() => dropPostgresDatabase(name));
      env = postgresApiEnv(name);
      config = postgresConfig(name);
    }
    env = { ...env, ...LIMITS_OFF, SEED: 'sample', PHOTOS_DIR: path.join(dir, 'photos') };

    const [before] = (await startInstances(1, env, 'before')) as [ApiInstance];
    cleanups.push(() => stopInstances([before.process]));
    const { body: upload } = await askUploadUrl(before, JOHN, ORPHA);

    // The instance dies holding the job, as SIGKILL in the middle of making thumbnails leaves it.
    before.process.child.kill('SIGKILL');
    await before.process.exited;
    const database = createDatabase(config);
    await database.db.updateTable('photo_job').set({ lease_until: Date.now() + 1_000, attempts: 1 }).where('image_id', '=', upload.image_id).execute();
    await database.close();

    const [after] = (await startInstances(1, env, 'after')) as [ApiInstance];
    cleanups.push(() => stopInstances([after.process]));
    // The URL the dead instance signed still works on the next one: they share the photo folder's signing key.
    const target = new URL(upload.presigned_url);
    target.port = String(after.port);
    expect((await putFile(target.toString(), await jpegWithLocation(800, 600), 'image/jpeg')).status).toBe(200);

    const image = (await pollUntilProcessed(after, JOHN, upload.image_id)).body;
    expect(image.status).toBe('ready');
    expect(await dimensionsOf((await fetchFile(image.thumbnail_medium_url)).bytes)).toEqual({ format: 'webp', width: 400, height: 300 });
  }, 120_000);
});
