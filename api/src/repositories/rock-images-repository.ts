import type { Kysely, Selectable } from 'kysely';
import { precompile } from '../db/precompiled-query.js';
import type { Database, RockImageTable } from '../db/schema.js';

export type RockImageRecord = Selectable<RockImageTable>;

export interface NewRockImage {
  rockId: number;
  uploadKey: string;
  fileName: string;
  contentType: string;
  /** Milliseconds since the epoch. */
  uploadedAt: number;
  uploadExpiresAt: number;
}

export interface ServedKeys {
  original_key: string;
  thumbnail_small_key: string;
  thumbnail_medium_key: string;
  thumbnail_large_key: string;
}

/** Every file of a photo, for deleting them. */
export const keysOf = (image: RockImageRecord): string[] =>
  [image.upload_key, image.original_key, image.thumbnail_small_key, image.thumbnail_medium_key, image.thumbnail_large_key].filter(
    (key): key is string => key !== null,
  );

/** A new photo, or why there is none. */
export type ImageCreation = { created: RockImageRecord } | { refused: 'no such rock' | 'photo limit reached' };

export type RockImagesRepository = ReturnType<typeof createRockImagesRepository>;

export function createRockImagesRepository(db: Kysely<Database>) {
  // Built and compiled once: the lists of rocks ask it for every page and batch.
  const imagesOfRockIdRange = precompile(db, db.selectFrom('rock_image').selectAll().where('rock_id', '>=', 0).where('rock_id', '<=', 0).orderBy('id'));

  return {
    /**
     * Creates the photo and its thumbnail job together, the job due once the upload may have landed,
     * unless the rock is gone or already has `maxPerRock` photos. The rock's row is written first, so
     * that creations for one rock take turns (PostgreSQL locks the row; SQLite takes its write lock):
     * two at once would otherwise both count four photos and both add a fifth.
     */
    async create(image: NewRockImage, jobRunsAfter: number, maxPerRock: number): Promise<ImageCreation> {
      return db.transaction().execute(async (trx) => {
        const locked = await trx.updateTable('rockapi_rock').set((eb) => ({ name: eb.ref('name') })).where('id', '=', image.rockId).executeTakeFirst();
        if (Number(locked.numUpdatedRows) === 0) return { refused: 'no such rock' } as const;
        const { count } = await trx.selectFrom('rock_image').select((eb) => eb.fn.countAll().as('count')).where('rock_id', '=', image.rockId).executeTakeFirstOrThrow();
        if (Number(count) >= maxPerRock) return { refused: 'photo limit reached' } as const;
        const row = await trx
          .insertInto('rock_image')
          .values({
            rock_id: image.rockId,
            upload_key: image.uploadKey,
            file_name: image.fileName,
            content_type: image.contentType,
            file_size: null,
            status: 'processing',
            failure_reason: null,
            uploaded_at: image.uploadedAt,
            upload_expires_at: image.uploadExpiresAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.insertInto('photo_job').values({ image_id: row.id, run_after: jobRunsAfter, lease_until: null }).execute();
        return { created: row };
      });
    },

    async find(id: number): Promise<RockImageRecord | undefined> {
      return db.selectFrom('rock_image').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async findByUploadKey(uploadKey: string): Promise<RockImageRecord | undefined> {
      return db.selectFrom('rock_image').selectAll().where('upload_key', '=', uploadKey).executeTakeFirst();
    },

    /**
     * The photos of each rock, oldest first, for rocks listed in id order (a page or a batch): one
     * prepared query for the photos of the ids from the first rock to the last, whatever the count.
     * Photos of rocks in that range but not in the list (someone else's) are read and left out.
     */
    async listForRocks(rockIds: number[]): Promise<Map<number, RockImageRecord[]>> {
      const byRock = new Map<number, RockImageRecord[]>(rockIds.map((id) => [id, []]));
      if (rockIds.length === 0) return byRock;
      const rows = await imagesOfRockIdRange(Math.min(...rockIds), Math.max(...rockIds));
      for (const row of rows) byRock.get(row.rock_id)?.push(row);
      return byRock;
    },

    async recordDeclaredSize(id: number, fileSize: number): Promise<void> {
      await db.updateTable('rock_image').set({ file_size: fileSize }).where('id', '=', id).where('status', '=', 'processing').execute();
    },

    /** Records the served files; false when the photo is gone or no longer processing (its files are then unused). */
    async markReady(id: number, keys: ServedKeys, fileSize: number): Promise<boolean> {
      const result = await db
        .updateTable('rock_image')
        .set({ ...keys, file_size: fileSize, status: 'ready', failure_reason: null })
        .where('id', '=', id)
        .where('status', '=', 'processing')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async markFailed(id: number, reason: string): Promise<void> {
      await db.updateTable('rock_image').set({ status: 'failed', failure_reason: reason }).where('id', '=', id).where('status', '=', 'processing').execute();
    },

    /** Deletes the photo (its job goes with it); returns it, for deleting its files, or undefined when it was already gone. */
    async delete(id: number): Promise<RockImageRecord | undefined> {
      return db.deleteFrom('rock_image').where('id', '=', id).returningAll().executeTakeFirst();
    },
  };
}
