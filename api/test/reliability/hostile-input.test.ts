import { sql } from 'kysely';
import type { MessageError, Rock } from '@rock-of-ages/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/test-database.js';
import { request, startTestServer, type TestServer } from '../support/test-server.js';

const JOHN = 'abcdef123456';
const UNSTORABLE = (field: string) => `${field} must not contain NUL characters or unpaired surrogates`;

describe.each(DIALECTS)('%s: hostile input', (dialect) => {
  let server: TestServer;
  const call = (method: string, path: string, options?: Parameters<typeof request>[3]) => request(server, method, path, options);
  const rockNames = async () => (await sql<{ name: string }>`select name from rockapi_rock order by id`.execute(server.database.handle.db)).rows.map((row) => row.name);
  const userCount = async () => Number((await sql<{ n: number }>`select count(*) as n from auth_user`.execute(server.database.handle.db)).rows[0]?.n);

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('patterns run in linear time on bounded input', () => {
    it('three POST /rocks with a 60,000-digit weight ending in "x" answer 400 at once, and a request beside them is not held up', async () => {
      const hostile = { name: 'R', weight: `${'0'.repeat(60_000)}x`, typeId: 1 };
      const started = performance.now();
      const attacks = Promise.all(Array.from({ length: 3 }, () => call('POST', '/rocks', { token: JOHN, body: hostile })));
      const health = await call('GET', '/health');
      const healthMs = performance.now() - started;
      const answers = await attacks;
      const attacksMs = performance.now() - started;
      console.log(`${dialect}: three 60,000-digit weights answered in ${attacksMs.toFixed(0)} ms; /health beside them in ${healthMs.toFixed(0)} ms`);

      expect(health.status).toBe(200);
      expect(answers.map((answer) => [answer.status, answer.body])).toEqual(
        Array.from({ length: 3 }, () => [400, { message: 'weight must be a number of kilograms, such as 1.25' }]),
      );
      // Linear parsing takes milliseconds; the quadratic pattern froze the event loop for seconds per request.
      expect(attacksMs).toBeLessThan(3_000);
    });

    it.each([
      ['a 60,000-digit weight', { name: 'R', weight: '9'.repeat(60_000), typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
      ['a weight of 60,000 dots', { name: 'R', weight: '.'.repeat(60_000), typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
      ['a 60,000-digit typeId', { name: 'R', weight: 1, typeId: '1'.repeat(60_000) }, 'typeId must be the id of a rock type from GET /types'],
    ])('%s answers 400 at once', async (_case, body, message) => {
      const response = await call('POST', '/rocks', { token: JOHN, body });
      expect(response.status).toBe(400);
      expect((response.body as MessageError).message).toContain(message);
    });
  });

  describe('NUL characters and unpaired surrogates', () => {
    it('"password" followed by NUL does not log in as the user whose password is "password"', async () => {
      const response = await call('POST', '/login', { body: { email: 'john@example.com', password: 'password\u0000' } });
      expect([response.status, response.body]).toEqual([400, { message: UNSTORABLE('password') }]);
    });

    it('a password with an unpaired surrogate is refused (it would hash like U+FFFD)', async () => {
      const response = await call('POST', '/login', { body: { email: 'john@example.com', password: 'pass\ud800word' } });
      expect([response.status, response.body]).toEqual([400, { message: UNSTORABLE('password') }]);
    });

    it('registration refuses a password with NUL and creates nobody', async () => {
      const before = await userCount();
      const response = await call('POST', '/register', { body: { email: 'nul@example.com', password: 'secret\u0000', first_name: 'N', last_name: 'U' } });
      expect([response.status, response.body]).toEqual([400, { message: UNSTORABLE('password') }]);
      expect(await userCount()).toBe(before);
    });

    it.each([
      ['POST /login', { email: 'a\u0000b', password: 'password' }, '/login', 'email'],
      ['POST /login', { email: 'john\ud83d@example.com', password: 'password' }, '/login', 'email'],
      ['POST /register', { email: 'nul2@example.com', password: 'secret', first_name: 'A\u0000', last_name: 'B' }, '/register', 'first_name'],
      ['POST /register', { email: 'nul3@example.com', password: 'secret', first_name: 'A', last_name: '\udc00' }, '/register', 'last_name'],
      ['POST /rocks', { name: 'Gran\u0000ite', weight: 1, typeId: 1 }, '/rocks', 'name'],
      ['POST /rocks', { name: 'Granite \ud800', weight: 1, typeId: 1 }, '/rocks', 'name'],
    ])('%s %j answers the same 400 on both engines and stores nothing', async (_route, body, path, field) => {
      const [users, rocks] = [await userCount(), await rockNames()];
      const response = await call('POST', path, { token: JOHN, body });
      expect([response.status, response.body]).toEqual([400, { message: UNSTORABLE(field) }]);
      expect([await userCount(), await rockNames()]).toEqual([users, rocks]);
    });

    it('any other text is stored and returned exactly, on both engines', async () => {
      const name = 'Ĝranite 🪨 e\u0301 \u202eabc \ufeff\u00a0\t"\\\'';
      const response = await call('POST', '/rocks', { token: JOHN, body: { name, weight: 1, typeId: 1 } });
      expect([response.status, (response.body as Rock).name]).toEqual([201, name.trim()]);
      expect(await rockNames()).toContain(name.trim());
    });
  });

  describe('ids and media types', () => {
    it.each(['%202', '02', '2%20', '+2', '2e0', '0x2'])('DELETE /rocks/%s is not rock 2: 404, and the rock stays', async (id) => {
      const response = await call('DELETE', `/rocks/${id}`, { token: JOHN });
      expect(response.status).toBe(404);
      expect(await rockNames()).toContain('Orpha');
    });

    it.each([' 2', '02', '2 '])('POST /rocks with typeId %j answers 400', async (typeId) => {
      const response = await call('POST', '/rocks', { token: JOHN, body: { name: 'R', weight: 1, typeId } });
      expect(response.status).toBe(400);
      expect((response.body as MessageError).message).toMatch(/^typeId must be the id of a rock type from GET \/types/);
    });

    it.each(['utf-16', 'UTF-16LE', 'iso-8859-1', 'utf-32'])('a JSON body declared charset=%s answers 415 and stores nothing', async (charset) => {
      const before = await rockNames();
      const response = await call('POST', '/rocks', {
        token: JOHN,
        body: { name: 'Charset', weight: 1, typeId: 1 },
        headers: { 'content-type': `application/json; charset=${charset}` },
      });
      expect([response.status, response.body]).toEqual([415, { message: `Unsupported charset "${charset.toLowerCase()}": send JSON as UTF-8` }]);
      expect(await rockNames()).toEqual(before);
    });

    it.each(['utf-8', 'UTF-8', '"utf-8"', 'utf8'])('a JSON body declared charset=%s is read', async (charset) => {
      const response = await call('POST', '/login', { body: { email: 'john@example.com', password: 'wrong' }, headers: { 'content-type': `application/json; charset=${charset}` } });
      expect([response.status, response.body]).toEqual([200, { valid: false }]);
    });

    it('a compressed body answers 415 (bodies are read as they come, not decompressed)', async () => {
      const response = await call('POST', '/login', {
        body: { email: 'john@example.com', password: 'wrong' },
        headers: { 'content-encoding': 'gzip' },
      });
      expect([response.status, response.body]).toEqual([415, { message: 'Unsupported content-encoding "gzip": send the body uncompressed' }]);
    });
  });
});
