import { randomBytes } from 'node:crypto';
import { MAX_IMAGE_BYTES } from '@rock-of-ages/contract';
import type { PhotoJobsRepository } from '../repositories/photo-jobs-repository.js';
import type { RockImagesRepository } from '../repositories/rock-images-repository.js';
import { makePhotoFiles } from './photo-files.js';
import type { PhotoStore } from './photo-store.js';

export interface ProcessPhotoParts {
  images: RockImagesRepository;
  jobs: PhotoJobsRepository;
  store: PhotoStore;
  now: () => number;
}

/** How long a job waits before looking again for a file not uploaded yet. */
export const UPLOAD_CHECK_INTERVAL_MS = 2_000;
/** A PUT that started just before the URL expired may still be arriving. */
const UPLOAD_GRACE_MS = 60_000;

export type ProcessOutcome = 'ready' | 'failed' | 'waiting for the upload' | 'photo deleted';

/**
 * One claimed job: waits for the upload (the course's client never confirms it), refuses what is
 * too large or no image, else writes the served files and marks the photo ready. Running it twice
 * for one photo is harmless: only the first to finish records its files, the other deletes its own.
 */
export async function processPhoto(imageId: number, { images, jobs, store, now }: ProcessPhotoParts): Promise<ProcessOutcome> {
  const image = await images.find(imageId);
  if (image === undefined || image.status !== 'processing') {
    await jobs.finish(imageId);
    return 'photo deleted';
  }
  const fail = async (reason: string) => {
    await images.markFailed(imageId, reason);
    await store.delete([image.upload_key]);
    await jobs.finish(imageId);
    return 'failed' as const;
  };

  const size = await store.sizeOf(image.upload_key);
  if (size === undefined) {
    if (now() > image.upload_expires_at + UPLOAD_GRACE_MS) return fail('No file was uploaded before the upload URL expired');
    await jobs.postpone(imageId, now() + UPLOAD_CHECK_INTERVAL_MS);
    return 'waiting for the upload';
  }
  // S3 cannot limit the size of a presigned PUT: the limit is applied here, before reading the file.
  if (size > MAX_IMAGE_BYTES) return fail(`The file is ${size} bytes; at most ${MAX_IMAGE_BYTES} bytes (10 MB) are accepted`);
  const bytes = await store.read(image.upload_key);
  if (bytes === undefined) return fail('The uploaded file disappeared before it could be processed');

  const files = await makePhotoFiles(bytes);
  if ('refused' in files) return fail(files.refused);

  const folder = `photos/${imageId}-${randomBytes(8).toString('hex')}`;
  const keys = {
    original_key: `${folder}/original.${files.original.extension}`,
    thumbnail_small_key: `${folder}/small.webp`,
    thumbnail_medium_key: `${folder}/medium.webp`,
    thumbnail_large_key: `${folder}/large.webp`,
  };
  try {
    await store.write(keys.original_key, files.original.bytes, files.original.contentType);
    await store.write(keys.thumbnail_small_key, files.thumbnails.small, 'image/webp');
    await store.write(keys.thumbnail_medium_key, files.thumbnails.medium, 'image/webp');
    await store.write(keys.thumbnail_large_key, files.thumbnails.large, 'image/webp');
  } catch (error) {
    // The next attempt writes to a folder of its own: this one's files would never be used.
    await store.delete(Object.values(keys)).catch(() => {});
    throw error;
  }

  if (!(await images.markReady(imageId, keys, bytes.length))) {
    await store.delete(Object.values(keys));
    await jobs.finish(imageId);
    return 'photo deleted';
  }
  await store.delete([image.upload_key]);
  await jobs.finish(imageId);
  return 'ready';
}
