import type { DatabaseHandle } from '../../db/database.js';
import { sampleRocks, sampleTypes, sampleUsers } from '../../db/sample-data.js';
import { TOTALS_QUERY } from '../../db/workshop-queries.js';
import { step, type StepResult } from '../step-result.js';

/** Which of the course's sample rows are here: users by id and username, types by id and label, rocks by id and name. */
async function samplePresence(handle: DatabaseHandle): Promise<{ present: number; total: number }> {
  const { db } = handle;
  const users = await db.selectFrom('auth_user').select(['id', 'username']).where('id', 'in', sampleUsers.map((user) => user.id)).execute();
  const types = await db.selectFrom('rockapi_type').select(['id', 'label']).where('id', 'in', sampleTypes.map((type) => type.id)).execute();
  const rocks = await db.selectFrom('rockapi_rock').select(['id', 'name']).where('id', 'in', sampleRocks.map((rock) => rock.id)).execute();
  const present =
    users.filter((row) => sampleUsers.some((user) => user.id === row.id && user.username === row.username)).length +
    types.filter((row) => sampleTypes.some((type) => type.id === row.id && type.label === row.label)).length +
    rocks.filter((row) => sampleRocks.some((rock) => rock.id === row.id && rock.name === row.name)).length;
  return { present, total: sampleUsers.length + sampleTypes.length + sampleRocks.length };
}

/** Step 7: how much data there is (the workshop's count query), and whether the sample data is in it. */
export async function checkData(handle: DatabaseHandle): Promise<StepResult> {
  const totals = (await TOTALS_QUERY.execute(handle.db)).rows[0];
  const tokens = await handle.db.selectFrom('authtoken_token').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const [users, types, rocks] = [Number(totals?.total_users), Number(totals?.total_types), Number(totals?.total_rocks)];
  const sample = await samplePresence(handle);
  const sampleText =
    sample.present === sample.total ? 'the sample data is present' : sample.present === 0 ? 'no sample data' : `part of the sample data (${sample.present} of its ${sample.total} rows)`;
  const summary = `${users} users, ${Number(tokens.count)} tokens, ${types} types, ${rocks} rocks; ${sampleText}`;
  if (types === 0) {
    return step('data', 'warn', summary, ['warning: no rock types: nobody can collect a rock until there are some (npm run db:seed -w api adds the five of the course)']);
  }
  return step('data', 'ok', summary);
}
