import { afterEach, describe, expect, it, vi } from 'vitest';
import { pbkdf2Sha256 } from '../src/auth/low-priority-pbkdf2.js';
import { hashingHelpersOf } from './support/hashing-helpers.js';

// In a file of its own: the helpers are the module's, and these must be started under fake timers.

/** This process's hashing helpers that are still running, by pid. */
const helperPids = () => hashingHelpersOf(process.pid).map(({ pid }) => pid);

afterEach(() => {
  vi.useRealTimers();
});

describe.runIf(process.platform === 'linux')('an idle password hashing helper', () => {
  it('is used again for the next hash, and leaves after a minute without work', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await pbkdf2Sha256('password', 'salt', 1000, 32);
    const [helper, ...others] = helperPids();
    expect(helper).toBeDefined();
    expect(others).toEqual([]);

    // Its minute starts again after each hash: the same helper answers a minute and more after the first.
    for (let round = 0; round < 2; round += 1) {
      vi.advanceTimersByTime(59_000);
      await pbkdf2Sha256('password', 'salt', 1000, 32);
      expect(helperPids()).toEqual([helper]);
    }

    vi.advanceTimersByTime(60_000);
    await vi.waitFor(() => expect(helperPids()).toEqual([]), { timeout: 10_000, interval: 50 });
  });
});
