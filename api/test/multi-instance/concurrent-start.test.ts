import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresApiEnv, TEST_DATABASE_URL } from '@rock-of-ages/test-kit';
import { startInstances, stopInstances, type ApiInstance } from '../support/api-instances.js';
import { createPostgresDatabase, DIALECTS, dropPostgresDatabase } from '../support/test-database.js';
import { MIGRATION_NAMES } from '../../src/db/migrate.js';

describe.skipIf(!DIALECTS.includes('postgres'))('three API processes started at the same moment on an empty database, migrations on', () => {
  let database: string | undefined;
  let instances: ApiInstance[] = [];

  afterEach(async () => {
    await stopInstances(instances.map((instance) => instance.process));
    instances = [];
    if (database !== undefined) await dropPostgresDatabase(database);
    database = undefined;
  });

  it('all come up; the schema is migrated once and the sample data seeded once; each serves the same data', async () => {
    database = await createPostgresDatabase();
    instances = await startInstances(3, { ...postgresApiEnv(database), MIGRATE_ON_START: 'true', SEED: 'sample' });

    // Kysely's migration lock: one process applies the migrations, the others find them applied.
    const reports = instances.map((instance) => /Migrations(?: applied: .*|: already up to date)/.exec(instance.process.output())?.[0]);
    expect(reports.filter((report) => report?.startsWith('Migrations applied')).length, reports.join('\n')).toBe(1);
    expect(reports.filter((report) => report === 'Migrations: already up to date')).toHaveLength(2);

    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      const migrations = await client.query<{ name: string }>('select name from kysely_migration order by name');
      expect(migrations.rows.map((row) => row.name)).toEqual(MIGRATION_NAMES);
      const counts = await client.query(
        `select (select count(*)::int from auth_user) as users, (select count(*)::int from authtoken_token) as tokens,
                (select count(*)::int from rockapi_type) as types, (select count(*)::int from rockapi_rock) as rocks`,
      );
      expect(counts.rows[0]).toEqual({ users: 2, tokens: 2, types: 5, rocks: 3 });
      // The id sequences are past the seeded ids: the next registration does not collide with a sample user.
      const next = await client.query<{ value: string }>("select last_value::text as value from auth_user_id_seq");
      expect(Number(next.rows[0]?.value)).toBeGreaterThanOrEqual(2);
    } finally {
      await client.end();
    }

    for (const instance of instances) {
      const ready = await fetch(`${instance.baseUrl}/health/ready`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', instance: instance.instanceId, database: 'ok' }]);
      const rocks = await fetch(`${instance.baseUrl}/rocks`, { headers: { authorization: 'Token abcdef123456' } });
      expect(((await rocks.json()) as { name: string }[]).map((rock) => rock.name)).toEqual(['Ernestina', 'Orpha', 'Sasha']);
    }
    const registered = await fetch(`${instances[2]?.baseUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'third@example.com', password: 'pebbles', first_name: 'Third', last_name: 'Process' }),
    });
    expect(registered.status).toBe(200);
  }, 120_000);
});
