import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** An attempt counted in the account's window: the attempt's place in it and when the window opened. */
export interface CountedAttempt {
  failures: number;
  windowStart: number;
}

export type LoginFailuresRepository = ReturnType<typeof createLoginFailuresRepository>;

/**
 * The `login_failure` table. Each change is one statement, so several API processes on one
 * database count together without losing or doubling an attempt (PostgreSQL's upsert locks the
 * row; SQLite writes one statement at a time).
 */
export function createLoginFailuresRepository(db: Kysely<Database>) {
  return {
    /**
     * Counts an attempt for `account`, opening a new window when there is none or it is over
     * (`windowStart` at or before `expiredBefore`); counts nothing and returns undefined when the
     * window already holds `limit` attempts.
     */
    async countAttempt(account: string, now: number, expiredBefore: number, limit: number): Promise<CountedAttempt | undefined> {
      const row = await db
        .insertInto('login_failure')
        .values({ account, failures: 1, window_start: now, locked_at: null })
        .onConflict((oc) =>
          oc
            .column('account')
            .doUpdateSet((eb) => {
              const expired = eb('login_failure.window_start', '<=', expiredBefore);
              return {
                failures: eb.case().when(expired).then(1).else(eb('login_failure.failures', '+', 1)).end(),
                window_start: eb.case().when(expired).then(now).else(eb.ref('login_failure.window_start')).end(),
                locked_at: eb.case().when(expired).then(null).else(eb.ref('login_failure.locked_at')).end(),
              };
            })
            .where((eb) => eb.or([eb('login_failure.window_start', '<=', expiredBefore), eb('login_failure.failures', '<', limit)])),
        )
        .returning(['failures', 'window_start'])
        .executeTakeFirst();
      return row === undefined ? undefined : { failures: row.failures, windowStart: row.window_start };
    },

    /** Takes back an attempt that turned out to be a successful login, if its window is still the current one. */
    async uncountAttempt(account: string, windowStart: number): Promise<void> {
      await db
        .updateTable('login_failure')
        .set((eb) => ({ failures: eb('failures', '-', 1) }))
        .where('account', '=', account)
        .where('window_start', '=', windowStart)
        .where('failures', '>', 0)
        .execute();
    },

    /**
     * Marks the window as locked once it holds `limit` failures; true only for the one call that
     * marked it, so the lock is reported once however many processes see it.
     */
    async markLocked(account: string, windowStart: number, limit: number, now: number): Promise<boolean> {
      const result = await db
        .updateTable('login_failure')
        .set({ locked_at: now })
        .where('account', '=', account)
        .where('window_start', '=', windowStart)
        .where('failures', '>=', limit)
        .where('locked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** When the account's current window opened, if it has one. */
    async windowStart(account: string): Promise<number | undefined> {
      const row = await db.selectFrom('login_failure').select('window_start').where('account', '=', account).executeTakeFirst();
      return row?.window_start;
    },

    /** Deletes the windows that opened at or before `expiredBefore`; returns how many. */
    async deleteExpired(expiredBefore: number): Promise<number> {
      const result = await db.deleteFrom('login_failure').where('window_start', '<=', expiredBefore).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
