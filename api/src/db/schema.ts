import type { ColumnType, Generated, SqlBool } from 'kysely';

/**
 * The tables keep the names Django gave them, so the workshop's SQL runs unchanged and an existing
 * Django database can be used as it is.
 */

/** SQLite returns 0/1, PostgreSQL true/false; both accept 0/1 on the way in. */
type Flag = ColumnType<SqlBool, 0 | 1, 0 | 1>;
/** Written as ISO-8601 text, which both engines store faithfully. */
type Timestamp = ColumnType<Date | string, string, string>;
/** numeric(5,2): PostgreSQL returns a string, SQLite a number. */
type Decimal = ColumnType<string | number, string, string>;

export interface UserTable {
  id: Generated<number>;
  password: string;
  last_login: Timestamp | null;
  is_superuser: Flag;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  is_staff: Flag;
  is_active: Flag;
  date_joined: Timestamp;
}

export interface TokenTable {
  key: string;
  created: Timestamp;
  user_id: number;
}

export interface TypeTable {
  id: Generated<number>;
  label: string;
}

export interface RockTable {
  id: Generated<number>;
  name: string;
  weight: Decimal;
  type_id: number;
  user_id: number;
}

/** Failed logins of one account name in its current window (the login throttle). */
export interface LoginFailureTable {
  /** The name as typed at login, trimmed and lower-cased: unknown names are counted too. */
  account: string;
  failures: number;
  /** Milliseconds since the epoch. */
  window_start: number;
  /** When the failures reached the limit (and the lock was logged); null before. */
  locked_at: number | null;
}

/** A photo of a rock; the `*_key`s name its files in the photo store. Times in milliseconds since the epoch. */
export interface RockImageTable {
  id: Generated<number>;
  rock_id: number;
  /** Where the upload lands; never served (it may still carry location metadata). */
  upload_key: string;
  file_name: string;
  content_type: string;
  file_size: number | null;
  status: 'processing' | 'ready' | 'failed';
  failure_reason: string | null;
  original_key: string | null;
  thumbnail_small_key: string | null;
  thumbnail_medium_key: string | null;
  thumbnail_large_key: string | null;
  uploaded_at: number;
  upload_expires_at: number;
}

/** A photo still to process; claimed by setting `lease_until`. */
export interface PhotoJobTable {
  image_id: number;
  /** Not claimed before this time (milliseconds since the epoch). */
  run_after: number;
  lease_until: number | null;
  attempts: ColumnType<number, number | undefined, number>;
}

export interface Database {
  auth_user: UserTable;
  authtoken_token: TokenTable;
  rockapi_type: TypeTable;
  rockapi_rock: RockTable;
  login_failure: LoginFailureTable;
  rock_image: RockImageTable;
  photo_job: PhotoJobTable;
}
