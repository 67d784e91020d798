import { sql } from 'kysely';
import type { Side } from './table-io.js';

/** How many offending rows each check lists by name; the rest are counted. */
export const LISTED = 20;

export interface SourceFinding {
  table: string;
  key: string | number;
  message: string;
}

/**
 * Tokens and rocks whose user or type is missing: SQLite does not enforce foreign keys unless asked
 * to, and PostgreSQL would refuse such rows.
 */
export async function findOrphans(source: Side): Promise<{ listed: SourceFinding[]; count: number }> {
  const tokens = sql<{ key: string; user_id: unknown }>`
    select t.key, t.user_id from authtoken_token t left join auth_user u on u.id = t.user_id where u.id is null`;
  const rocks = sql<{ id: number; user_id: unknown; type_id: unknown; user_found: unknown; type_found: unknown }>`
    select r.id, r.user_id, r.type_id, u.id as user_found, t.id as type_found
    from rockapi_rock r left join auth_user u on u.id = r.user_id left join rockapi_type t on t.id = r.type_id
    where u.id is null or t.id is null`;
  const count = async (query: typeof tokens | typeof rocks) =>
    Number((await sql<{ count: number | string }>`select count(*) as count from (${query}) orphans`.execute(source.db)).rows[0]?.count ?? 0);

  const listed: SourceFinding[] = [
    ...(await sql<{ key: string; user_id: unknown }>`${tokens} limit ${LISTED}`.execute(source.db)).rows.map((row) => ({
      table: 'authtoken_token',
      key: row.key,
      message: `belongs to user ${String(row.user_id)}, who does not exist`,
    })),
    ...(await sql<{ id: number; user_id: unknown; type_id: unknown; user_found: unknown; type_found: unknown }>`${rocks} limit ${LISTED}`.execute(source.db)).rows.map(
      (row) => ({
        table: 'rockapi_rock',
        key: row.id,
        message: [row.user_found === null ? `belongs to user ${String(row.user_id)}, who does not exist` : '', row.type_found === null ? `has type ${String(row.type_id)}, which does not exist` : '']
          .filter((part) => part !== '')
          .join(' and '),
      }),
    ),
  ];
  return { listed, count: (await count(tokens)) + (await count(rocks)) };
}

/**
 * Users whose username or e-mail differs from an earlier user's only in case. The API treats them as
 * one address (logging in ignores case), so only the first of each (lowest id) can be copied.
 * Returns the later ones, by id, with the reason.
 */
export async function findCaseDuplicates(source: Side): Promise<Map<number, string>> {
  const duplicates = new Map<number, string>();
  for (const column of ['username', 'email'] as const) {
    const { rows: values } = await sql<{ value: string }>`
      select lower(${sql.ref(column)}) as value from auth_user where ${sql.ref(column)} <> ''
      group by lower(${sql.ref(column)}) having count(*) > 1`.execute(source.db);
    for (const { value } of values) {
      const { rows: users } = await sql<{ id: number; text: string }>`
        select id, ${sql.ref(column)} as text from auth_user where lower(${sql.ref(column)}) = ${value} order by id`.execute(source.db);
      const [first, ...later] = users;
      for (const user of later) {
        if (!duplicates.has(user.id)) {
          duplicates.set(user.id, `its ${column === 'email' ? 'e-mail' : 'username'} "${user.text}" differs only in case from user ${first?.id}'s "${first?.text}" in the source`);
        }
      }
    }
  }
  return duplicates;
}
