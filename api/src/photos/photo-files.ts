import { MAX_IMAGE_BYTES, THUMBNAIL_SIZES, type ThumbnailSize } from '@rock-of-ages/contract';

/** What a photo becomes: the original without its metadata, and the thumbnails. */
export interface PhotoFiles {
  original: { bytes: Buffer; extension: 'jpg' | 'png' | 'webp'; contentType: string };
  thumbnails: Record<ThumbnailSize, Buffer>;
}

const FORMATS = {
  jpeg: { extension: 'jpg', contentType: 'image/jpeg' },
  png: { extension: 'png', contentType: 'image/png' },
  webp: { extension: 'webp', contentType: 'image/webp' },
} as const;

export const NOT_AN_IMAGE = 'The file is not a JPEG, PNG or WebP image';

/**
 * Reads the file by its bytes (its name and declared type count for nothing) and makes the served
 * files. Every one is re-encoded without metadata, so EXIF location and camera data never leave;
 * `rotate()` first applies the EXIF orientation that would otherwise be lost with it.
 * Returns the reason when the file cannot be used.
 */
export async function makePhotoFiles(bytes: Buffer): Promise<PhotoFiles | { refused: string }> {
  if (bytes.length > MAX_IMAGE_BYTES) return { refused: `The file is ${bytes.length} bytes; at most ${MAX_IMAGE_BYTES} bytes (10 MB) are accepted` };
  // Loaded with the first photo, not at start: an API that never sees one keeps its 11 MB.
  const { default: sharp } = await import('sharp');
  let format: string | undefined;
  try {
    format = (await sharp(bytes).metadata()).format;
  } catch {
    return { refused: NOT_AN_IMAGE };
  }
  if (format !== 'jpeg' && format !== 'png' && format !== 'webp') return { refused: NOT_AN_IMAGE };
  const { extension, contentType } = FORMATS[format];
  try {
    const original = await sharp(bytes).rotate().toFormat(format).toBuffer();
    const thumbnail = (side: number) =>
      sharp(bytes).rotate().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    const [small, medium, large] = await Promise.all([thumbnail(THUMBNAIL_SIZES.small), thumbnail(THUMBNAIL_SIZES.medium), thumbnail(THUMBNAIL_SIZES.large)]);
    return { original: { bytes: original, extension, contentType }, thumbnails: { small, medium, large } };
  } catch {
    // Recognised by its header but broken further in (a truncated file, say).
    return { refused: 'The image file is damaged and cannot be read' };
  }
}
