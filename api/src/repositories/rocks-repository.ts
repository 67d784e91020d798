import { formatWeight, type Rock, type ValidRockBody } from '@rock-of-ages/contract';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** A validated `POST /rocks` body (weight as "1.30"), and its owner. */
export type NewRock = ValidRockBody & { userId: number };

export type RocksRepository = ReturnType<typeof createRocksRepository>;

export function createRocksRepository(db: Kysely<Database>) {
  const rockRows = () =>
    db
      .selectFrom('rockapi_rock as r')
      .innerJoin('rockapi_type as t', 't.id', 'r.type_id')
      .innerJoin('auth_user as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.name', 'r.weight', 't.id as type_id', 't.label as type_label', 'u.id as user_id', 'u.first_name', 'u.last_name'])
      .orderBy('r.id');

  type RockRow = Awaited<ReturnType<ReturnType<typeof rockRows>['executeTakeFirstOrThrow']>>;

  // PostgreSQL returns numeric(5,2) as "1.30", SQLite as 1.3: one representation for both.
  const toRock = (row: RockRow): Rock => ({
    id: row.id,
    name: row.name,
    weight: formatWeight(Number(row.weight)),
    type: { id: row.type_id, label: row.type_label },
    user: { id: row.user_id, first_name: row.first_name, last_name: row.last_name },
  });

  return {
    async list(filter: { ownerId?: number } = {}): Promise<Rock[]> {
      let query = rockRows();
      if (filter.ownerId !== undefined) query = query.where('r.user_id', '=', filter.ownerId);
      return (await query.execute()).map(toRock);
    },

    async create(rock: NewRock): Promise<Rock> {
      const { id } = await db
        .insertInto('rockapi_rock')
        .values({ name: rock.name, weight: rock.weight, type_id: rock.typeId, user_id: rock.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return toRock(await rockRows().where('r.id', '=', id).executeTakeFirstOrThrow());
    },

    async findOwnerId(rockId: number): Promise<number | undefined> {
      const row = await db.selectFrom('rockapi_rock').select('user_id').where('id', '=', rockId).executeTakeFirst();
      return row?.user_id;
    },

    /** Deletes the rock only if `ownerId` owns it; returns whether a row went. */
    async deleteOwned(rockId: number, ownerId: number): Promise<boolean> {
      const result = await db.deleteFrom('rockapi_rock').where('id', '=', rockId).where('user_id', '=', ownerId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
