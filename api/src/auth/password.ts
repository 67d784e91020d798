import { randomInt, timingSafeEqual } from 'node:crypto';
import { isStorableText } from '@rock-of-ages/contract';
import { pbkdf2Sha256 } from './low-priority-pbkdf2.js';

/**
 * Django's `pbkdf2_sha256` password format, `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, so the
 * original's users keep their passwords and hashes written here verify in Django. Hashing runs in a
 * helper process of the lowest priority: a burst of logins neither stalls the event loop nor takes
 * the cores that other requests need.
 */
const ALGORITHM = 'pbkdf2_sha256';
/** Django 5.2's default for new hashes. */
export const PASSWORD_ITERATIONS = 1_000_000;
const KEY_LENGTH = 32;
const SALT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SALT_LENGTH = 22;

async function derive(password: string, salt: string, iterations: number): Promise<Buffer> {
  return pbkdf2Sha256(password, salt, iterations, KEY_LENGTH);
}

function randomSalt(): string {
  return Array.from({ length: SALT_LENGTH }, () => SALT_ALPHABET[randomInt(SALT_ALPHABET.length)]).join('');
}

export async function hashPassword(password: string, iterations = PASSWORD_ITERATIONS): Promise<string> {
  const salt = randomSalt();
  const hash = await derive(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${salt}$${hash.toString('base64')}`;
}

/** A well-formed hash that matches no password: checked against when no user matches, so timing does not tell. */
export const DECOY_PASSWORD_HASH = `${ALGORITHM}$${PASSWORD_ITERATIONS}$decoysaltdecoysaltdeco$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

function parseHash(encoded: string): { iterations: number; salt: string; hash: Buffer } | undefined {
  const [algorithm, iterationsText, salt, hashText, ...rest] = encoded.split('$');
  const iterations = Number(iterationsText);
  if (algorithm !== ALGORITHM || rest.length > 0 || salt === undefined || hashText === undefined || !Number.isSafeInteger(iterations) || iterations < 1) {
    // Django's unusable passwords ("!…") and other algorithms never match.
    return undefined;
  }
  return { iterations, salt, hash: Buffer.from(hashText, 'base64') };
}

export interface PasswordCheck {
  matches: boolean;
  /** When it matched a hash of another work factor: the password hashed with today's, to store instead. */
  rehashed?: string;
}

/**
 * Django's `check_password`. Whatever the outcome, it costs at least today's work factor: a wrong
 * password for a user with an older, cheaper hash (or an unusable one) is made to cost as much as
 * for any other user and for no user at all, so timing does not tell which accounts exist.
 * Passwords with NUL or unpaired surrogates never match: HMAC pads a short key with zero bytes, and
 * an unpaired surrogate is hashed as U+FFFD, so "password\0" would otherwise match "password".
 */
export async function checkPassword(password: string, encoded: string): Promise<PasswordCheck> {
  const parsed = parseHash(encoded);
  if (parsed === undefined || !isStorableText(password)) {
    await derive(password, 'decoy', PASSWORD_ITERATIONS);
    return { matches: false };
  }
  const actual = await derive(password, parsed.salt, parsed.iterations);
  const matches = parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
  if (!matches) {
    // Django's harden_runtime: the iterations an older hash did not cost.
    if (parsed.iterations < PASSWORD_ITERATIONS) await derive(password, parsed.salt, PASSWORD_ITERATIONS - parsed.iterations);
    return { matches: false };
  }
  return parsed.iterations === PASSWORD_ITERATIONS ? { matches: true } : { matches: true, rehashed: await hashPassword(password) };
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  return (await checkPassword(password, encoded)).matches;
}
