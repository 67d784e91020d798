import type { FastifyBaseLogger } from 'fastify';
import type { LoginFailuresRepository } from '../repositories/login-failures-repository.js';

export interface LoginThrottleOptions {
  /** Failed logins one account may have in a window; 0 turns the throttle off. */
  limit: number;
  windowMinutes: number;
  /** Milliseconds since the epoch; tests move it forward instead of waiting. */
  now: () => number;
}

/** Who is trying: the client address (after TRUST_PROXY) and the request's logger, for the lock's log line. */
export interface LoginClient {
  address: string;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export type LoginAttempt =
  | { locked: true; retryAfterSeconds: number; message: string }
  | { locked: false; succeeded: () => Promise<void>; failed: () => Promise<void> };

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** Expired windows are deleted by a login at most this often (per process). */
const CLEAN_UP_INTERVAL_MS = 60_000;

const NOT_THROTTLED: LoginAttempt = { locked: false, succeeded: async () => {}, failed: async () => {} };

/**
 * The key is the name as typed, not the user it finds: an unknown name is counted and locked
 * exactly as a real account is, so a lock says nothing about whether the account exists.
 */
export function accountKey(identifier: string): string {
  return identifier.trim().toLowerCase();
}

export function retryInWords(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * Per-account throttle of failed logins: after `limit` failures in a window of `windowMinutes`
 * (opened by the first of them), every login for that account is refused until the window ends,
 * whatever its address and whether or not the password is right.
 *
 * An attempt is counted when it begins, before the password is checked, and taken back when it
 * succeeds: otherwise a burst of simultaneous guesses would all pass the check before the first
 * of them was recorded.
 */
export function createLoginThrottle(failures: LoginFailuresRepository, { limit, windowMinutes, now }: LoginThrottleOptions) {
  const windowMs = windowMinutes * 60_000;
  let lastCleanUp = Number.NEGATIVE_INFINITY;

  /** Keeps the table to the accounts tried within about one window, however many names are tried. */
  async function cleanUp(at: number): Promise<void> {
    if (at - lastCleanUp < CLEAN_UP_INTERVAL_MS) return;
    lastCleanUp = at;
    await failures.deleteExpired(at - windowMs);
  }

  return {
    async begin(identifier: string, client: LoginClient): Promise<LoginAttempt> {
      if (limit === 0) return NOT_THROTTLED;
      const account = accountKey(identifier);
      const at = now();
      await cleanUp(at);
      const counted = await failures.countAttempt(account, at, at - windowMs, limit);
      if (counted === undefined) {
        const windowStart = (await failures.windowStart(account)) ?? at;
        const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - at) / 1000));
        return { locked: true, retryAfterSeconds, message: `Too many failed logins for this account; try again in ${retryInWords(retryAfterSeconds)}.` };
      }
      return {
        locked: false,
        succeeded: () => failures.uncountAttempt(account, counted.windowStart),
        failed: async () => {
          if (counted.failures < limit) return;
          if (await failures.markLocked(account, counted.windowStart, limit, now())) {
            client.log.warn({ account, address: client.address, failures: limit }, 'Login locked for this account: too many failed logins');
          }
        },
      };
    },
  };
}
