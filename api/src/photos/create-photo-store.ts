import type { PhotoStoreConfig } from '../config/config.js';
import { createLocalPhotoStore } from './local-photo-store.js';
import type { PhotoStore } from './photo-store.js';

/** The store the configuration names; the AWS SDK (about 12 MB of memory) is loaded only for S3. */
export async function createPhotoStore(config: PhotoStoreConfig): Promise<PhotoStore> {
  if (config.kind === 'local') return createLocalPhotoStore(config.dir);
  const { createS3PhotoStore } = await import('./s3-photo-store.js');
  return createS3PhotoStore(config);
}

export function describePhotoStore(config: PhotoStoreConfig): string {
  if (config.kind === 'local') return `local folder ${config.dir}`;
  return `S3 bucket ${config.bucket}${config.endpoint === undefined ? '' : ` at ${config.endpoint}`}`;
}
