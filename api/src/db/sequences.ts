import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Explicit ids do not advance PostgreSQL's identity sequences: moves each past the highest id, or the
 * next registration or rock would collide with a row written with its id.
 */
export async function moveSequencesPastIds(db: Kysely<Database>): Promise<void> {
  for (const table of ['auth_user', 'rockapi_type', 'rockapi_rock'] as const) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 1), max(id) is not null) from ${sql.table(table)}`.execute(db);
  }
}
