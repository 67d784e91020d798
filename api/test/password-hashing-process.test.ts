import { pbkdf2Sync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createApiDatabase, startApi } from '@rock-of-ages/test-kit';
import { pbkdf2Sha256 } from '../src/auth/low-priority-pbkdf2.js';
import { hashingHelpersOf, processInfo } from './support/hashing-helpers.js';

/** The hashing helper among `parent`'s children, once it has lowered its priority. */
const hashingHelperOf = (parent: number) =>
  vi.waitFor(
    () => {
      const helper = hashingHelpersOf(parent).find((child) => child.nice === 19);
      if (helper === undefined) throw new Error(`no hashing helper at nice 19 among ${JSON.stringify(hashingHelpersOf(parent))}`);
      return helper;
    },
    { timeout: 10_000, interval: 20 },
  );

const LONG_HASH = 200_000_000;
const expectedKey = (password: string, salt: string, iterations: number) => pbkdf2Sync(password, salt, iterations, 32, 'sha256');

describe.runIf(process.platform === 'linux')('password hashing in a helper process of the lowest priority', () => {
  it('runs outside the API process, in a session of its own, at nice 19 for the process and its autogroup', async () => {
    const hashing = pbkdf2Sha256('password', 'salt', 2_000_000, 32);
    const helper = await hashingHelperOf(process.pid);
    expect(helper.session).not.toBe(processInfo(process.pid)!.session);
    // Linux weighs a session's autogroup as a whole, whatever its threads' nice values.
    if (existsSync('/proc/self/autogroup')) expect(readFileSync(`/proc/${helper.pid}/autogroup`, 'utf8')).toMatch(/ nice 19$/m);
    expect((await hashing).equals(expectedKey('password', 'salt', 2_000_000))).toBe(true);
  });

  it('fails the hash a helper was running when it dies, and starts another for the next', async () => {
    const hashing = pbkdf2Sha256('password', 'salt', LONG_HASH, 32);
    const helper = await hashingHelperOf(process.pid);
    process.kill(helper.pid, 'SIGKILL');
    await expect(hashing).rejects.toThrow('The password hashing process stopped (SIGKILL) before it answered');
    expect((await pbkdf2Sha256('pässword', 'salt', 1000, 32)).equals(expectedKey('pässword', 'salt', 1000))).toBe(true);
  });

  it('leaves when the API does, even killed in the middle of a hash', async () => {
    const database = await createApiDatabase('sqlite');
    const api = await startApi(database.env);
    try {
      const login = fetch(`${api.baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'jane@example.com', password: 'password' }) }).catch(() => undefined);
      const helper = await hashingHelperOf(api.child.pid!);
      api.child.kill('SIGKILL');
      await login;
      await vi.waitFor(() => expect(processInfo(helper.pid)).toBeUndefined(), { timeout: 10_000, interval: 50 });
    } finally {
      await api.stop();
      await database.drop();
    }
  });
});
