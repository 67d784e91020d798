import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDriver from 'better-sqlite3';
import pg from 'pg';
import type { Rock } from '@rock-of-ages/contract';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runApi, TEST_DATABASE_URL, type ApiProcess } from '@rock-of-ages/test-kit';
import { hashPassword } from '../src/auth/password.js';
import { createDatabase, openReadOnlySqlite } from '../src/db/database.js';
import { makePlan } from '../src/transfer/plan.js';
import { verifyCopy } from '../src/transfer/verify-copy.js';
import { addRocks, createDjangoSqlite, type DjangoRows } from './support/django-sqlite.js';
import { createPostgresDatabase, dropPostgresDatabase, postgresConfig } from './support/test-database.js';

const SAMPLE_HASH = 'pbkdf2_sha256$600000$PinrrOrk7ch9XdNNbooLC8$aQEROPFKhevn3p+wFDZXBK2Ozd0YeXouhnFBAZ7LV0w=';
const ADA_PASSWORD = 'correct horse battery';

/** What a learner's Django database holds: the course's fixtures plus their own users, a type and rocks (hashed once). */
let rowsMade: Promise<DjangoRows> | undefined;
const djangoRows = () => (rowsMade ??= makeDjangoRows());

async function makeDjangoRows(): Promise<DjangoRows> {
  const user = { last_login: null, is_superuser: 0, is_staff: 0, is_active: 1 } as const;
  return {
    users: [
      { ...user, id: 1, password: SAMPLE_HASH, username: 'john_doe', first_name: 'John', last_name: 'Doe', email: 'john@example.com', date_joined: '2023-01-01 12:00:00' },
      { ...user, id: 2, password: SAMPLE_HASH, username: 'jane_smith', first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com', date_joined: '2023-01-10 14:00:00' },
      {
        id: 5,
        password: await hashPassword(ADA_PASSWORD, 1000),
        last_login: '2025-09-02 18:30:01.654321',
        is_superuser: 1,
        username: 'ada',
        first_name: 'Ada',
        last_name: "O'Connor",
        email: 'ada@example.com',
        is_staff: 1,
        is_active: 1,
        date_joined: '2025-09-01 09:15:00.123456',
      },
      { ...user, id: 7, password: await hashPassword('zoe-rocks', 1000), username: 'zoë@example.com', first_name: 'Zoë', last_name: 'Ångström', email: 'zoë@example.com', date_joined: '2025-09-03 07:00:00' },
    ],
    tokens: [
      { key: 'abcdef123456', created: '2023-01-01 12:05:00', user_id: 1 },
      { key: 'ghijkl789012', created: '2023-01-10 14:05:00', user_id: 2 },
      { key: '0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4', created: '2025-09-01 09:15:00.654321', user_id: 5 },
      { key: '9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3', created: '2025-09-03 07:00:00.000001', user_id: 7 },
    ],
    types: [
      { id: 1, label: 'Metamorphic' },
      { id: 2, label: 'Igneous' },
      { id: 3, label: 'Sedimentary' },
      { id: 4, label: 'Shale' },
      { id: 5, label: 'Basalt' },
      { id: 6, label: 'Obsidian ✨' },
    ],
    rocks: [
      { id: 1, name: 'Ernestina', weight: '1.30', type_id: 3, user_id: 2 },
      { id: 2, name: 'Orpha', weight: '0.50', type_id: 1, user_id: 1 },
      { id: 3, name: 'Sasha', weight: '0.29', type_id: 5, user_id: 2 },
      { id: 10, name: 'Tiny', weight: '0.01', type_id: 6, user_id: 5 },
      { id: 11, name: 'Heavy', weight: '999.99', type_id: 2, user_id: 5 },
      { id: 12, name: 'Round', weight: '2.00', type_id: 2, user_id: 7 },
      { id: 13, name: 'Ünïcødé 🪨 "quoted"', weight: '12.30', type_id: 6, user_id: 7 },
    ],
  };
}

/** Every row of the four tables as PostgreSQL itself prints it (UTC timestamps): the test's own reading, not the transfer's. */
const DUMP = {
  auth_user: 'select id, password, last_login::text, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined::text from auth_user order by id',
  authtoken_token: 'select key, created::text, user_id from authtoken_token order by user_id',
  rockapi_type: 'select id, label from rockapi_type order by id',
  rockapi_rock: 'select id, name, weight::text, type_id, user_id from rockapi_rock order by id',
};

function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function query<T extends pg.QueryResultRow>(name: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    await client.query("set timezone = 'UTC'");
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function dump(name: string): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const [table, text] of Object.entries(DUMP)) tables[table] = await query(name, text);
  return tables;
}

