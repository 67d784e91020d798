import type { Seed } from '../config/config.js';
import type { DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrate.js';
import { seedDatabase } from './seed.js';

export interface SetupSteps {
  migrate: boolean;
  /** Which rows to add (see SEED); `true` and `false` stand for `sample` and `none`. */
  seed: Seed | boolean;
}

/**
 * What the workshop's `seed_database.sh` did: migrate, then load the sample data (or only the rock
 * types). Reports each step in a sentence for the log.
 */
export async function setUpDatabase(database: DatabaseHandle, steps: SetupSteps, report: (line: string) => void): Promise<void> {
  if (steps.migrate) {
    const applied = await migrateToLatest(database.db);
    report(applied.length === 0 ? 'Migrations: already up to date' : `Migrations applied: ${applied.join(', ')}`);
  }
  const seed = steps.seed === true ? 'sample' : steps.seed === false ? 'none' : steps.seed;
  if (seed === 'sample') {
    const added = await seedDatabase(database.db, database.dialect, 'sample');
    report(`Sample data: added ${added.users} users, ${added.tokens} tokens, ${added.types} types, ${added.rocks} rocks (existing rows kept)`);
  } else if (seed === 'reference') {
    const added = await seedDatabase(database.db, database.dialect, 'reference');
    report(`Reference data: added ${added.types} types (existing rows kept; no sample users)`);
  } else if (steps.seed === 'none') {
    report('Seed: skipped (SEED=none)');
  }
}
