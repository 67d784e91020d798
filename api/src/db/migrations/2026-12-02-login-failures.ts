import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Failed logins per account, for the login throttle: one row per account name as typed (normalised),
 * holding the failures of its current window. Times are milliseconds since the epoch, an integer
 * on both engines.
 */
export const loginFailures: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const millis = sqlite ? 'integer' : 'bigint';

    await db.schema
      .createTable('login_failure')
      .ifNotExists()
      // text, not varchar(n): lower-casing can lengthen a name, and a name too long must not fail the login.
      .addColumn('account', 'text', (col) => col.primaryKey())
      .addColumn('failures', 'integer', (col) => col.notNull())
      .addColumn('window_start', millis, (col) => col.notNull())
      .addColumn('locked_at', millis)
      .execute();

    // The periodic clean-up deletes by window start.
    await db.schema.createIndex('login_failure_window_start_idx').ifNotExists().on('login_failure').column('window_start').execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable('login_failure').ifExists().execute();
  },
};
