import type { Database } from './schema.js';

type DjangoTable = 'auth_user' | 'authtoken_token' | 'rockapi_type' | 'rockapi_rock';

/**
 * The four tables of the original Django app and the columns this API reads and writes, in Django's
 * order. Other tables (Django's own, ours for other features) are never touched by what uses this list.
 */
export const APP_TABLES = {
  auth_user: ['id', 'password', 'last_login', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined'],
  authtoken_token: ['key', 'created', 'user_id'],
  rockapi_type: ['id', 'label'],
  rockapi_rock: ['id', 'name', 'weight', 'type_id', 'user_id'],
} as const satisfies { [Table in DjangoTable]: readonly (keyof Database[Table] & string)[] };

export type AppTable = keyof typeof APP_TABLES;

export const APP_TABLE_NAMES = Object.keys(APP_TABLES) as AppTable[];
