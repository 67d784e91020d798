import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/auth/password.js';
import { MIGRATION_NAMES } from '../src/db/migrate.js';
import { setUpDatabase } from '../src/db/setup.js';
import { seedDatabase } from '../src/db/seed.js';
import { createUsersRepository } from '../src/repositories/users-repository.js';
import { createRocksRepository } from '../src/repositories/rocks-repository.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/test-database.js';

/** The workshop's verification queries, verbatim. */
const COUNTS = sql<{ total_rocks: number; total_types: number; total_users: number }>`
SELECT
    (SELECT COUNT(*) FROM rockapi_rock) as total_rocks,
    (SELECT COUNT(*) FROM rockapi_type) as total_types,
    (SELECT COUNT(*) FROM auth_user) as total_users`;

const ROCKS_WITH_OWNERS = sql<{ rock_name: string; weight: string | number; rock_type: string; first_name: string; last_name: string }>`
SELECT
    r.name as rock_name,
    r.weight,
    t.label as rock_type,
    u.first_name,
    u.last_name
FROM rockapi_rock r
JOIN rockapi_type t ON r.type_id = t.id
JOIN auth_user u ON r.user_id = u.id`;

const TABLE_DUMP = ['auth_user', 'authtoken_token', 'rockapi_type', 'rockapi_rock'] as const;

describe.each(DIALECTS)('%s: migrations and sample data', (dialect) => {
  let database: TestDatabase;
  const setUp = () => setUpDatabase(database.handle, { migrate: true, seed: true }, () => {});
  const dump = async () => {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLE_DUMP) tables[table] = (await sql`select * from ${sql.table(table)} order by 1`.execute(database.handle.db)).rows;
    return tables;
  };

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await database.destroy();
  });

  it('after setup the workshop\'s counts are 3 rocks, 5 types, 2 users', async () => {
    await setUp();
    const { rows } = await COUNTS.execute(database.handle.db);
    expect(rows.map((row) => ({ ...row, total_rocks: Number(row.total_rocks), total_types: Number(row.total_types), total_users: Number(row.total_users) }))).toEqual([
      { total_rocks: 3, total_types: 5, total_users: 2 },
    ]);
  });

  it('after setup the workshop\'s join returns the 3 rocks with their types and owners', async () => {
    await setUp();
    const { rows } = await ROCKS_WITH_OWNERS.execute(database.handle.db);
    const readable = rows.map((row) => ({ ...row, weight: Number(row.weight).toFixed(2) })).sort((a, b) => a.rock_name.localeCompare(b.rock_name));
    expect(readable).toEqual([
      { rock_name: 'Ernestina', weight: '1.30', rock_type: 'Sedimentary', first_name: 'Jane', last_name: 'Smith' },
      { rock_name: 'Orpha', weight: '0.50', rock_type: 'Metamorphic', first_name: 'John', last_name: 'Doe' },
      { rock_name: 'Sasha', weight: '0.29', rock_type: 'Basalt', first_name: 'Jane', last_name: 'Smith' },
    ]);
  });

  it('running setup again changes nothing, including rows users created', async () => {
    await setUp();
    const users = createUsersRepository(database.handle.db);
    const token = await users.createWithToken({ email: 'kim@example.com', passwordHash: await hashPassword('pw', 1000), firstName: 'Kim', lastName: 'Lee' });
    const kim = await users.findByToken(token);
    await createRocksRepository(database.handle.db).create({ name: 'Kim rock', weight: '3.00', typeId: 2, userId: kim!.id });
    // A user renaming a sample rock must survive the next start.
    await database.handle.db.updateTable('rockapi_rock').set({ name: 'Renamed Orpha' }).where('id', '=', 2).execute();
    const before = await dump();

    await setUp();
    const again = await seedDatabase(database.handle.db, database.handle.dialect);

    expect(again).toEqual({ users: 0, tokens: 0, types: 0, rocks: 0 });
    expect(await dump()).toEqual(before);
  });

  it('the first registration after seeding gets a new id, past the sample ids', async () => {
    await setUp();
    const users = createUsersRepository(database.handle.db);
    const token = await users.createWithToken({ email: 'new@example.com', passwordHash: 'x', firstName: 'N', lastName: 'U' });
    const rock = await createRocksRepository(database.handle.db).create({ name: 'New', weight: '1.00', typeId: 1, userId: (await users.findByToken(token))!.id });
    expect((await users.findByToken(token))!.id).toBe(3);
    expect(rock.id).toBe(4);
  });

  it('never gives sample rocks or tokens to a user who registered before the seed and took a sample id', async () => {
    await setUpDatabase(database.handle, { migrate: true, seed: false }, () => {});
    const users = createUsersRepository(database.handle.db);
    const token = await users.createWithToken({ email: 'early@example.com', passwordHash: 'x', firstName: 'Early', lastName: 'Bird' });
    const early = (await users.findByToken(token))!;
    expect(early.id).toBe(1);

    await seedDatabase(database.handle.db, database.handle.dialect);

    expect(await createRocksRepository(database.handle.db).listPage({ ownerId: early.id, afterId: 0, limit: 1000 }, () => { throw new Error('these rocks have no photos'); })).toEqual([]);
    expect((await users.findByToken('abcdef123456'))).toBeUndefined();
    expect((await users.findByToken(token))?.firstName).toBe('Early');
    expect((await users.findByToken('ghijkl789012'))?.firstName).toBe('Jane');
  });

  it('migrations run once: a second run applies nothing', async () => {
    const reports: string[] = [];
    await setUpDatabase(database.handle, { migrate: true, seed: false }, (line) => reports.push(line));
    await setUpDatabase(database.handle, { migrate: true, seed: false }, (line) => reports.push(line));
    expect(reports).toEqual([`Migrations applied: ${MIGRATION_NAMES.join(', ')}`, 'Migrations: already up to date']);
  });

  it('deleting a user deletes their rocks and token (the schema cascades)', async () => {
    await setUp();
    await database.handle.db.deleteFrom('auth_user').where('id', '=', 2).execute();
    const { rows } = await COUNTS.execute(database.handle.db);
    expect(Number(rows[0]?.total_rocks)).toBe(1);
    expect(await createUsersRepository(database.handle.db).findByToken('ghijkl789012')).toBeUndefined();
  });
});
