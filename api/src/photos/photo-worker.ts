import type { FastifyBaseLogger } from 'fastify';
import type { PhotoJobsRepository } from '../repositories/photo-jobs-repository.js';
import type { ProcessOutcome } from './process-photo.js';

export interface PhotoWorkerOptions {
  jobs: PhotoJobsRepository;
  process: (imageId: number) => Promise<ProcessOutcome>;
  /** Marks the photo failed after its last attempt. */
  giveUp: (imageId: number, reason: string) => Promise<void>;
  /** How long a claimed job is this instance's; past it, any instance may take it again. */
  leaseMs: number;
  log: FastifyBaseLogger;
  now?: () => number;
}

export interface PhotoWorker {
  /** Looks for due jobs now rather than at the next poll (a file has just arrived). */
  wake: () => void;
  /** Finishes the job in hand, then stops. */
  stop: () => Promise<void>;
}

/** How often an idle instance asks the database for due jobs. */
const POLL_INTERVAL_MS = 1_000;
const MAX_ATTEMPTS = 5;
/** After an unexpected error (the store unreachable, say), how long until the job is tried again. */
const RETRY_DELAY_MS = 10_000;

/** Each API instance runs one: it takes due jobs from the database, one at a time, until stopped. */
export function startPhotoWorker({ jobs, process, giveUp, leaseMs, log, now = Date.now }: PhotoWorkerOptions): PhotoWorker {
  let stopped = false;
  let wakeUp: () => void = () => {};
  let lastError: string | undefined;

  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_INTERVAL_MS);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // One line per distinct failure, not one per poll, while the database is away.
  const report = (message: string) => {
    if (message !== lastError) log.warn(message);
    lastError = message;
  };

  const runJob = async (imageId: number, attempts: number) => {
    try {
      const outcome = await process(imageId);
      if (outcome !== 'waiting for the upload') log.info(`photo ${imageId}: ${outcome}`);
    } catch (error) {
      const message = (error as Error).message;
      if (attempts >= MAX_ATTEMPTS) {
        log.error({ err: error }, `photo ${imageId}: giving up after ${attempts} attempts`);
        await giveUp(imageId, 'The photo could not be processed; please upload it again').catch(() => {});
      } else {
        log.warn(`photo ${imageId}: attempt ${attempts} failed (${message}); trying again later`);
        await jobs.postpone(imageId, now() + RETRY_DELAY_MS).catch(() => {});
      }
    }
  };

  const loop = (async () => {
    while (!stopped) {
      let claimed;
      try {
        claimed = await jobs.claimNext(now(), leaseMs);
        lastError = undefined;
      } catch (error) {
        report(`photo jobs: cannot read the queue (${(error as Error).message}); retrying`);
      }
      if (claimed === undefined) await pause();
      else await runJob(claimed.imageId, claimed.attempts);
    }
  })();

  return {
    wake: () => wakeUp(),
    stop: async () => {
      stopped = true;
      wakeUp();
      await loop;
    },
  };
}
