import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pbkdf2Sha256 } from '../src/auth/low-priority-pbkdf2.js';

// In a file of its own: the helpers are the module's, and these must be started under fake timers.

/** This process's hashing helpers that are still running. */
const helperPids = () =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(parent) === process.pid && state !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pbkdf2Sync');
      } catch {
        return false;
      }
    });

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