/** The environment that names the test's PostgreSQL database, as a learner's .env names RDS. */
function targetEnv(name: string): Record<string, string> {
  const url = new URL(TEST_DATABASE_URL);
  return {
    DB_HOST: url.hostname,
    DB_PORT: url.port || '5432',
    DB_USER: decodeURIComponent(url.username) || 'postgres',
    ...(url.password === '' ? {} : { DB_PASSWORD: decodeURIComponent(url.password) }),
    DB_NAME: name,
    SSLMODE: 'disable',
  };
}

let running: ApiProcess[] = [];
const transfer = (name: string, args: string[], input?: string) => {
  const run = runApi('cli', targetEnv(name), ['transfer', ...args], input === undefined ? {} : { input });
  running.push(run);
  return run;
};

let dir: string;
let file: string;
let target: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rock-transfer-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  file = path.join(dir, `django-${Date.now()}.sqlite3`);
  createDjangoSqlite(file, await djangoRows());
  target = await createPostgresDatabase();
});
afterEach(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  running = [];
  await dropPostgresDatabase(target);
});

/** Runs the API's own migrations and seed on the target, as a first start on RDS does. */
async function seedTarget(): Promise<void> {
  const setup = runApi('cli', targetEnv(target), ['setup']);
  expect(await setup.exited).toBe(0);
}

