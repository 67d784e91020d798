import { sql } from 'kysely';

/**
 * The workshop's three verification queries, as its text gives them (and the README repeats them).
 * They run unchanged on SQLite and PostgreSQL.
 */
export const ROCK_TYPES_QUERY = sql<{ id: number; label: string }>`SELECT * FROM rockapi_type`;

export const ROCKS_WITH_OWNERS_QUERY = sql<{ rock_name: string; weight: string | number; rock_type: string; first_name: string; last_name: string }>`
SELECT
    r.name as rock_name,
    r.weight,
    t.label as rock_type,
    u.first_name,
    u.last_name
FROM rockapi_rock r
JOIN rockapi_type t ON r.type_id = t.id
JOIN auth_user u ON r.user_id = u.id`;

export const TOTALS_QUERY = sql<{ total_rocks: number | string; total_types: number | string; total_users: number | string }>`
SELECT
    (SELECT COUNT(*) FROM rockapi_rock) as total_rocks,
    (SELECT COUNT(*) FROM rockapi_type) as total_types,
    (SELECT COUNT(*) FROM auth_user) as total_users`;
