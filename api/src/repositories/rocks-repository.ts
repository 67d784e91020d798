import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { createRockImagesRepository, type RockImageRecord, type RockImagesRepository } from './rock-images-repository.js';

export interface Rock {
  id: number;
  name: string;
  /** Always two decimals, as the original's DecimalField serialized it: "1.30". */
  weight: string;
  type: { id: number; label: string };
  user: { id: number; first_name: string; last_name: string };
  /** Its photos, oldest first (shown through the routes' `presentRockImage`). */
  images: RockImageRecord[];
}

export interface NewRock {
  name: string;
  /** A decimal string with two places, e.g. "1.30". */
  weight: string;
  typeId: number;
  userId: number;
}

export type RocksRepository = ReturnType<typeof createRocksRepository>;

export function createRocksRepository(db: Kysely<Database>, rockImages: Pick<RockImagesRepository, 'listForRocks'> = createRockImagesRepository(db)) {
  const rockRows = () =>
    db
      .selectFrom('rockapi_rock as r')
      .innerJoin('rockapi_type as t', 't.id', 'r.type_id')
      .innerJoin('auth_user as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.name', 'r.weight', 't.id as type_id', 't.label as type_label', 'u.id as user_id', 'u.first_name', 'u.last_name'])
      .orderBy('r.id');

  type RockRow = Awaited<ReturnType<ReturnType<typeof rockRows>['executeTakeFirstOrThrow']>>;

  // PostgreSQL returns numeric(5,2) as "1.30", SQLite as 1.3: one representation for both.
  const toRock = (row: RockRow): Omit<Rock, 'images'> => ({
    id: row.id,
    name: row.name,
    weight: Number(row.weight).toFixed(2),
    type: { id: row.type_id, label: row.type_label },
    user: { id: row.user_id, first_name: row.first_name, last_name: row.last_name },
  });

  // The one place rocks gain their photos: one query per batch of rocks, however the rocks were read.
  const withImages = async (rocks: Omit<Rock, 'images'>[]): Promise<Rock[]> => {
    const images = await rockImages.listForRocks(rocks.map((rock) => rock.id));
    return rocks.map((rock) => ({ ...rock, images: images.get(rock.id) ?? [] }));
  };

  return {
    async list(filter: { ownerId?: number } = {}): Promise<Rock[]> {
      let query = rockRows();
      if (filter.ownerId !== undefined) query = query.where('r.user_id', '=', filter.ownerId);
      return withImages((await query.execute()).map(toRock));
    },

    async create(rock: NewRock): Promise<Rock> {
      const { id } = await db
        .insertInto('rockapi_rock')
        .values({ name: rock.name, weight: rock.weight, type_id: rock.typeId, user_id: rock.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...toRock(await rockRows().where('r.id', '=', id).executeTakeFirstOrThrow()), images: [] };
    },

    async findOwnerId(rockId: number): Promise<number | undefined> {
      const row = await db.selectFrom('rockapi_rock').select('user_id').where('id', '=', rockId).executeTakeFirst();
      return row?.user_id;
    },

    /**
     * Deletes the rock only if `ownerId` owns it (its photos' rows go with it); returns those photos,
     * for deleting their files, or undefined when no rock went.
     */
    async deleteOwned(rockId: number, ownerId: number): Promise<RockImageRecord[] | undefined> {
      return db.transaction().execute(async (trx) => {
        const images = await trx.selectFrom('rock_image').selectAll().where('rock_id', '=', rockId).execute();
        const result = await trx.deleteFrom('rockapi_rock').where('id', '=', rockId).where('user_id', '=', ownerId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0 ? images : undefined;
      });
    },
  };
}