describe('transfer from a SQLite file made by the original Django app into PostgreSQL', { timeout: 90_000 }, () => {
  it('copies every row of the four tables with its id, password hash, microseconds and two-decimal weight, and ignores the Django tables', async () => {
    const run = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('other tables, not copied: auth_group, auth_user_groups, django_admin_log, django_content_type, django_migrations, django_session');
    expect(run.output()).toMatch(/rockapi_rock +7 +7 +([0-9a-f]{16}) +\1 +7 of 7 ✓/);
    expect(run.output()).toContain('3. totals: 7 rocks, 6 types, 4 users ✓');
    expect(run.output()).toContain('Transfer complete');

    const rows = await djangoRows();
    const tables = await dump(target);
    expect(tables.auth_user).toEqual(
      rows.users.map((user) => ({
        ...user,
        is_superuser: user.is_superuser === 1,
        is_staff: user.is_staff === 1,
        is_active: user.is_active === 1,
        last_login: user.last_login === null ? null : `${user.last_login}+00`,
        date_joined: `${user.date_joined}+00`,
      })),
    );
    expect(tables.authtoken_token).toEqual(rows.tokens.map((token) => ({ ...token, created: `${token.created}+00` })));
    expect(tables.rockapi_type).toEqual(rows.types);
    expect(tables.rockapi_rock).toEqual(rows.rocks);
    const others = await query<{ table_name: string }>(target, "select table_name from information_schema.tables where table_schema = 'public' and table_name like 'django%'");
    expect(others).toEqual([]);
  });

  it('afterwards the users log in with their old passwords and tokens, and new users and rocks get the next ids', async () => {
    expect(await transfer(target, ['--from', `sqlite:${file}`, '--to', 'env']).exited).toBe(0);
    const api = runApi('server', { ...targetEnv(target), HOST: '127.0.0.1', PORT: '0', SEED_ON_START: 'false', AUTH_RATE_LIMIT: '0' });
    running.push(api);
    const [, baseUrl] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const post = async (route: string, body: unknown, token?: string): Promise<[number, Record<string, unknown>]> => {
      const response = await fetch(`${baseUrl}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Token ${token}` }) },
        body: JSON.stringify(body),
      });
      return [response.status, (await response.json()) as Record<string, unknown>];
    };

    expect(await post('/login', { email: 'ada@example.com', password: ADA_PASSWORD })).toEqual([200, { valid: true, token: '0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4' }]);
    expect(await post('/login', { email: 'john@example.com', password: 'password' })).toEqual([200, { valid: true, token: 'abcdef123456' }]);
    expect(await post('/login', { email: 'ada@example.com', password: 'wrong' })).toEqual([200, { valid: false }]);

    const mine = await fetch(`${baseUrl}/rocks?owner=current`, { headers: { authorization: 'Token 9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3' } });
    expect(((await mine.json()) as Rock[]).map((rock) => [rock.id, rock.weight])).toEqual([
      [12, '2.00'],
      [13, '12.30'],
    ]);

    const [status, registered] = await post('/register', { email: 'new@example.com', password: 'pebbles-42', first_name: 'New', last_name: 'Person' });
    expect(status).toBe(200);
    expect(await post('/rocks', { name: 'Fresh', weight: 3.5, typeId: 6 }, String(registered.token))).toEqual([201, expect.objectContaining({ id: 14, name: 'Fresh', weight: '3.50' })]);
    expect(await query(target, "select id from auth_user where username = 'new@example.com'")).toEqual([{ id: 8 }]);
    expect(await query(target, "insert into rockapi_type (label) values ('Pumice') returning id")).toEqual([{ id: 7 }]);
  });

  it('refuses a target that already holds other rows, lists the conflicts, and leaves it as it was', async () => {
    await seedTarget();
    await query(target, "insert into auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) values (5, 'x', false, 'bob@example.com', 'Bob', 'B', 'bob@example.com', false, true, now())");
    await query(target, "insert into rockapi_type (id, label) values (6, 'Granite')");
    const before = await dump(target);

    const run = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('auth_user 5: id 5 is bob@example.com in the target, ada <ada@example.com> in the source');
    expect(run.output()).toContain('rockapi_type 6: id 6 is "Granite" in the target, "Obsidian ✨" in the source');
    expect(run.output()).toContain('Refused: 2 row(s) conflict: --on-conflict=skip keeps what is already there, --replace empties the target first.');
    expect(run.output()).toContain('Nothing was written.');
    expect(await dump(target)).toEqual(before);
  });

  it('--on-conflict=skip keeps the target\'s rows, copies the rest, and leaves out the token and rocks of a user whose id is someone else\'s', async () => {
    await seedTarget();
    await query(target, "insert into auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined) values (5, 'x', false, 'bob@example.com', 'Bob', 'B', 'bob@example.com', false, true, '2025-01-01T00:00:00Z')");
    await query(target, "insert into rockapi_rock (id, name, weight, type_id, user_id) values (40, 'Bob''s', 4.4, 1, 5)");

    const run = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--on-conflict=skip']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/auth_user +4 +1 +2 +1 +0 +0\n/);
    expect(run.output()).toMatch(/rockapi_rock +7 +2 +3 +0 +2 +1\n/);

    const tables = await dump(target);
    expect((tables.auth_user as { id: number; username: string }[]).map((user) => [user.id, user.username])).toEqual([
      [1, 'john_doe'],
      [2, 'jane_smith'],
      [5, 'bob@example.com'],
      [7, 'zoë@example.com'],
    ]);
    // Ada's rocks 10 and 11 stay behind: id 5 is Bob here. Bob's own rock is kept.
    expect((tables.rockapi_rock as { id: number }[]).map((rock) => rock.id)).toEqual([1, 2, 3, 12, 13, 40]);
    expect((tables.authtoken_token as { user_id: number }[]).map((token) => token.user_id)).toEqual([1, 2, 7]);
  });

  it('--replace asks first: without an answer nothing changes; answered "yes" the target becomes an exact copy of the source', async () => {
    await seedTarget();
    await query(target, "insert into rockapi_rock (id, name, weight, type_id, user_id) values (99, 'Only here', 1, 1, 1)");
    const before = await dump(target);

    const unanswered = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace']);
    expect(await unanswered.exited).toBe(1);
    expect(unanswered.output()).toContain('--replace deletes every row of the four tables');
    expect(unanswered.output()).toContain('Not confirmed: nothing was changed');
    expect(await dump(target)).toEqual(before);

    const declined = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace'], 'no\n');
    expect(await declined.exited).toBe(1);
    expect(await dump(target)).toEqual(before);

    const confirmed = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace'], 'yes\n');
    expect(await confirmed.exited).toBe(0);
    expect(confirmed.output()).toContain('Emptied the four tables (13 rows).');
    expect((await dump(target)).rockapi_rock).toEqual((await djangoRows()).rocks);
  });

  it('--dry-run reports what would be copied and every conflict, and writes nothing, not even the migrations', async () => {
    const fresh = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--dry-run']);
    expect(await fresh.exited).toBe(0);
    expect(fresh.output()).toContain('Target: no tables yet');
    expect(fresh.output()).toContain('A real run would copy 21 rows.');
    expect(await query(target, "select table_name from information_schema.tables where table_schema = 'public'")).toEqual([]);

    await seedTarget();
    await query(target, "update rockapi_type set label = 'Granite' where id = 2");
    const before = await dump(target);
    const conflicting = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--dry-run']);
    expect(await conflicting.exited).toBe(1);
    expect(conflicting.output()).toContain('rockapi_type 2: id 2 is "Granite" in the target, "Igneous" in the source');
    expect(conflicting.output()).toMatch(/rockapi_rock +7 +2 +3 +0 +2 +0\n/);
    expect(conflicting.output()).toContain('A real run would stop: 1 row(s) conflict');
    expect(await dump(target)).toEqual(before);
  });

  it('reports users whose e-mails differ only in case as a conflict; --on-conflict=skip copies the first of them', async () => {
    const db = new SqliteDriver(file);
    db.prepare(
      "insert into auth_user (id, password, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name) values (8, 'x', 0, 'ADA@example.com', 'Twin', 'ADA@example.com', 0, 1, '2025-09-04 10:00:00', 'Ada')",
    ).run();
    db.prepare("insert into rockapi_rock (id, name, weight, type_id, user_id) values (20, 'Twin rock', 1.5, 1, 8)").run();
    db.close();

    const refused = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env']);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('auth_user 8: its e-mail "ADA@example.com" differs only in case from user 5\'s "ada@example.com" in the source');

    const skipped = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--on-conflict=skip']);
    expect(await skipped.exited).toBe(0);
    expect(await query(target, 'select id from auth_user order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 5 }, { id: 7 }]);
    expect(await query(target, 'select count(*)::int as count from rockapi_rock where id = 20')).toEqual([{ count: 0 }]);
  });

  it('refuses rows PostgreSQL cannot store (NUL, too long, not a weight, no owner), naming each, and writes nothing', async () => {
    const db = new SqliteDriver(file);
    // A rock whose owner is gone: possible wherever foreign keys were not enforced.
    db.pragma('foreign_keys = OFF');
    db.prepare("update rockapi_rock set name = 'Bad' || char(0) || 'name' where id = 10").run();
    db.prepare(`update auth_user set first_name = '${'x'.repeat(151)}' where id = 7`).run();
    db.prepare("update rockapi_rock set weight = 1234.5 where id = 11").run();
    db.prepare("insert into rockapi_rock (id, name, weight, type_id, user_id) values (30, 'Orphan', 1, 1, 77)").run();
    db.close();

    const run = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--on-conflict=skip']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('Rows PostgreSQL cannot store as they are (4):');
    expect(run.output()).toContain('rockapi_rock 30: belongs to user 77, who does not exist');
    expect(run.output()).toContain('rockapi_rock 10: name contains a NUL character, which PostgreSQL cannot store');
    expect(run.output()).toContain('auth_user 7: first_name is 151 characters long; the column holds 150');
    expect(run.output()).toContain('rockapi_rock 11: weight is not a weight with at most two decimals below 1000: 1234.5');
    expect(await query(target, 'select count(*)::int as count from auth_user')).toEqual([{ count: 0 }]);
  });

  it('leaves the target\'s other tables alone, even with --replace', async () => {
    await seedTarget();
    await query(target, 'create table login_failures (identifier text primary key, failures int not null)');
    await query(target, "insert into login_failures values ('john@example.com', 3)");
    expect(await transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace', '--yes']).exited).toBe(0);
    expect(await query(target, 'select * from login_failures')).toEqual([{ identifier: 'john@example.com', failures: 3 }]);
  });

  it('copies from another PostgreSQL given as a URL (a local or Docker database to RDS)', async () => {
    await seedTarget();
    const second = await createPostgresDatabase();
    try {
      const run = runApi('cli', targetEnv(second), ['transfer', '--from', databaseUrl(target), '--to', 'env']);
      running.push(run);
      expect(await run.exited).toBe(0);
      expect(await dump(second)).toEqual(await dump(target));
    } finally {
      await dropPostgresDatabase(second);
    }
  });

  it('names what is wrong with the command line (exit 2) and with an unreachable target (exit 1)', async () => {
    const missing = transfer(target, ['--from', `sqlite:${file}`]);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('--from and --to are both needed');

    const wrongScheme = transfer(target, ['--from', 'mysql://x', '--to', 'env']);
    expect(await wrongScheme.exited).toBe(2);
    expect(wrongScheme.output()).toContain('--from must be sqlite:<file> or a postgres:// URL (got "mysql://x")');

    const noFile = transfer(target, ['--from', `sqlite:${path.join(dir, 'nope.sqlite3')}`, '--to', 'env']);
    expect(await noFile.exited).toBe(1);
    expect(noFile.output()).toContain('Cannot read the source');

    const sqliteEnv = runApi('cli', { SQLITE_PATH: path.join(dir, 'x.sqlite3') }, ['transfer', '--from', `sqlite:${file}`, '--to', 'env']);
    running.push(sqliteEnv);
    expect(await sqliteEnv.exited).toBe(2);
    expect(sqliteEnv.output()).toContain('--to env: the environment names no PostgreSQL');

    const unreachable = runApi('cli', { ...targetEnv(target), DB_PORT: '1' }, ['transfer', '--from', `sqlite:${file}`, '--to', 'env']);
    running.push(unreachable);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.output()).toMatch(/Cannot connect to the target, PostgreSQL at 127\.0\.0\.1:1\/.*ECONNREFUSED.*npm run doctor -w api/);
  });
});

