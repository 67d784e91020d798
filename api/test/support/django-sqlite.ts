import SqliteDriver from 'better-sqlite3';

/**
 * An SQLite file as the original Django app leaves it: Django's own DDL for the four tables (as
 * `manage.py migrate` writes it, with `first_name` last after auth's migration 0012) and some of
 * Django's other tables, with rows in them, which a transfer must leave alone.
 */
const DJANGO_SCHEMA = `
CREATE TABLE IF NOT EXISTS "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);
CREATE TABLE IF NOT EXISTS "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL);
CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model");
CREATE TABLE IF NOT EXISTS "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL);
CREATE TABLE IF NOT EXISTS "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE IF NOT EXISTS "django_admin_log" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "action_time" datetime NOT NULL, "object_id" text NULL, "object_repr" varchar(200) NOT NULL, "change_message" text NOT NULL, "content_type_id" integer NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "action_flag" smallint unsigned NOT NULL CHECK ("action_flag" >= 0));
CREATE TABLE IF NOT EXISTS "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);
CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date");
CREATE TABLE IF NOT EXISTS "authtoken_token" ("key" varchar(40) NOT NULL PRIMARY KEY, "created" datetime NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE IF NOT EXISTS "rockapi_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "label" varchar(155) NOT NULL);
CREATE TABLE IF NOT EXISTS "rockapi_rock" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(155) NOT NULL, "weight" decimal NOT NULL, "type_id" bigint NOT NULL REFERENCES "rockapi_type" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX "rockapi_rock_type_id_8ab4a8a5" ON "rockapi_rock" ("type_id");
CREATE INDEX "rockapi_rock_user_id_4cbd5a1e" ON "rockapi_rock" ("user_id");
INSERT INTO "django_migrations" ("app", "name", "applied") VALUES
  ('contenttypes', '0001_initial', '2025-09-01 09:00:00.100000'), ('auth', '0012_alter_user_first_name_max_length', '2025-09-01 09:00:00.200000'),
  ('authtoken', '0004_alter_tokenproxy_options', '2025-09-01 09:00:00.300000'), ('rockapi', '0001_initial', '2025-09-01 09:00:00.400000');
INSERT INTO "django_content_type" ("app_label", "model") VALUES ('auth', 'user'), ('rockapi', 'rock'), ('rockapi', 'type');
INSERT INTO "django_session" VALUES ('f3kq0w9c1l7y2x5z8a4b6d0e1g3h5j7k', 'e30:1uAbCd:session', '2025-09-15 09:00:00');
`;

export interface DjangoUser {
  id: number;
  password: string;
  last_login: string | null;
  is_superuser: 0 | 1;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  is_staff: 0 | 1;
  is_active: 0 | 1;
  date_joined: string;
}

export interface DjangoRows {
  users: DjangoUser[];
  tokens: { key: string; created: string; user_id: number }[];
  types: { id: number; label: string }[];
  /** Weights as Django's SQLite backend hands them over: decimal text such as "1.30" (stored as REAL). */
  rocks: { id: number; name: string; weight: string; type_id: number; user_id: number }[];
}

export function createDjangoSqlite(file: string, rows: DjangoRows): void {
  const db = new SqliteDriver(file);
  try {
    db.exec(DJANGO_SCHEMA);
    const insert = (sql: string, values: object[]) => {
      const statement = db.prepare(sql);
      db.transaction(() => values.forEach((value) => statement.run(value)))();
    };
    insert(
      'INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) VALUES (@id, @password, @last_login, @is_superuser, @username, @last_name, @email, @is_staff, @is_active, @date_joined, @first_name)',
      rows.users,
    );
    insert('INSERT INTO authtoken_token (key, created, user_id) VALUES (@key, @created, @user_id)', rows.tokens);
    insert('INSERT INTO rockapi_type (id, label) VALUES (@id, @label)', rows.types);
    insert('INSERT INTO rockapi_rock (id, name, weight, type_id, user_id) VALUES (@id, @name, @weight, @type_id, @user_id)', rows.rocks);
  } finally {
    db.close();
  }
}

/** Adds `count` rocks to a file of this shape, in one statement (fast enough for 100,000). */
export function addRocks(file: string, count: number, firstId: number, userIds: number[], typeIds: number[]): void {
  const db = new SqliteDriver(file);
  try {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @count)
       INSERT INTO rockapi_rock (id, name, weight, type_id, user_id)
       SELECT @firstId + i, 'Rock ' || cast(@firstId + i as integer), ((i * 37) % 99999 + 1) / 100.0,
              json_extract(@types, '$[' || (i % json_array_length(@types)) || ']'), json_extract(@users, '$[' || (i % json_array_length(@users)) || ']')
       FROM n`,
    ).run({ count, firstId, users: JSON.stringify(userIds), types: JSON.stringify(typeIds) });
  } finally {
    db.close();
  }
}
