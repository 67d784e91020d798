import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_ITERATIONS, verifyPassword } from '../src/auth/password.js';
import { sampleUsers } from '../src/db/sample-data.js';

const FIXTURE_HASH = 'pbkdf2_sha256$600000$PinrrOrk7ch9XdNNbooLC8$aQEROPFKhevn3p+wFDZXBK2Ozd0YeXouhnFBAZ7LV0w=';

describe('Django pbkdf2_sha256 passwords', () => {
  it('the sample users carry the course fixture hash', () => {
    expect(sampleUsers.map((user) => user.password)).toEqual([FIXTURE_HASH, FIXTURE_HASH]);
  });

  it('the fixture hash verifies "password" and nothing else', async () => {
    expect(await verifyPassword('password', FIXTURE_HASH)).toBe(true);
    expect(await verifyPassword('Password', FIXTURE_HASH)).toBe(false);
    expect(await verifyPassword('', FIXTURE_HASH)).toBe(false);
  });

  it('a new hash uses 1,000,000 iterations and a 22-character salt, and recomputes independently', async () => {
    const encoded = await hashPassword('s3cret påsswörd');
    const [algorithm, iterations, salt, hash] = encoded.split('$');
    expect(algorithm).toBe('pbkdf2_sha256');
    expect(Number(iterations)).toBe(PASSWORD_ITERATIONS);
    expect(PASSWORD_ITERATIONS).toBe(1_000_000);
    expect(salt).toMatch(/^[A-Za-z0-9]{22}$/);
    // What Django does: PBKDF2-HMAC-SHA256 of the UTF-8 password with the salt as text, 32 bytes, base64.
    const recomputed = pbkdf2Sync(Buffer.from('s3cret påsswörd', 'utf8'), Buffer.from(salt!, 'utf8'), Number(iterations), 32, 'sha256').toString('base64');
    expect(hash).toBe(recomputed);
    expect(await verifyPassword('s3cret påsswörd', encoded)).toBe(true);
  });

  it('two hashes of one password differ by their salt', async () => {
    const [first, second] = await Promise.all([hashPassword('same', 1000), hashPassword('same', 1000)]);
    expect(first).not.toBe(second);
  });

  it.each([
    ['an unusable Django password', '!abcdef'],
    ['another algorithm', 'bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuv'],
    ['a truncated hash', 'pbkdf2_sha256$1000$salt'],
    ['a non-numeric iteration count', 'pbkdf2_sha256$many$salt$aGFzaA=='],
    ['an empty string', ''],
  ])('%s never verifies', async (_case, encoded) => {
    expect(await verifyPassword('password', encoded)).toBe(false);
  });
});
