import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SERVED_KEY, UPLOAD_KEY, joinUrl, type PhotoStore, type UploadTarget } from './photo-store.js';
import { signUpload, signatureMatches, type SignedUpload } from './upload-signature.js';

export interface LocalPhotoStore extends PhotoStore {
  readonly kind: 'local';
  /** Whether a PUT with these query parameters and this Content-Type may write `key`: the reason it may not, or undefined. */
  refuseUpload(upload: { key: string; contentType: string; expires: string; signature: string }, nowSeconds: number): string | undefined;
}

/**
 * The signing key lives in the photo directory itself, so that every instance sharing the directory
 * (and a restarted one) accepts the URLs the others issued. Created once; a racing instance reads
 * the one that won.
 */
function loadSigningKey(dir: string): Buffer {
  const file = path.join(dir, '.upload-signing-key');
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

function fileOf(dir: string, key: string): string {
  if (!SERVED_KEY.test(key) && !UPLOAD_KEY.test(key)) throw new Error(`not a photo store key: ${key}`);
  return path.join(dir, key);
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Photos in a directory: the API signs upload URLs to its own `PUT /uploads/…` and serves `GET /photos/…`. */
export function createLocalPhotoStore(dir: string): LocalPhotoStore {
  mkdirSync(dir, { recursive: true });
  const secret = loadSigningKey(dir);

  return {
    kind: 'local',

    createUploadUrl({ key, contentType, expiresInSeconds, apiOrigin }: UploadTarget) {
      const upload: SignedUpload = { key, contentType, expires: Math.floor(Date.now() / 1000) + expiresInSeconds };
      const query = new URLSearchParams({ expires: String(upload.expires), signature: signUpload(secret, upload) });
      return Promise.resolve(`${joinUrl(apiOrigin, key)}?${query.toString()}`);
    },

    refuseUpload({ key, contentType, expires, signature }, nowSeconds) {
      const expiry = /^\d{1,12}$/.test(expires) ? Number(expires) : Number.NaN;
      if (!UPLOAD_KEY.test(key) || !signatureMatches(secret, { key, contentType, expires: expiry }, signature)) {
        return 'This upload URL is not valid for this file and Content-Type: ask for a new one with POST /rock-images/upload-url';
      }
      if (expiry < nowSeconds) return 'This upload URL has expired: ask for a new one with POST /rock-images/upload-url';
      return undefined;
    },

    async sizeOf(key) {
      try {
        return (await stat(fileOf(dir, key))).size;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async read(key) {
      try {
        return await readFile(fileOf(dir, key));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async write(key, bytes) {
      const file = fileOf(dir, key);
      await mkdir(path.dirname(file), { recursive: true });
      // Written beside, then renamed: a reader never sees half a file.
      const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, file);
    },

    async delete(keys) {
      const folders = new Set<string>();
      for (const key of keys) {
        const file = fileOf(dir, key);
        await rm(file, { force: true });
        if (SERVED_KEY.test(key)) folders.add(path.dirname(file));
      }
      // Each photo has a folder of its own: it goes with its last file.
      for (const folder of folders) await rmdir(folder).catch(() => {});
    },

    publicUrl(key, apiOrigin) {
      return joinUrl(apiOrigin, key);
    },
  };
}
