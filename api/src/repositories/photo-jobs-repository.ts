import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface ClaimedJob {
  imageId: number;
  /** Including this one. */
  attempts: number;
}

export type PhotoJobsRepository = ReturnType<typeof createPhotoJobsRepository>;

/**
 * The thumbnail jobs. A job is claimed by one statement that sets a lease only if nobody holds one,
 * so among several API instances exactly one gets it (PostgreSQL re-checks the condition on the row
 * it waited for; SQLite runs one write at a time). A job whose instance died is claimed again once
 * its lease has run out: the queue survives restarts and crashes.
 */
export function createPhotoJobsRepository(db: Kysely<Database>) {
  return {
    async claimNext(now: number, leaseMs: number): Promise<ClaimedJob | undefined> {
      const row = await db
        .updateTable('photo_job')
        .set((eb) => ({ lease_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
        .where('image_id', '=', (eb) =>
          eb
            .selectFrom('photo_job')
            .select('image_id')
            .where('run_after', '<=', now)
            .where((inner) => inner.or([inner('lease_until', 'is', null), inner('lease_until', '<', now)]))
            .orderBy('run_after')
            .limit(1),
        )
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .returning(['image_id', 'attempts'])
        .executeTakeFirst();
      return row === undefined ? undefined : { imageId: row.image_id, attempts: row.attempts };
    },

    /** Gives the job back, due again at `runAfter`. */
    async postpone(imageId: number, runAfter: number): Promise<void> {
      await db.updateTable('photo_job').set({ run_after: runAfter, lease_until: null }).where('image_id', '=', imageId).execute();
    },

    /** Makes an unclaimed job due now (its file has just arrived). */
    async makeDue(imageId: number, now: number): Promise<void> {
      await db.updateTable('photo_job').set({ run_after: now }).where('image_id', '=', imageId).where('lease_until', 'is', null).execute();
    },

    async finish(imageId: number): Promise<void> {
      await db.deleteFrom('photo_job').where('image_id', '=', imageId).execute();
    },
  };
}
