import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDatabase } from '../src/db/seed.js';
import { createRocksRepository } from '../src/repositories/rocks-repository.js';
import { createTypesRepository } from '../src/repositories/types-repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/test-database.js';

const NOT_ANSWERED = 'not answered within 5 s';
const within5s = <T>(read: Promise<T>) => Promise.race([read, sleep(5_000).then(() => NOT_ANSWERED)]);

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

    let commit = () => {};
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let inserted = () => {};
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('rockapi_type').values({ label: 'Uncommitted' }).execute();
      inserted();
      await committed;
    });
    await insertDone;

    const during = await within5s(labels());
    commit();
    await transaction;

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

    let commit = () => {};
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let inserted = () => {};
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('rockapi_rock').values({ name: 'Uncommitted', weight: '2.00', type_id: first!.type_id, user_id: first!.user_id }).execute();
      inserted();
      await committed;
    });
    await insertDone;

    const during = await within5s(names());
    commit();
    await transaction;

    expect(during).toEqual(seeded);
    expect(await names()).toEqual([...seeded, 'Uncommitted']);
  });
});