describe('the verification', () => {
  it('tells a copy that differs by one cent or one microsecond from a faithful one', async () => {
    expect(await transfer(target, ['--from', `sqlite:${file}`, '--to', 'env']).exited).toBe(0);
    const source = openReadOnlySqlite(file);
    const copy = createDatabase(postgresConfig(target));
    const verify = async () => {
      const sides = { source: { db: source.db, dialect: 'sqlite' as const }, target: { db: copy.db, dialect: 'postgres' as const } };
      const plan = await makePlan(sides.source, undefined, { compare: false, batchSize: 2 });
      const inserted = { auth_user: 4, authtoken_token: 4, rockapi_type: 6, rockapi_rock: 7 };
      return Object.fromEntries((await verifyCopy(sides.source, sides.target, plan, inserted, true, 2)).map((check) => [check.table, check.ok]));
    };
    try {
      expect(await verify()).toEqual({ auth_user: true, rockapi_type: true, authtoken_token: true, rockapi_rock: true });
      await query(target, 'update rockapi_rock set weight = 12.31 where id = 13');
      await query(target, "update authtoken_token set created = created + interval '1 microsecond' where user_id = 5");
      expect(await verify()).toEqual({ auth_user: true, rockapi_type: true, authtoken_token: false, rockapi_rock: false });
    } finally {
      await source.close();
      await copy.close();
    }
  });
});

