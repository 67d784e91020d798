import { sql, type RawBuilder } from 'kysely';
import type { AppTable } from '../db/app-tables.js';
import type { Dialect } from '../db/database.js';

/**
 * What each column of the four tables may hold, and one canonical text for every value, the same
 * whichever engine it was read from: the rows are written in this form and both sides' checksums are
 * computed over it. The traps it avoids: SQLite gives 1.3 where PostgreSQL gives "1.30"; Django
 * writes "2024-03-05 10:11:12.123456" (UTC, no zone) where PostgreSQL gives a timestamptz; JavaScript
 * dates would drop the microseconds; SQLite accepts text longer than varchar(n) and NUL characters,
 * which PostgreSQL refuses.
 */
type Column =
  | { kind: 'integer' }
  | { kind: 'text'; max: number }
  | { kind: 'timestamp'; nullable: boolean }
  | { kind: 'flag' }
  | { kind: 'decimal' };

const integer = { kind: 'integer' } as const;
const text = (max: number) => ({ kind: 'text', max }) as const;
const timestamp = (nullable = false) => ({ kind: 'timestamp', nullable }) as const;
const flag = { kind: 'flag' } as const;

export const COLUMNS: Record<AppTable, Record<string, Column>> = {
  auth_user: {
    id: integer,
    password: text(128),
    last_login: timestamp(true),
    is_superuser: flag,
    username: text(150),
    first_name: text(150),
    last_name: text(150),
    email: text(254),
    is_staff: flag,
    is_active: flag,
    date_joined: timestamp(),
  },
  authtoken_token: { key: text(40), created: timestamp(), user_id: integer },
  rockapi_type: { id: integer, label: text(155) },
  rockapi_rock: { id: integer, name: text(155), weight: { kind: 'decimal' }, type_id: integer, user_id: integer },
};

/** The integer column each table is read in order of (and in batches by): tokens by their user, one each. */
export const PAGE_KEY: Record<AppTable, string> = { auth_user: 'id', authtoken_token: 'user_id', rockapi_type: 'id', rockapi_rock: 'id' };
/** The column that identifies a row: the primary key. */
export const ROW_KEY: Record<AppTable, string> = { auth_user: 'id', authtoken_token: 'key', rockapi_type: 'id', rockapi_rock: 'id' };

export type CanonicalValue = string | number | null;
export type CanonicalRow = Record<string, CanonicalValue>;
export type RawRow = Record<string, unknown>;

export class InvalidValue extends Error {
  override name = 'InvalidValue';
}

const MAX_INTEGER = 2_147_483_647;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_CENTS = 99_999;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function offsetMinutes(zone: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (match === null) return 0;
  const [, sign, hours = '0', minutes = '0'] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/** "YYYY-MM-DDTHH:MM:SS.ffffffZ" in UTC; a value without a zone is UTC, as Django stores it with USE_TZ. */
export function canonicalTimestamp(value: unknown): string {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value.trim()) : null;
  if (match === null) throw new InvalidValue(`is not a date and time: ${JSON.stringify(value)}`);
  const [, year, month, day, hour, minute, second = '00', fraction = '', zone = 'Z'] = match;
  const written = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  const local = Date.parse(`${written}Z`);
  // Date.parse rolls 2024-02-30 over to March: a value that does not come back unchanged is no date.
  if (Number.isNaN(local) || new Date(local).toISOString().slice(0, 19) !== written) {
    throw new InvalidValue(`is not a valid date and time: ${JSON.stringify(value)}`);
  }
  const utc = new Date(local - offsetMinutes(zone) * 60_000).toISOString().slice(0, 19);
  return `${utc}.${fraction.padEnd(6, '0')}Z`;
}

/** Two decimals, as numeric(5,2) holds it: "1.30". */
export function canonicalDecimal(value: unknown): string {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  const cents = Math.round(number * 100);
  if (!Number.isFinite(number) || Math.abs(number * 100 - cents) > 1e-6 || Math.abs(cents) > MAX_CENTS) {
    throw new InvalidValue(`is not a weight with at most two decimals below 1000: ${JSON.stringify(value)}`);
  }
  return (cents / 100).toFixed(2);
}

function canonicalValue(column: Column, value: unknown): CanonicalValue {
  if (value === null || value === undefined) {
    if (column.kind === 'timestamp' && column.nullable) return null;
    throw new InvalidValue('is empty (NULL), which the column does not allow');
  }
  switch (column.kind) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INTEGER) throw new InvalidValue(`is not an id: ${JSON.stringify(value)}`);
      return value;
    case 'flag':
      if (value === true || value === 1 || value === '1') return 1;
      if (value === false || value === 0 || value === '0') return 0;
      throw new InvalidValue(`is not true or false: ${JSON.stringify(value)}`);
    case 'timestamp':
      return canonicalTimestamp(value);
    case 'decimal':
      return canonicalDecimal(value);
    case 'text':
      if (typeof value !== 'string') throw new InvalidValue(`is not text: ${JSON.stringify(value)}`);
      if (value.includes('\u0000')) throw new InvalidValue('contains a NUL character, which PostgreSQL cannot store');
      if (LONE_SURROGATE.test(value)) throw new InvalidValue('contains a broken character (a lone UTF-16 surrogate), which PostgreSQL cannot store');
      if ([...value].length > column.max) throw new InvalidValue(`is ${[...value].length} characters long; the column holds ${column.max}`);
      return value;
  }
}

/** The canonical form of a row as read from either engine; throws InvalidValue naming the column. */
export function canonicalRow(table: AppTable, row: RawRow): CanonicalRow {
  const result: CanonicalRow = {};
  for (const [name, column] of Object.entries(COLUMNS[table])) {
    try {
      result[name] = canonicalValue(column, row[name]);
    } catch (error) {
      if (error instanceof InvalidValue) throw new InvalidValue(`${name} ${error.message}`);
      throw error;
    }
  }
  return result;
}

/** The line a row contributes to its table's checksum. */
export const checksumLine = (row: CanonicalRow): string => `${JSON.stringify(Object.values(row))}\n`;

/**
 * The select list that reads a table on an engine: PostgreSQL formats its timestamps in UTC with
 * microseconds (a JavaScript Date would keep milliseconds); SQLite's values are read as they are stored.
 */
export function selectList(table: AppTable, dialect: Dialect): RawBuilder<unknown> {
  return sql.join(
    Object.entries(COLUMNS[table]).map(([name, column]) =>
      dialect === 'postgres' && column.kind === 'timestamp'
        ? sql`to_char(${sql.ref(name)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${sql.ref(name)}`
        : dialect === 'postgres' && column.kind === 'decimal'
          ? sql`${sql.ref(name)}::text as ${sql.ref(name)}`
          : sql.ref(name),
    ),
  );
}
