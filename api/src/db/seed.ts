import type { Kysely } from 'kysely';
import type { Dialect } from './database.js';
import { sampleRocks, sampleTokens, sampleTypes, sampleUsers } from './sample-data.js';
import type { Database } from './schema.js';
import { moveSequencesPastIds } from './sequences.js';

export interface SeedResult {
  users: number;
  tokens: number;
  types: number;
  rocks: number;
}

/** `sample`: the course's users (password "password"), tokens, types and rocks; `reference`: the rock types only. */
export type SeedSet = 'sample' | 'reference';

/**
 * Inserts the rows of the set that are missing and never touches existing ones, so it can run at every
 * start. Sample tokens and rocks are only added for sample users that really are the sample users
 * (same id and username), never attached to somebody who registered first and took their id.
 */
export async function seedDatabase(db: Kysely<Database>, dialect: Dialect, set: SeedSet = 'sample'): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    const types = await trx.insertInto('rockapi_type').values(sampleTypes).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    const added: SeedResult = { users: 0, tokens: 0, types: Number(types.numInsertedOrUpdatedRows ?? 0), rocks: 0 };
    if (set === 'sample') Object.assign(added, await seedSampleAccounts(trx));

    if (dialect === 'postgres') await moveSequencesPastIds(trx);
    return added;
  });
}

/** The sample users, then the tokens and rocks of those that really are the sample users. */
async function seedSampleAccounts(trx: Kysely<Database>): Promise<Omit<SeedResult, 'types'>> {
  const users = await trx.insertInto('auth_user').values(sampleUsers).onConflict((oc) => oc.doNothing()).executeTakeFirst();

  const existing = await trx
    .selectFrom('auth_user')
    .select(['id', 'username'])
    .where('id', 'in', sampleUsers.map((user) => user.id))
    .execute();
  const sampleUserIds = new Set(
    existing.filter((row) => sampleUsers.some((user) => user.id === row.id && user.username === row.username)).map((row) => row.id),
  );
  const ownedBySampleUser = <T extends { user_id: number }>(rows: T[]) => rows.filter((row) => sampleUserIds.has(row.user_id));

  const tokenRows = ownedBySampleUser(sampleTokens);
  const rockRows = ownedBySampleUser(sampleRocks);
  const tokens = tokenRows.length === 0 ? undefined : await trx.insertInto('authtoken_token').values(tokenRows).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  const rocks = rockRows.length === 0 ? undefined : await trx.insertInto('rockapi_rock').values(rockRows).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return {
    users: Number(users.numInsertedOrUpdatedRows ?? 0),
    tokens: Number(tokens?.numInsertedOrUpdatedRows ?? 0),
    rocks: Number(rocks?.numInsertedOrUpdatedRows ?? 0),
  };
}
