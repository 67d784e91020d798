import { formatWeight, type Rock, type ValidRockBody } from '@rock-of-ages/contract';
import { sql, type Kysely } from 'kysely';
import { firstRow, precompile } from '../db/precompiled-query.js';
import type { Database } from '../db/schema.js';

/** A validated `POST /rocks` body (weight as "1.30"), and its owner. */
export type NewRock = ValidRockBody & { userId: number };

/** Which rocks, and where in the id order to start. */
export interface RockPageRequest {
  /** Only this user's rocks; every rock when absent. */
  ownerId?: number;
  /** Rocks with a larger id than this one; 0 for the first page. */
  afterId: number;
  limit: number;
}

/** Rows read at a time when the whole list is read. */
export const LIST_BATCH_SIZE = 1000;

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

  // Built and compiled once; the values given here only hold the placeholders' places.
  const pageOfEveryRock = precompile(db, rockRows().where('r.id', '>', 0).limit(1));
  const pageOfOwnedRocks = precompile(db, rockRows().where('r.user_id', '=', 0).where('r.id', '>', 0).limit(1));
  // The batch size is written into the SQL: SQLite runs this query three times slower with the limit as a bound value.
  const batchOfEveryRock = precompile(db, rockRows().where('r.id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  const batchOfOwnedRocks = precompile(db, rockRows().where('r.user_id', '=', 0).where('r.id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  const rockById = precompile(db, rockRows().where('r.id', '=', 0));
  const insertRock = precompile(db, db.insertInto('rockapi_rock').values({ name: '', weight: '0', type_id: 0, user_id: 0 }).returning('id'));

  return {
    /** Up to `limit` rocks in id order, after `afterId` (keyset pagination: no row is skipped or repeated as rows come and go). */
    async listPage({ ownerId, afterId, limit }: RockPageRequest): Promise<Rock[]> {
      const rows = ownerId === undefined ? await pageOfEveryRock(afterId, limit) : await pageOfOwnedRocks(ownerId, afterId, limit);
      return rows.map(toRock);
    },

    /**
     * Every rock (or every rock of `ownerId`) in id order, LIST_BATCH_SIZE at a time, each batch read
     * when the previous one has been used: the whole list is never in memory, and no cursor or
     * connection is held between batches.
     */
    async *inBatches(ownerId: number | undefined): AsyncGenerator<Rock[]> {
      let afterId = 0;
      for (;;) {
        const rows = ownerId === undefined ? await batchOfEveryRock(afterId) : await batchOfOwnedRocks(ownerId, afterId);
        const batch = rows.map(toRock);
        if (batch.length > 0) yield batch;
        const last = batch.at(-1);
        if (last === undefined || batch.length < LIST_BATCH_SIZE) return;
        afterId = last.id;
      }
    },

    async create(rock: NewRock): Promise<Rock> {
      const { id } = firstRow(await insertRock(rock.name, rock.weight, rock.typeId, rock.userId));
      return toRock(firstRow(await rockById(id)));
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
