import type { RockType } from '@rock-of-ages/contract';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type TypesRepository = ReturnType<typeof createTypesRepository>;

export function createTypesRepository(db: Kysely<Database>) {
  return {
    list(): Promise<RockType[]> {
      return db.selectFrom('rockapi_type').select(['id', 'label']).orderBy('id').execute();
    },

    async exists(id: number): Promise<boolean> {
      return (await db.selectFrom('rockapi_type').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
  };
}
