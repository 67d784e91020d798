import type { Kysely } from 'kysely';
import { SAMPLE_PASSWORD_HASH, sampleTokens, sampleUsers } from './sample-data.js';
import type { Database } from './schema.js';

/**
 * Whether anyone could sign in with the course's published credentials: a sample user who still has
 * the sample password ("password"), or one of the fixed sample tokens. Looks rows up by primary key only.
 */
export async function hasSampleCredentials(db: Kysely<Database>): Promise<boolean> {
  const user = await db
    .selectFrom('auth_user')
    .select('id')
    .where('id', 'in', sampleUsers.map((sample) => sample.id))
    .where('password', '=', SAMPLE_PASSWORD_HASH)
    .executeTakeFirst();
  if (user !== undefined) return true;
  const token = await db
    .selectFrom('authtoken_token')
    .select('key')
    .where('key', 'in', sampleTokens.map((sample) => sample.key))
    .executeTakeFirst();
  return token !== undefined;
}
