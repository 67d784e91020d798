import { APP_TABLE_NAMES } from '../../db/app-tables.js';
import type { DatabaseHandle } from '../../db/database.js';
import { findAppTables } from '../../db/find-app-tables.js';
import { migrationStatus } from '../../db/migrate.js';
import { TROUBLESHOOTING_PAGE } from '../known-errors.js';
import { step, type StepResult } from '../step-result.js';

const MIGRATE = 'run the migrations: npm run db:migrate -w api (after npm run build -w api), or start the API, which migrates at start unless MIGRATE_ON_START=false';

/** Step 6: the migrations applied and pending, and the four tables the course's check lists. */
export async function checkSchema(handle: DatabaseHandle): Promise<StepResult> {
  const found = await findAppTables(handle);
  const status = await migrationStatus(handle.db);
  const missingTables = APP_TABLE_NAMES.filter((name) => found.missing.includes(name));
  const missingColumns = found.missing.filter((name) => name.includes('.'));
  const others = found.others.filter((name) => name !== 'kysely_migration' && name !== 'kysely_migration_lock');

  const details = [
    `tables: ${APP_TABLE_NAMES.map((name) => `${name} ${missingTables.includes(name) ? '✗' : '✓'}`).join(', ')}`,
    `migrations applied: ${status.applied.length === 0 ? 'none' : status.applied.join(', ')}`,
  ];
  if (status.pending.length > 0) details.push(`migrations pending: ${status.pending.join(', ')}`);
  if (status.unknown.length > 0) details.push(`warning: applied by a newer version of the API: ${status.unknown.join(', ')}`);
  if (others.some((name) => name.startsWith('django_'))) details.push(`also here: ${others.length} other tables (${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''}), as a database of the original Django app has; they are left alone`);
  else if (others.length > 0) details.push(`also here: ${others.join(', ')}`);

  const counted = `${status.applied.length} of ${status.applied.length + status.pending.length} migrations applied`;
  if (missingTables.length === APP_TABLE_NAMES.length) {
    return step('schema', 'fail', `the tables do not exist yet (${counted})`, details, {
      cause: 'this database has not been migrated',
      fix: MIGRATE,
      see: `${TROUBLESHOOTING_PAGE}#relation-does-not-exist`,
    });
  }
  if (missingTables.length > 0 || missingColumns.length > 0) {
    return step('schema', 'fail', `incomplete: missing ${[...missingTables, ...missingColumns].join(', ')}`, details, {
      cause: 'some of the app\'s tables or columns are missing: this database was made by another program or an unfinished migration',
      fix: `${MIGRATE}; if they still miss, the database belongs to another application: point DB_NAME at a database of its own`,
    });
  }
  if (status.pending.length > 0) {
    return step('schema', 'fail', `the four tables are present, but ${status.pending.length} migration(s) are pending (${counted})`, details, {
      cause: 'the database was made by the original Django app or an older version of the API',
      fix: `${MIGRATE} (migrations keep every existing row)`,
    });
  }
  return step('schema', status.unknown.length > 0 ? 'warn' : 'ok', `${counted}; auth_user, authtoken_token, rockapi_type and rockapi_rock present`, details);
}
