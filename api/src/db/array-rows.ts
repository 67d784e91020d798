/**
 * Rows as arrays of values, in the order the query selects them, for the queries that read many rows:
 * the drivers then make one array per row instead of an object with a property per column
 * (better-sqlite3 spent most of a long list's time setting those properties). A query asks for it with
 * this comment at the start of its SQL (`precompileAsArrays`); both engines' connections look for it.
 */
export const ARRAY_ROWS = '/* rows as arrays */ ';

export const wantsArrayRows = (sql: string): boolean => sql.startsWith(ARRAY_ROWS);
