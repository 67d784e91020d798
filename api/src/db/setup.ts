import type { DatabaseHandle } from './database.js';
import { migrateToLatest } from './migrate.js';
import { seedDatabase } from './seed.js';

export interface SetupSteps {
  migrate: boolean;
  seed: boolean;
}

/**
 * What the workshop's `seed_database.sh` did: migrate, then load the sample data. Reports each step
 * in a sentence for the log.
 */
export async function setUpDatabase(database: DatabaseHandle, steps: SetupSteps, report: (line: string) => void): Promise<void> {
  if (steps.migrate) {
    const applied = await migrateToLatest(database.db);
    report(applied.length === 0 ? 'Migrations: already up to date' : `Migrations applied: ${applied.join(', ')}`);
  }
  if (steps.seed) {
    const added = await seedDatabase(database.db, database.dialect);
    report(`Sample data: added ${added.users} users, ${added.tokens} tokens, ${added.types} types, ${added.rocks} rocks (existing rows kept)`);
  }
}
