import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initialSchema } from './migrations/2026-11-25-initial-schema.js';
import { uniqueLoginNames } from './migrations/2026-12-01-unique-login-names.js';
import { loginFailures } from './migrations/2026-12-02-login-failures.js';
import { rockImages } from './migrations/2026-12-06-rock-images.js';

/** Every migration, by name; names sort in the order they run. */
const migrations: Record<string, Migration> = {
  '2026-11-25-initial-schema': initialSchema,
  '2026-12-01-unique-login-names': uniqueLoginNames,
  '2026-12-02-login-failures': loginFailures,
  '2026-12-06-rock-images': rockImages,
};

/** The names of every migration, in the order they run. */
export const MIGRATION_NAMES = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies the migrations not yet applied (recorded in `kysely_migration`); returns their names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    // No failed migration means the migrator could not even set up its own table (permissions, say).
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const what = failed === undefined ? 'Migrations could not run' : `Migration ${failed} failed`;
    throw new MigrationError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Recorded in the database but unknown to this code: a newer version of the API migrated it. */
  unknown: string[];
}

/** Which migrations the database has had, without applying or creating anything. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrationStatus(db: Kysely<any>): Promise<MigrationStatus> {
  const known = await new Migrator({ db, provider }).getMigrations();
  const tables = await db.introspection.getTables();
  const recorded = tables.some((table) => table.name === 'kysely_migration')
    ? (await db.selectFrom('kysely_migration').select('name').execute()).map((row: { name: string }) => row.name)
    : [];
  return {
    applied: known.filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name),
    pending: known.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name),
    unknown: recorded.filter((name) => !(name in migrations)),
  };
}
