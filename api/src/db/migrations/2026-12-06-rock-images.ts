import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/**
 * Photos of rocks, and the queue of their thumbnail jobs. Times are milliseconds since the epoch,
 * an integer on both engines. Deleting a rock deletes its photos' rows, and those their jobs; the
 * files are deleted by the API (the database cannot reach the store).
 */
export const rockImages: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const millis = sqlite ? 'integer' : 'bigint';

    await db.schema
      .createTable('rock_image')
      .ifNotExists()
      .addColumn('id', 'integer', (col) => (sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
      .addColumn('rock_id', 'integer', (col) => col.notNull().references('rockapi_rock.id').onDelete('cascade'))
      .addColumn('upload_key', 'varchar(200)', (col) => col.notNull().unique())
      .addColumn('file_name', 'varchar(255)', (col) => col.notNull())
      .addColumn('content_type', 'varchar(40)', (col) => col.notNull())
      .addColumn('file_size', 'integer')
      .addColumn('status', 'varchar(20)', (col) => col.notNull())
      .addColumn('failure_reason', 'text')
      .addColumn('original_key', 'varchar(200)')
      .addColumn('thumbnail_small_key', 'varchar(200)')
      .addColumn('thumbnail_medium_key', 'varchar(200)')
      .addColumn('thumbnail_large_key', 'varchar(200)')
      .addColumn('uploaded_at', millis, (col) => col.notNull())
      .addColumn('upload_expires_at', millis, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('rock_image_rock_id_idx').ifNotExists().on('rock_image').column('rock_id').execute();

    // One row per photo still to process; a claimed row carries a lease, so that a job whose
    // instance died is taken up again once the lease runs out.
    await db.schema
      .createTable('photo_job')
      .ifNotExists()
      .addColumn('image_id', 'integer', (col) => col.primaryKey().references('rock_image.id').onDelete('cascade'))
      .addColumn('run_after', millis, (col) => col.notNull())
      .addColumn('lease_until', millis)
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('photo_job_run_after_idx').ifNotExists().on('photo_job').column('run_after').execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable('photo_job').ifExists().execute();
    await db.schema.dropTable('rock_image').ifExists().execute();
  },
};
