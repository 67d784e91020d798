import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { joinUrl, PhotoStoreUnavailableError, type PhotoStore } from './photo-store.js';

export interface S3StoreOptions {
  bucket: string;
  /** An S3-compatible server instead of AWS (path-style addressing); AWS's endpoint when unset. */
  endpoint: string | undefined;
  /** Where browsers fetch served files (the CloudFront distribution); through the API when unset. */
  publicUrl: string | undefined;
}

const isNotFound = (error: unknown) => error instanceof NotFound || error instanceof NoSuchKey || (error as { name?: string }).name === 'NotFound';

/** Connecting, and each answer, are bounded (the SDK waits forever by default): an unreachable bucket fails a request, never holds it. */
const CONNECTION_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * S3's "not now": no answer at all (refused, timed out: the SDK records no HTTP status), or a fault
 * on its side (500, 503 SlowDown). Its refusals (403, 404) keep their meaning.
 */
function isUnavailable(error: unknown): boolean {
  const { $fault, $metadata } = error as { $fault?: string; $metadata?: { httpStatusCode?: number } };
  return $fault === 'server' || ($metadata !== undefined && $metadata.httpStatusCode === undefined);
}

/** A call to S3, its failures to reach S3 told apart from the rest (after the SDK's own retries). */
async function calling<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isUnavailable(error)) throw new PhotoStoreUnavailableError(`The photo store (S3) is not reachable: ${(error as Error).message}`, { cause: error });
    throw error;
  }
}

/**
 * Photos in an S3 bucket. Credentials and region come from the usual AWS chain (the task's or the
 * instance's role in AWS, AWS_* variables elsewhere). Browsers upload with presigned PUT URLs whose
 * signature covers the Content-Type (and the size, when known), so S3 itself refuses another file.
 */
export function createS3PhotoStore({ bucket, endpoint, publicUrl }: S3StoreOptions): PhotoStore {
  const client = new S3Client({
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    // Checksums only where S3 requires them: a presigned URL with a checksum of an unknown body
    // would refuse every browser upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  });

  return {
    kind: 's3',

    createUploadUrl({ key, contentType, contentLength, expiresInSeconds }) {
      // A presigned PUT cannot carry a size range: the size is signed only when the client gave it
      // (the thumbnail job refuses an oversized file otherwise).
      const sized = contentLength !== undefined;
      return getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, ...(sized ? { ContentLength: contentLength } : {}) }), {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(sized ? ['content-type', 'content-length'] : ['content-type']),
      });
    },

    async sizeOf(key) {
      try {
        const head = await calling(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        return head.ContentLength;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async read(key) {
      try {
        const object = await calling(client.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
        return object.Body === undefined ? Buffer.alloc(0) : Buffer.from(await object.Body.transformToByteArray());
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async write(key, bytes, contentType) {
      await calling(
        client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: contentType, CacheControl: 'public, max-age=31536000, immutable' })),
      );
    },

    async delete(keys) {
      if (keys.length === 0) return;
      await calling(client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } })));
    },

    publicUrl(key, apiOrigin) {
      return joinUrl(publicUrl ?? apiOrigin, key);
    },
  };
}
