import type { PhotoStoreConfig } from '../config/config.js';
import { createLocalPhotoStore } from './local-photo-store.js';
import type { PhotoStore } from './photo-store.js';
import { createS3PhotoStore } from './s3-photo-store.js';

export function createPhotoStore(config: PhotoStoreConfig): PhotoStore {
  return config.kind === 'local' ? createLocalPhotoStore(config.dir) : createS3PhotoStore(config);
}

export function describePhotoStore(config: PhotoStoreConfig): string {
  if (config.kind === 'local') return `local folder ${config.dir}`;
  return `S3 bucket ${config.bucket}${config.endpoint === undefined ? '' : ` at ${config.endpoint}`}`;
}
