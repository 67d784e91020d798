import type { HashingLimits } from '../config/config.js';

/** Refused at once rather than queued: the queue of password checks is full. */
export class HashingQueueFullError extends Error {
  override name = 'HashingQueueFullError';
  readonly statusCode = 503;
  readonly retryAfterSeconds = 1;
}


export type HashingQueue = ReturnType<typeof createHashingQueue>;

/**
 * Runs password hashing a bounded number at a time. PBKDF2 runs in helper processes, off the
 * event loop, but a burst of logins would still take every core and slow every other request; with
 * at most `concurrency` at once a core stays free for serving, and a bounded queue answers the excess
 * at once (503 with Retry-After) instead of letting the wait grow without end.
 */
export function createHashingQueue({ concurrency, maxWaiting }: HashingLimits) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < concurrency) running += 1;
      else if (waiting.length < maxWaiting) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new HashingQueueFullError('Too many sign-ins are being checked right now; please try again in a moment.');
      try {
        return await task();
      } finally {
        // The turn passes straight to the next in line, so `running` never drops below the queue's demand.
        const next = waiting.shift();
        if (next === undefined) running -= 1;
        else next();
      }
    },
  };
}
