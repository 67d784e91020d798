import { isDatabaseUnavailable } from './connection-errors.js';

export type ReachabilityChange = { reachable: false; error: Error } | { reachable: true };

export interface Reachability {
  /** A database call that started at `startedAt` (performance.now()) succeeded. */
  succeeded: (startedAt: number) => void;
  /** A database call that started at `startedAt` failed; only connection-class failures count. */
  failed: (error: unknown, startedAt: number) => void;
}

/**
 * Whether the database answers, as database calls find out: reports once when it stops answering
 * and once when it is back, however many requests fail in between. A call that started before the
 * last change cannot undo it (a query cut by the outage that ended, an answer from before it began).
 */
export function createReachability(onChange: (change: ReachabilityChange) => void): Reachability {
  let reachable = true;
  let changedAt = Number.NEGATIVE_INFINITY;
  return {
    succeeded(startedAt) {
      if (reachable || startedAt < changedAt) return;
      reachable = true;
      changedAt = performance.now();
      onChange({ reachable: true });
    },
    failed(error, startedAt) {
      if (!reachable || startedAt < changedAt || !isDatabaseUnavailable(error)) return;
      reachable = false;
      changedAt = performance.now();
      onChange({ reachable: false, error: error as Error });
    },
  };
}
