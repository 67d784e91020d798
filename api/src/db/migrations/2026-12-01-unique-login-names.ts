import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Login matches usernames and e-mail addresses ignoring case, so two accounts whose names differ
 * only in case are one account too many: unique indexes on the lower-cased values make the database
 * refuse the second, however many registrations race. Django requires no e-mail address, so empty
 * ones are left out. Existing collisions are listed, and nothing is changed, rather than left to an
 * index build that would fail naming only the index.
 */
const COLUMNS = [
  { column: 'username', label: 'username', index: 'auth_user_username_lower_uniq' },
  { column: 'email', label: 'e-mail', index: 'auth_user_email_lower_uniq' },
] as const;

async function collisions(db: Kysely<any>, column: string, label: string): Promise<string[]> {
  const { rows } = await sql<{ id: number; value: string; folded: string }>`
    select id, ${sql.ref(column)} as value, lower(${sql.ref(column)}) as folded from auth_user
    where ${sql.ref(column)} <> '' and lower(${sql.ref(column)}) in (
      select lower(${sql.ref(column)}) from auth_user where ${sql.ref(column)} <> '' group by lower(${sql.ref(column)}) having count(*) > 1
    )
    order by lower(${sql.ref(column)}), id`.execute(db);
  // Grouped as the engine lower-cases (SQLite's lower() folds ASCII only), which is what the index will compare.
  const groups = new Map<string, { id: number; value: string }[]>();
  for (const row of rows) groups.set(row.folded, [...(groups.get(row.folded) ?? []), row]);
  return [...groups.values()].map((group) => `${label} ${group.map((row) => `"${row.value}" (id ${row.id})`).join(' and ')}`);
}

export const uniqueLoginNames: Migration = {
  async up(db: Kysely<any>) {
    const found: string[] = [];
    for (const { column, label } of COLUMNS) found.push(...(await collisions(db, column, label)));
    if (found.length > 0) {
      throw new Error(`accounts differ only in the case of their login name; rename or merge them, then migrate again: ${found.join('; ')}`);
    }
    for (const { column, index } of COLUMNS) {
      await sql`create unique index ${sql.id(index)} on auth_user (lower(${sql.ref(column)})) where ${sql.ref(column)} <> ''`.execute(db);
    }
  },

  async down(db: Kysely<any>) {
    for (const { index } of COLUMNS) await db.schema.dropIndex(index).ifExists().execute();
  },
};
