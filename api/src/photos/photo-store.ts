import type { AcceptedImageType } from '@rock-of-ages/contract';

/** What the browser needs to upload one file straight to the store. */
export interface UploadTarget {
  key: string;
  contentType: AcceptedImageType;
  /** The file's size when the client said it: S3 then refuses a file of any other size. */
  contentLength: number | undefined;
  expiresInSeconds: number;
  /** The API's own origin as the caller reached it (`http://localhost:8000`), for URLs that point back at the API. */
  apiOrigin: string;
}

/**
 * Where photo files live: a local directory by default, an S3 bucket with S3_BUCKET. Keys are
 * `uploads/…` (files as uploaded, never served) and `photos/…` (served).
 */
export interface PhotoStore {
  readonly kind: 'local' | 's3';
  /** A URL the browser PUTs the file to, with that Content-Type, before it expires. */
  createUploadUrl(target: UploadTarget): Promise<string>;
  /** The file's size in bytes; undefined when there is no such file. */
  sizeOf(key: string): Promise<number | undefined>;
  /** The file's bytes; undefined when there is no such file. */
  read(key: string): Promise<Buffer | undefined>;
  write(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Deletes the files; keys with no file are ignored. */
  delete(keys: string[]): Promise<void>;
  /** Where browsers fetch a served file. */
  publicUrl(key: string, apiOrigin: string): string;
}

/** The store cannot be reached or cannot serve right now (S3 down or throttling, a timeout): a 503 to retry, not a 500. */
export class PhotoStoreUnavailableError extends Error {
  override name = 'PhotoStoreUnavailableError';
}

/** Served files: `photos/<image folder>/<name>.<extension>`, nothing else. */
export const SERVED_KEY = /^photos\/[a-z0-9-]{1,64}\/[a-z0-9-]{1,32}\.(jpg|png|webp)$/;
/** Files as uploaded: `uploads/<name>`. */
export const UPLOAD_KEY = /^uploads\/[a-z0-9-]{1,64}$/;

export const CONTENT_TYPE_OF_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** The URL of a served file under a base URL (the API's origin, or a CDN's). */
export function joinUrl(base: string, key: string): string {
  return `${base.replace(/\/+$/, '')}/${key}`;
}
