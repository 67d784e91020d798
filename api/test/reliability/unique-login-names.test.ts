import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { initialSchema } from '../../src/db/migrations/2026-11-25-initial-schema.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/test-database.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

describe.each(DIALECTS)('%s: one account per login name, ignoring case', (dialect) => {
  describe('concurrent registrations', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(dialect);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('20 case variants of one e-mail registered at once create exactly one account; the others answer 400', async () => {
      const variants = Array.from({ length: 20 }, (_, index) =>
        [...'race.case@example.com'].map((char, position) => ((index >> position % 5) & 1 ? char.toUpperCase() : char)).join(''),
      );
      expect(new Set(variants).size).toBe(20);

      const responses = await Promise.all(
        variants.map((email) => request(server, 'POST', '/register', { body: { email, password: 'pw', first_name: 'Race', last_name: 'Case' } })),
      );

      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, ...Array.from({ length: 19 }, () => 400)]);
      for (const response of responses.filter((answer) => answer.status === 400)) {
        expect(response.body).toEqual({ message: 'An account with that username already exists' });
      }
      const { rows } = await sql<{ n: number }>`select count(*) as n from auth_user where lower(email) = 'race.case@example.com'`.execute(
        server.database.handle.db,
      );
      expect(Number(rows[0]?.n)).toBe(1);
    });
  });

  describe('the migration', () => {
    let database: TestDatabase;
    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      await initialSchema.up(database.handle.db);
    });
    afterEach(async () => {
      await database.destroy();
    });

    const user = (id: number, username: string, email: string) => ({
      id,
      username,
      email,
      password: '!',
      first_name: 'F',
      last_name: 'L',
      is_superuser: 0 as const,
      is_staff: 0 as const,
      is_active: 1 as const,
      last_login: null,
      date_joined: '2026-01-01T00:00:00Z',
    });

    it('names every account whose username or e-mail collides with another in case only, and changes nothing', async () => {
      await database.handle.db
        .insertInto('auth_user')
        .values([
          user(1, 'Kim', 'kim@example.com'),
          user(2, 'kim', 'other@example.com'),
          user(3, 'lee', 'Lee@Example.com'),
          user(4, 'lee2', 'lee@example.com'),
          user(5, 'unique', 'unique@example.com'),
          // Django allows any number of users without an e-mail address.
          user(6, 'no-mail-1', ''),
          user(7, 'no-mail-2', ''),
        ])
        .execute();

      const failure = migrateToLatest(database.handle.db);
      await expect(failure).rejects.toThrow(
        'Migration 2026-12-01-unique-login-names failed: accounts differ only in the case of their login name; ' +
          'rename or merge them, then migrate again: username "Kim" (id 1) and "kim" (id 2); e-mail "Lee@Example.com" (id 3) and "lee@example.com" (id 4)',
      );
      const { rows } = await sql<{ n: number }>`select count(*) as n from auth_user`.execute(database.handle.db);
      expect(Number(rows[0]?.n)).toBe(7);
    });

    it('without collisions it applies, keeps users without an e-mail, and the database refuses a case variant', async () => {
      await database.handle.db
        .insertInto('auth_user')
        .values([user(1, 'Kim', 'kim@example.com'), user(2, 'no-mail-1', ''), user(3, 'no-mail-2', '')])
        .execute();

      expect(await migrateToLatest(database.handle.db)).toContain('2026-12-01-unique-login-names');

      await expect(database.handle.db.insertInto('auth_user').values(user(4, 'KIM', 'new@example.com')).execute()).rejects.toThrow();
      await expect(database.handle.db.insertInto('auth_user').values(user(5, 'new', 'KIM@example.com')).execute()).rejects.toThrow();
      await database.handle.db.insertInto('auth_user').values(user(6, 'no-mail-3', '')).execute();
    });
  });
});
