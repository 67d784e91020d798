import { pbkdf2, randomInt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Django's `pbkdf2_sha256` password format, `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, so the
 * original's users keep their passwords and hashes written here verify in Django. `crypto.pbkdf2`
 * runs on libuv's thread pool: a burst of logins does not stall the event loop.
 */
const pbkdf2Async = promisify(pbkdf2);

const ALGORITHM = 'pbkdf2_sha256';
/** Django 5.2's default for new hashes. */
export const PASSWORD_ITERATIONS = 1_000_000;
const KEY_LENGTH = 32;
const SALT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SALT_LENGTH = 22;

async function derive(password: string, salt: string, iterations: number): Promise<Buffer> {
  return pbkdf2Async(password, salt, iterations, KEY_LENGTH, 'sha256');
}

function randomSalt(): string {
  return Array.from({ length: SALT_LENGTH }, () => SALT_ALPHABET[randomInt(SALT_ALPHABET.length)]).join('');
}

export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = randomSalt();
  const hash = await derive(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${salt}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [algorithm, iterationsText, salt, hashText, ...rest] = encoded.split('$');
  const iterations = Number(iterationsText);
  if (algorithm !== ALGORITHM || rest.length > 0 || salt === undefined || hashText === undefined || !Number.isSafeInteger(iterations) || iterations < 1) {
    // Django's unusable passwords ("!…") and other algorithms never match.
    return false;
  }
  const expected = Buffer.from(hashText, 'base64');
  const actual = await derive(password, salt, iterations);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A well-formed hash that matches no password: checked against when no user matches, so timing does not tell. */
export const DECOY_PASSWORD_HASH = `${ALGORITHM}$${PASSWORD_ITERATIONS}$decoysaltdecoysaltdeco$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;
