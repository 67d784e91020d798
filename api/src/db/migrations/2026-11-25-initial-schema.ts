import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * The four tables of the original Django project, with Django's names and column types on each
 * engine. `ifNotExists` makes this a no-op on a database Django created.
 */
export const initialSchema: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const timestamp = sqlite ? 'datetime' : 'timestamptz';
    const flag = sqlite ? sql`bool` : 'boolean';

    await db.schema
      .createTable('auth_user')
      .ifNotExists()
      .addColumn('id', 'integer', (col) => (sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
      .addColumn('password', 'varchar(128)', (col) => col.notNull())
      .addColumn('last_login', timestamp)
      .addColumn('is_superuser', flag, (col) => col.notNull())
      .addColumn('username', 'varchar(150)', (col) => col.notNull().unique())
      .addColumn('first_name', 'varchar(150)', (col) => col.notNull())
      .addColumn('last_name', 'varchar(150)', (col) => col.notNull())
      .addColumn('email', 'varchar(254)', (col) => col.notNull())
      .addColumn('is_staff', flag, (col) => col.notNull())
      .addColumn('is_active', flag, (col) => col.notNull())
      .addColumn('date_joined', timestamp, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('authtoken_token')
      .ifNotExists()
      .addColumn('key', 'varchar(40)', (col) => col.primaryKey())
      .addColumn('created', timestamp, (col) => col.notNull())
      .addColumn('user_id', 'integer', (col) => col.notNull().unique().references('auth_user.id').onDelete('cascade'))
      .execute();

    await db.schema
      .createTable('rockapi_type')
      .ifNotExists()
      .addColumn('id', 'integer', (col) => (sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
      .addColumn('label', 'varchar(155)', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('rockapi_rock')
      .ifNotExists()
      .addColumn('id', 'integer', (col) => (sqlite ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity()))
      .addColumn('name', 'varchar(155)', (col) => col.notNull())
      .addColumn('weight', sqlite ? 'decimal' : 'numeric(5, 2)', (col) => col.notNull())
      .addColumn('type_id', 'integer', (col) => col.notNull().references('rockapi_type.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (col) => col.notNull().references('auth_user.id').onDelete('cascade'))
      .execute();

    await db.schema.createIndex('rockapi_rock_type_id_idx').ifNotExists().on('rockapi_rock').column('type_id').execute();
    await db.schema.createIndex('rockapi_rock_user_id_idx').ifNotExists().on('rockapi_rock').column('user_id').execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.dropTable('rockapi_rock').ifExists().execute();
    await db.schema.dropTable('rockapi_type').ifExists().execute();
    await db.schema.dropTable('authtoken_token').ifExists().execute();
    await db.schema.dropTable('auth_user').ifExists().execute();
  },
};