describe('transfer of 100,000 rocks', () => {
  it('killed halfway (SIGKILL), it leaves the target exactly as it was; run again, it copies and verifies every row', async () => {
    addRocks(file, 100_000, 1_000, [1, 2, 5, 7], [1, 2, 3, 4, 5, 6]);
    await seedTarget();
    const before = await dump(target);

    const killed = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace', '--yes', '--batch-size', '200']);
    await killed.waitFor(/rockapi_rock: [\d,]+ \/ 100,007 rows/, 120_000);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toBe('SIGKILL');
    expect(killed.output()).toContain('Emptied the four tables');
    expect(killed.output()).not.toContain('Committed.');
    expect(await dump(target)).toEqual(before);

    const complete = transfer(target, ['--from', `sqlite:${file}`, '--to', 'env', '--replace', '--yes']);
    expect(await complete.exited).toBe(0);
    expect(complete.output()).toMatch(/rockapi_rock +100,007 +100,007 +([0-9a-f]{16}) +\1 +100,007 of 100,007 ✓/);
    expect(complete.output()).toContain('3. totals: 100,007 rocks, 6 types, 4 users ✓');
    expect(await query(target, 'select count(*)::int as count, sum(weight)::text as total from rockapi_rock')).toEqual([
      { count: 100_007, total: String(await sqliteWeightTotal(file)) },
    ]);
  }, 240_000);
});

/** The sum of all weights in cents, as SQLite computes it, then as PostgreSQL prints numeric(…, 2). */
async function sqliteWeightTotal(source: string): Promise<string> {
  const db = new SqliteDriver(source, { readonly: true });
  try {
    const { cents } = db.prepare('select sum(cast(round(weight * 100) as integer)) as cents from rockapi_rock').get() as { cents: number };
    return (cents / 100).toFixed(2);
  } finally {
    db.close();
  }
}
