import type { RockImageRecord } from '../repositories/rock-images-repository.js';
import type { RockImage } from '@rock-of-ages/contract';
import type { PhotoStore } from './photo-store.js';

/** A photo as the API shows it: URLs for its served files (none until ready), times as ISO-8601. */
export function presentRockImage(image: RockImageRecord, store: PhotoStore, apiOrigin: string): RockImage {
  const url = (key: string | null) => (key === null ? null : store.publicUrl(key, apiOrigin));
  return {
    id: image.id,
    rock: image.rock_id,
    original_url: url(image.original_key),
    thumbnail_small_url: url(image.thumbnail_small_key),
    thumbnail_medium_url: url(image.thumbnail_medium_key),
    thumbnail_large_url: url(image.thumbnail_large_key),
    uploaded_at: new Date(Number(image.uploaded_at)).toISOString(),
    file_size: image.file_size,
    status: image.status,
    failure_reason: image.failure_reason,
  };
}
