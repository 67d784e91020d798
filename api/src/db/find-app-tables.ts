import type { Kysely } from 'kysely';
import { APP_TABLE_NAMES, APP_TABLES } from './app-tables.js';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

export interface DatabaseSide {
  db: Kysely<Database>;
  dialect: Dialect;
}

export interface TablesFound {
  /** Of the four tables, those missing or lacking a column, with what they lack. */
  missing: string[];
  /** Every other table (Django's own, or ours for other features): never read or written. */
  others: string[];
  /** Whether all four tables exist (columns aside). */
  present: boolean;
}

/** Which of the four tables (and their columns) a database has, and which other tables. */
export async function findAppTables(side: DatabaseSide): Promise<TablesFound> {
  const tables = (await side.db.introspection.getTables()).filter((table) => table.schema === undefined || table.schema === 'public');
  const byName = new Map(tables.map((table) => [table.name, new Set(table.columns.map((column) => column.name))]));
  const missing = APP_TABLE_NAMES.flatMap((name) => {
    const columns = byName.get(name);
    if (columns === undefined) return [name];
    return APP_TABLES[name].filter((column) => !columns.has(column)).map((column) => `${name}.${column}`);
  });
  return {
    missing,
    present: APP_TABLE_NAMES.every((name) => byName.has(name)),
    others: tables.map((table) => table.name).filter((name) => !(APP_TABLE_NAMES as string[]).includes(name)),
  };
}
