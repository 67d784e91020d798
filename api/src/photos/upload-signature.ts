import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The local store's answer to a presigned URL: an HMAC over the method, key, content type and
 * expiry, so that the URL works for that file, that type and that time only.
 */
export interface SignedUpload {
  key: string;
  contentType: string;
  /** Seconds since the epoch. */
  expires: number;
}

function digest(secret: Buffer, upload: SignedUpload): Buffer {
  return createHmac('sha256', secret).update(`PUT\n${upload.key}\n${upload.contentType}\n${upload.expires}`).digest();
}

export function signUpload(secret: Buffer, upload: SignedUpload): string {
  return digest(secret, upload).toString('hex');
}

export function signatureMatches(secret: Buffer, upload: SignedUpload, signature: string): boolean {
  const expected = digest(secret, upload);
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
