import type { TestProject } from 'vitest/node';
import { postgresApiEnv } from '@rock-of-ages/test-kit';
import { LIMITS_OFF, setUpDatabaseOnce, startInstances, stopInstances } from '../support/api-instances.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/test-database.js';

export const INSTANCE_COUNT = 3;

/**
 * The multi-instance project's global setup, as the ECS deploy does it: `db:setup` once on a fresh
 * PostgreSQL database, then three API processes with migrations and seeding off, which the contract
 * suite then reaches in turn.
 */
export default async function startThreeInstances(project: TestProject): Promise<() => Promise<void>> {
  const database = await createPostgresDatabase();
  const env = postgresApiEnv(database);
  await setUpDatabaseOnce(env);
  const instances = await startInstances(INSTANCE_COUNT, { ...env, ...LIMITS_OFF, MIGRATE_ON_START: 'false', SEED: 'none' });
  project.provide(
    'apiInstances',
    instances.map(({ instanceId, baseUrl }) => ({ instanceId, baseUrl })),
  );
  return async () => {
    await stopInstances(instances.map((instance) => instance.process));
    await dropPostgresDatabase(database);
  };
}
