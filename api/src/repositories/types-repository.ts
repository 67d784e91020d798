import type { RockType } from '@rock-of-ages/contract';
import type { Kysely } from 'kysely';
import { precompile } from '../db/precompiled-query.js';
import type { Database } from '../db/schema.js';

export type TypesRepository = ReturnType<typeof createTypesRepository>;

export function createTypesRepository(db: Kysely<Database>) {
  // Built and compiled once; the id given here only holds the placeholder's place.
  const everyType = precompile(db, db.selectFrom('rockapi_type').select(['id', 'label']).orderBy('id'));
  const typeById = precompile(db, db.selectFrom('rockapi_type').select('id').where('id', '=', 0));

  return {
    list(): Promise<RockType[]> {
      return everyType();
    },

    async exists(id: number): Promise<boolean> {
      return (await typeById(id)).length > 0;
    },
  };
}
