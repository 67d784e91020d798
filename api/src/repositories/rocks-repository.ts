import { formatWeight, type Rock, type RockImage, type ValidRockBody } from '@rock-of-ages/contract';
import { sql, type Kysely } from 'kysely';
import { firstRow, precompile, precompileAsArrays } from '../db/precompiled-query.js';
import type { Database } from '../db/schema.js';
import { createRockImagesRepository, type RockImageRecord, type RockImagesRepository } from './rock-images-repository.js';

/** A validated `POST /rocks` body (weight as "1.30"), and its owner. */
export type NewRock = ValidRockBody & { userId: number };

/** A photo's record as the client is sent it: with URLs that reach the API as this client did (`presentRockImage`). */
export type PresentImage = (image: RockImageRecord) => RockImage;

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

export function createRocksRepository(db: Kysely<Database>, rockImages: Pick<RockImagesRepository, 'listForRocks'> = createRockImagesRepository(db)) {
  const rocks = () => db.selectFrom('rockapi_rock').select(['id', 'name', 'weight', 'type_id', 'user_id']).orderBy('id');

  /**
   * The rocks `source` selects, with their type and owner, by id. The rocks are cut (by id, by page)
   * before the joins: PostgreSQL then plans the same cheap query whatever its statistics say, where
   * joining first let a plan made for a small table join and sort every rock to keep a thousand.
   */
  const withTypeAndUser = (source: ReturnType<typeof rocks>) =>
    db
      .selectFrom(source.as('r'))
      .innerJoin('rockapi_type as t', 't.id', 'r.type_id')
      .innerJoin('auth_user as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.name', 'r.weight', 't.id as type_id', 't.label as type_label', 'u.id as user_id', 'u.first_name', 'u.last_name'])
      // Whether the rock has photos (an index lookup): most have none, and their photos need no query of their own.
      .select((eb) => eb.exists(eb.selectFrom('rock_image as i').select('i.id').whereRef('i.rock_id', '=', 'r.id')).as('has_images'))
      .orderBy('r.id');

  type RockRow = Awaited<ReturnType<ReturnType<typeof withTypeAndUser>['executeTakeFirstOrThrow']>>;
  /** A rock's values as its query returns them (`precompileAsArrays`): in the order the select above names them. */
  type RockValues = [RockRow['id'], RockRow['name'], RockRow['weight'], RockRow['type_id'], RockRow['type_label'], RockRow['user_id'], RockRow['first_name'], RockRow['last_name'], RockRow['has_images']];
  const rockQuery = (source: ReturnType<typeof rocks>) => precompileAsArrays<RockValues>(db, withTypeAndUser(source));

  // Each rock is made once, as it is sent: a list of 100,000 makes no copies to throw away.
  // PostgreSQL returns numeric(5,2) as "1.30", SQLite as 1.3: one representation for both.
  const toRock = ([id, name, weight, typeId, typeLabel, userId, firstName, lastName]: RockValues, images: RockImage[]): Rock => ({
    id,
    name,
    weight: formatWeight(Number(weight)),
    type: { id: typeId, label: typeLabel },
    user: { id: userId, first_name: firstName, last_name: lastName },
    images,
  });
  const idOf = (values: RockValues) => values[0];
  const hasImages = (values: RockValues) => Boolean(values[8]);

  // Built and compiled once; the values given here only hold the placeholders' places.
  const pageOfEveryRock = rockQuery(rocks().where('id', '>', 0).limit(1));
  const pageOfOwnedRocks = rockQuery(rocks().where('user_id', '=', 0).where('id', '>', 0).limit(1));
  // The batch size is written into the SQL: SQLite runs this query three times slower with the limit as a bound value.
  const batchOfEveryRock = rockQuery(rocks().where('id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  const batchOfOwnedRocks = rockQuery(rocks().where('user_id', '=', 0).where('id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  const countOfEveryRock = precompile(db, db.selectFrom('rockapi_rock').select((eb) => eb.fn.countAll().as('count')));
  const countOfOwnedRocks = precompile(db, db.selectFrom('rockapi_rock').select((eb) => eb.fn.countAll().as('count')).where('user_id', '=', 0));
  const rockById = rockQuery(rocks().where('id', '=', 0));
  const insertRock = precompile(db, db.insertInto('rockapi_rock').values({ name: '', weight: '0', type_id: 0, user_id: 0 }).returning('id'));

  // The one place rocks gain their photos: one query per page or batch that has photos, none for one without.
  const withImages = async (rows: RockValues[], present: PresentImage): Promise<Rock[]> => {
    const pictured = rows.filter(hasImages).map(idOf);
    if (pictured.length === 0) return rows.map((row) => toRock(row, []));
    const images = await rockImages.listForRocks(pictured);
    return rows.map((row) => toRock(row, images.get(idOf(row))?.map(present) ?? []));
  };

  return {
    /** Up to `limit` rocks in id order, after `afterId` (keyset pagination: no row is skipped or repeated as rows come and go). */
    async listPage({ ownerId, afterId, limit }: RockPageRequest, present: PresentImage): Promise<Rock[]> {
      const rows = ownerId === undefined ? await pageOfEveryRock(afterId, limit) : await pageOfOwnedRocks(ownerId, afterId, limit);
      return withImages(rows, present);
    },

    /** How many rocks there are (or how many `ownerId` has): the total beside a page. */
    async count(ownerId: number | undefined): Promise<number> {
      const { count } = firstRow(ownerId === undefined ? await countOfEveryRock() : await countOfOwnedRocks(ownerId));
      // PostgreSQL's COUNT is a bigint, which pg returns as a string.
      return Number(count);
    },

    /**
     * Every rock (or every rock of `ownerId`) in id order, LIST_BATCH_SIZE at a time. The next batch is
     * read while the caller uses this one (its round trip to PostgreSQL overlaps the writing), and no
     * further: the whole list is never in memory, and no cursor or connection is held between batches.
     */
    async *inBatches(ownerId: number | undefined, present: PresentImage): AsyncGenerator<Rock[]> {
      const read = (afterId: number) => {
        const rows = ownerId === undefined ? batchOfEveryRock(afterId) : batchOfOwnedRocks(ownerId, afterId);
        // Handled where it is awaited; a caller that stops early must not leave it unhandled.
        rows.catch(() => {});
        return rows;
      };
      let next = read(0);
      for (;;) {
        const rows = await next;
        const batch = await withImages(rows, present);
        // Emptied once its rocks are made. The driver's array can outlive a young-generation
        // collection while it fills (PostgreSQL's rows arrive over several reads from the socket);
        // once V8 has promoted it, it holds every row it points to through each young collection
        // until a full one, dead or not. A 100,000-rock list then peaked near 200 MiB, not 140.
        rows.length = 0;
        const last = batch.at(-1);
        const more = last !== undefined && batch.length === LIST_BATCH_SIZE;
        if (more) next = read(last.id);
        if (batch.length > 0) yield batch;
        if (!more) return;
      }
    },

    /** A new rock has no photos yet. */
    async create(rock: NewRock): Promise<Rock> {
      const { id } = firstRow(await insertRock(rock.name, rock.weight, rock.typeId, rock.userId));
      return toRock(firstRow(await rockById(id)), []);
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
