import { formatWeight, type Rock, type RockImage, type RockOwner, type RockType, type ValidRockBody } from '@rock-of-ages/contract';
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

  /** The rocks `source` selects, by id, with whether each has photos (an index lookup: most have none, and theirs need no query of their own). */
  const rockColumns = (source: ReturnType<typeof rocks>) =>
    db
      .selectFrom(source.as('r'))
      .select(['r.id', 'r.name', 'r.weight', 'r.type_id', 'r.user_id'])
      .select((eb) => eb.exists(eb.selectFrom('rock_image as i').select('i.id').whereRef('i.rock_id', '=', 'r.id')).as('has_images'))
      .orderBy('r.id');

  /**
   * The same, with each rock's type and owner. The rocks are cut (by id, by page) before the type is
   * joined: joining first let a plan made for a small table join and sort every rock to keep a
   * thousand. The owner's names are looked up by id for each rock, not joined: with many users,
   * PostgreSQL hashed the whole user table to join a page's thousand rocks (18 ms with 100,000 users
   * against 3 ms by lookups). SQLite looked up each row's owner once when joining and twice now,
   * which costs it under a millisecond on a page of 1,000 (decision 006).
   */
  const withTypeAndUser = (source: ReturnType<typeof rocks>) =>
    rockColumns(source)
      .innerJoin('rockapi_type as t', 't.id', 'r.type_id')
      .select('t.label as type_label')
      .select((eb) => {
        const owner = eb.selectFrom('auth_user as u').whereRef('u.id', '=', 'r.user_id');
        return [owner.select('u.first_name').$asScalar().as('first_name'), owner.select('u.last_name').$asScalar().as('last_name')];
      });

  type RockRow = Awaited<ReturnType<ReturnType<typeof withTypeAndUser>['executeTakeFirstOrThrow']>>;
  /** A rock's own values as `rockColumns` returns them (`precompileAsArrays`): in the order it names them. */
  type ColumnValues = [RockRow['id'], RockRow['name'], RockRow['weight'], RockRow['type_id'], RockRow['user_id'], RockRow['has_images']];
  /** The same, followed by the names `withTypeAndUser` adds. */
  type RockValues = [...ColumnValues, RockRow['type_label'], RockRow['first_name'], RockRow['last_name']];
  const rockQuery = (source: ReturnType<typeof rocks>) => precompileAsArrays<RockValues>(db, withTypeAndUser(source));

  // Each rock is made once, as it is sent: a list of 100,000 makes no copies to throw away.
  // PostgreSQL returns numeric(5,2) as "1.30", SQLite as 1.3: one representation for both.
  const toRock = ([id, name, weight]: ColumnValues | RockValues, type: RockType, user: RockOwner, images: RockImage[]): Rock => ({
    id,
    name,
    weight: formatWeight(Number(weight)),
    type,
    user,
    images,
  });
  const rockWithNames = (values: RockValues, images: RockImage[]): Rock => {
    const [, , , typeId, userId, , typeLabel, firstName, lastName] = values;
    return toRock(values, { id: typeId, label: typeLabel }, { id: userId, first_name: firstName, last_name: lastName }, images);
  };
  const idOf = (values: ColumnValues | RockValues) => values[0];
  const hasImages = (values: ColumnValues | RockValues) => Boolean(values[5]);

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

  // A long list's batches after the first: the rocks' own columns, their types and owners looked up apart (`inBatches`).
  const laterBatch = (source: ReturnType<typeof rocks>) => precompileAsArrays<ColumnValues>(db, rockColumns(source));
  const laterBatchOfEveryRock = laterBatch(rocks().where('id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  const laterBatchOfOwnedRocks = laterBatch(rocks().where('user_id', '=', 0).where('id', '>', 0).limit(sql.lit(LIST_BATCH_SIZE)));
  // Always as many values as a batch has rocks, padded with repeats: one SQL text, prepared once.
  const LOOKUP = Array.from({ length: LIST_BATCH_SIZE }, () => 0);
  const typesWithIds = precompileAsArrays<[number, string]>(db, db.selectFrom('rockapi_type').select(['id', 'label']).where('id', 'in', LOOKUP));
  const ownersWithIds = precompileAsArrays<[number, string, string]>(db, db.selectFrom('auth_user').select(['id', 'first_name', 'last_name']).where('id', 'in', LOOKUP));
  const padded = (ids: number[]) => LOOKUP.map((_, at) => ids[at] ?? ids[0]);

  /** A batch's types and owners, by id: each one object, shared by all of its rocks in the batch. */
  interface BatchNames {
    types: Map<number, RockType>;
    owners: Map<number, RockOwner>;
  }

  /** The types and owners of rocks already made (a long list's first batch). */
  const namesIn = (batch: Rock[]): BatchNames => ({
    types: new Map(batch.map(({ type }) => [type.id, type])),
    owners: new Map(batch.map(({ user }) => [user.id, user])),
  });

  /** Those of `ids` that `before` holds, carried over, and the others, to be looked up. */
  function carryOver<Name>(ids: number[], before: Map<number, Name>): { names: Map<number, Name>; missing: number[] } {
    const names = new Map<number, Name>();
    const missing = new Set<number>();
    for (const id of ids) {
      const name = before.get(id);
      if (name === undefined) missing.add(id);
      else names.set(id, name);
    }
    return { names, missing: [...missing] };
  }

  /**
   * The types and owners of `rows`: those the batch before had are taken from it, the others looked
   * up (two queries at most). Only one batch's names are kept, so memory stays bounded however many
   * owners a list has.
   */
  async function namesOf(rows: ColumnValues[], before: BatchNames): Promise<BatchNames> {
    const types = carryOver(rows.map((values) => values[3]), before.types);
    const owners = carryOver(rows.map((values) => values[4]), before.owners);
    if (types.missing.length > 0) {
      for (const [id, label] of await typesWithIds(...padded(types.missing))) types.names.set(id, { id, label });
    }
    if (owners.missing.length > 0) {
      const found = await ownersWithIds(...padded(owners.missing));
      for (const [id, first_name, last_name] of found) owners.names.set(id, { id, first_name, last_name });
      // Let go of at once, as a batch's rows are (`inBatches`).
      found.length = 0;
    }
    return { types: types.names, owners: owners.names };
  }

  /** A rock made with its batch's names; none when its type or owner went (and it with them) while the list was read. */
  const namedRock = (names: BatchNames) => (values: ColumnValues, images: RockImage[]): Rock | undefined => {
    const [, , , typeId, ownerId] = values;
    const type = names.types.get(typeId);
    const owner = names.owners.get(ownerId);
    return type === undefined || owner === undefined ? undefined : toRock(values, type, owner, images);
  };

  // The one place rocks gain their photos: one query per page or batch that has photos, none for one without.
  async function withImages<Values extends ColumnValues | RockValues>(rows: Values[], present: PresentImage, make: (values: Values, images: RockImage[]) => Rock | undefined): Promise<Rock[]> {
    const pictured = rows.filter(hasImages).map(idOf);
    const images = pictured.length === 0 ? undefined : await rockImages.listForRocks(pictured);
    const made: Rock[] = [];
    for (const values of rows) {
      const rock = make(values, images?.get(idOf(values))?.map(present) ?? []);
      if (rock !== undefined) made.push(rock);
    }
    return made;
  }

  return {
    /** Up to `limit` rocks in id order, after `afterId` (keyset pagination: no row is skipped or repeated as rows come and go). */
    async listPage({ ownerId, afterId, limit }: RockPageRequest, present: PresentImage): Promise<Rock[]> {
      const rows = ownerId === undefined ? await pageOfEveryRock(afterId, limit) : await pageOfOwnedRocks(ownerId, afterId, limit);
      return withImages(rows, present, rockWithNames);
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
     *
     * The first batch comes with its names in the same query, as a page does: a list that fits in it
     * takes one query. The later ones read the rocks' own columns only, and look up the types and owners the
     * batch before did not have: on a long list, joining the same few names to every row was a third
     * of reading it on SQLite, and PostgreSQL joined a thousand rows to every user.
     */
    async *inBatches(ownerId: number | undefined, present: PresentImage): AsyncGenerator<Rock[]> {
      const later = (afterId: number) => {
        const rows = ownerId === undefined ? laterBatchOfEveryRock(afterId) : laterBatchOfOwnedRocks(ownerId, afterId);
        // Handled where it is awaited; a caller that stops early must not leave it unhandled.
        rows.catch(() => {});
        return rows;
      };
      const firstRows = ownerId === undefined ? await batchOfEveryRock(0) : await batchOfOwnedRocks(ownerId, 0);
      let rows: RockValues[] | ColumnValues[] = firstRows;
      let batch = await withImages(firstRows, present, rockWithNames);
      let names: BatchNames | undefined;
      for (;;) {
        const last: ColumnValues | RockValues | undefined = rows.at(-1);
        const next: Promise<ColumnValues[]> | undefined = last !== undefined && rows.length === LIST_BATCH_SIZE ? later(idOf(last)) : undefined;
        // Emptied once its rocks are made. The driver's array can outlive a young-generation
        // collection while it fills (PostgreSQL's rows arrive over several reads from the socket);
        // once V8 has promoted it, it holds every row it points to through each young collection
        // until a full one, dead or not. A 100,000-rock list then peaked near 200 MiB, not 140.
        rows.length = 0;
        if (batch.length > 0) yield batch;
        if (next === undefined) return;
        const laterRows: ColumnValues[] = await next;
        // The first batch's names are gathered only for a list that goes on beyond it.
        names = await namesOf(laterRows, names ?? namesIn(batch));
        batch = await withImages(laterRows, present, namedRock(names));
        rows = laterRows;
      }
    },

    /** A new rock has no photos yet. */
    async create(rock: NewRock): Promise<Rock> {
      const { id } = firstRow(await insertRock(rock.name, rock.weight, rock.typeId, rock.userId));
      return rockWithNames(firstRow(await rockById(id)), []);
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
