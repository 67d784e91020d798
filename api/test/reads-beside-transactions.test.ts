import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { seedDatabase } from '../src/db/seed.js';
import { createRocksRepository } from '../src/repositories/rocks-repository.js';
import { createTypesRepository } from '../src/repositories/types-repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/test-database.js';

const NOT_ANSWERED = 'not answered within 5 s';

/**
 * Runs `read` while a transaction that has made `change` is open, and answers what it read (or that
 * it did not answer within 5 s); the transaction commits afterwards.
 */
async function readWhileUncommitted<T>(db: Kysely<Database>, change: (trx: Transaction<Database>) => Promise<unknown>, read: () => Promise<T>) {
  let commit = () => {};
  const committed = new Promise<void>((resolve) => (commit = resolve));
  let changed = () => {};
  const changeMade = new Promise<void>((resolve) => (changed = resolve));
  const transaction = db.transaction().execute(async (trx) => {
    await change(trx);
    changed();
    await committed;
  });
  await changeMade;
  const during = await Promise.race([read(), sleep(5_000).then(() => NOT_ANSWERED)]);
  commit();
  await transaction;
  return during;
}

describe.each(DIALECTS)('%s: reads while another request holds a transaction open', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('the list of types answers at once, without what the transaction has not committed; then with it', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database.handle;
    await migrateToLatest(db);
    await db.insertInto('rockapi_type').values({ label: 'Igneous' }).execute();
    const types = createTypesRepository(db);
    const labels = async () => (await types.list()).map((type) => type.label);
    expect(await labels()).toEqual(['Igneous']);

    const during = await readWhileUncommitted(db, (trx) => trx.insertInto('rockapi_type').values({ label: 'Uncommitted' }).execute(), labels);

    expect(during).toEqual(['Igneous']);
    expect(await labels()).toEqual(['Igneous', 'Uncommitted']);
  });

  it('the whole rock list answers at once too', async () => {
    database = await createTestDatabase(dialect);
    const { db } = database.handle;
    await migrateToLatest(db);
    await seedDatabase(db, dialect);
    const rocks = createRocksRepository(db);
    const [first] = await db.selectFrom('rockapi_rock').select(['type_id', 'user_id']).orderBy('id').limit(1).execute();
    const seeded = (await db.selectFrom('rockapi_rock').select('name').orderBy('id').execute()).map((rock) => rock.name);
    const names = async () => {
      const listed: string[] = [];
      for await (const batch of rocks.inBatches(undefined, () => ({}) as never)) listed.push(...batch.map((rock) => rock.name));
      return listed;
    };

    const uncommitted = { name: 'Uncommitted', weight: '2.00', type_id: first!.type_id, user_id: first!.user_id };
    const during = await readWhileUncommitted(db, (trx) => trx.insertInto('rockapi_rock').values(uncommitted).execute(), names);

    expect(during).toEqual(seeded);
    expect(await names()).toEqual([...seeded, 'Uncommitted']);
  });
});
