import type { MessageError, Rock, TokenResponse } from '@rock-of-ages/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTargets, type ContractServer } from './support/contract-targets.js';
import { request } from './support/test-server.js';

const JOHN = 'abcdef123456';
const JANE = 'ghijkl789012';

const ernestina = { id: 1, name: 'Ernestina', weight: '1.30', type: { id: 3, label: 'Sedimentary' }, user: { id: 2, first_name: 'Jane', last_name: 'Smith' }, images: [] };
const orpha = { id: 2, name: 'Orpha', weight: '0.50', type: { id: 1, label: 'Metamorphic' }, user: { id: 1, first_name: 'John', last_name: 'Doe' }, images: [] };
const sasha = { id: 3, name: 'Sasha', weight: '0.29', type: { id: 5, label: 'Basalt' }, user: { id: 2, first_name: 'Jane', last_name: 'Smith' }, images: [] };

describe.each(contractTargets())('%s: HTTP contract', (_target, start) => {
  let server: ContractServer;
  const call = (method: string, path: string, options?: Parameters<typeof request>[3]) => request(server, method, path, options);
  const rockCount = async () => ((await call('GET', '/rocks', { token: JOHN })).body as Rock[]).length;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('authentication', () => {
    it('GET /rocks without a token answers 401 "not provided", with WWW-Authenticate and CORS headers', async () => {
      const response = await call('GET', '/rocks', { headers: { origin: 'http://localhost:3000' } });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(response.headers.get('www-authenticate')).toBe('Token');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('GET /rocks with an unknown token answers 401 "Invalid token."', async () => {
      const response = await call('GET', '/rocks', { token: 'not-a-real-token' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ detail: 'Invalid token.' });
    });

    it('a token that differs from a real one only in case is refused', async () => {
      const response = await call('GET', '/types', { token: JOHN.toUpperCase() });
      expect(response.status).toBe(401);
    });

    it('"Token" with no key, or with spaces in it, is refused with DRF\'s messages', async () => {
      const empty = await call('GET', '/types', { headers: { authorization: 'Token' } });
      const spaced = await call('GET', '/types', { headers: { authorization: 'Token abc def' } });
      expect([empty.status, empty.body]).toEqual([401, { detail: 'Invalid token header. No credentials provided.' }]);
      expect([spaced.status, spaced.body]).toEqual([401, { detail: 'Invalid token header. Token string should not contain spaces.' }]);
    });

    it('a preflight for Authorization and Content-Type is allowed from any origin', async () => {
      const response = await call('OPTIONS', '/rocks', {
        headers: { origin: 'https://d111111abcdef8.cloudfront.net', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
    });
  });

  describe('POST /register', () => {
    it('creates a user and answers 200 with a 40-character token that authenticates', async () => {
      const response = await call('POST', '/register', { body: { email: 'ada@example.com', password: 'correct horse', first_name: 'Ada', last_name: 'Lovelace' } });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body as TokenResponse)).toEqual(['token']);
      const { token } = response.body as TokenResponse;
      expect(token).toMatch(/^[0-9a-f]{40}$/);
      expect((await call('GET', '/rocks?owner=current', { token })).body).toEqual([]);
    });

    it('the new user can log in with the e-mail address and the password', async () => {
      const response = await call('POST', '/login', { body: { email: 'ADA@example.com', password: 'correct horse' } });
      expect(response.body).toEqual({ valid: true, token: expect.stringMatching(/^[0-9a-f]{40}$/) });
    });

    it('an e-mail address already taken answers 400, whatever its case', async () => {
      for (const email of ['ada@example.com', 'Ada@Example.com', 'john@example.com']) {
        const response = await call('POST', '/register', { body: { email, password: 'x', first_name: 'A', last_name: 'B' } });
        expect([response.status, response.body]).toEqual([400, { message: 'An account with that username already exists' }]);
      }
    });

    it.each([
      ['email', { password: 'p', first_name: 'A', last_name: 'B' }],
      ['password', { email: 'p@example.com', first_name: 'A', last_name: 'B' }],
      ['first_name', { email: 'p@example.com', password: 'p', last_name: 'B' }],
      ['last_name', { email: 'p@example.com', password: 'p', first_name: 'A' }],
      ['every field', {}],
      ['an empty first_name', { email: 'p@example.com', password: 'p', first_name: '  ', last_name: 'B' }],
    ])('without %s answers 400 with the contract message and creates nobody', async (_case, body) => {
      const response = await call('POST', '/register', { body });
      expect([response.status, response.body]).toEqual([400, { message: 'You must provide email, password, first_name, and last_name' }]);
      expect((await call('POST', '/login', { body: { email: 'p@example.com', password: 'p' } })).body).toEqual({ valid: false });
    });

    it('an e-mail that is not an e-mail address answers 400', async () => {
      const response = await call('POST', '/register', { body: { email: 'not-an-email', password: 'p', first_name: 'A', last_name: 'B' } });
      expect([response.status, response.body]).toEqual([400, { message: 'email must be a valid e-mail address' }]);
    });
  });

  describe('POST /login', () => {
    it.each([
      ['e-mail', 'john@example.com', JOHN],
      ['e-mail in another case', 'John@Example.COM', JOHN],
      ['username', 'john_doe', JOHN],
      ['username', 'jane_smith', JANE],
    ])('a sample user logs in by %s with "password" and gets their token', async (_how, email, token) => {
      const response = await call('POST', '/login', { body: { email, password: 'password' } });
      expect([response.status, response.body]).toEqual([200, { valid: true, token }]);
    });

    it('a wrong password answers 200 {"valid": false}', async () => {
      const response = await call('POST', '/login', { body: { email: 'john@example.com', password: 'Password' } });
      expect([response.status, response.body]).toEqual([200, { valid: false }]);
    });

    it('an unknown user answers 200 {"valid": false}', async () => {
      const response = await call('POST', '/login', { body: { email: 'nobody@example.com', password: 'password' } });
      expect([response.status, response.body]).toEqual([200, { valid: false }]);
    });

    it('a burst of logins does not hold up other requests (hashing runs off the event loop)', async () => {
      const finished: string[] = [];
      const logins = Array.from({ length: 8 }, (_, index) =>
        call('POST', '/login', { body: { email: 'jane@example.com', password: `wrong ${index}` } }).then(() => finished.push('login')),
      );
      const types = call('GET', '/types', { token: JOHN }).then((response) => finished.push(`types ${response.status}`));
      await Promise.all([...logins, types]);
      // Eight PBKDF2 runs of 600,000 iterations keep the thread pool busy far longer than one query
      // takes; hashing on the event loop would answer the logins sent first, first.
      expect(finished[0]).toBe('types 200');
    });

    it('a missing password answers 400 with a message', async () => {
      const response = await call('POST', '/login', { body: { email: 'john@example.com' } });
      expect([response.status, response.body]).toEqual([400, { message: 'You must provide email and password' }]);
    });
  });

  describe('GET /types', () => {
    it('lists the five types ordered by id', async () => {
      const response = await call('GET', '/types', { token: JANE });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        { id: 1, label: 'Metamorphic' },
        { id: 2, label: 'Igneous' },
        { id: 3, label: 'Sedimentary' },
        { id: 4, label: 'Shale' },
        { id: 5, label: 'Basalt' },
      ]);
    });
  });

  describe('GET /rocks', () => {
    it('lists every rock ordered by id, in the exact serialized shape', async () => {
      const response = await call('GET', '/rocks', { token: JOHN });
      expect(response.status).toBe(200);
      expect((response.body as Rock[]).slice(0, 3)).toEqual([ernestina, orpha, sasha]);
    });

    it('?owner=current lists only the caller\'s rocks', async () => {
      expect((await call('GET', '/rocks?owner=current', { token: JOHN })).body).toEqual([orpha]);
      expect((await call('GET', '/rocks?owner=current', { token: JANE })).body).toEqual([ernestina, sasha]);
    });

    it('an unknown owner filter answers 400 instead of silently listing everything', async () => {
      const response = await call('GET', '/rocks?owner=someone', { token: JOHN });
      expect([response.status, response.body]).toEqual([400, { message: 'owner must be "current" (only your rocks) or left out (every rock)' }]);
    });
  });

  describe('POST /rocks', () => {
    it('answers 201 with the created rock, owned by the caller, weight as a two-decimal string', async () => {
      const response = await call('POST', '/rocks', { token: JOHN, body: { name: 'Granite Gary', weight: 1.3, typeId: 2 } });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(Number),
        name: 'Granite Gary',
        weight: '1.30',
        type: { id: 2, label: 'Igneous' },
        user: { id: 1, first_name: 'John', last_name: 'Doe' },
        images: [],
      });
      const mine = (await call('GET', '/rocks?owner=current', { token: JOHN })).body;
      expect(mine).toContainEqual(response.body);
    });

    it('accepts weight and typeId as strings, as an HTML form sends them', async () => {
      const response = await call('POST', '/rocks', { token: JANE, body: { name: 'Pebble', weight: '999.99', typeId: '4' } });
      expect(response.status).toBe(201);
      const pebble = response.body as Rock;
      expect([pebble.weight, pebble.type]).toEqual(['999.99', { id: 4, label: 'Shale' }]);
    });

    it.each([
      ['no name', { weight: 1, typeId: 1 }, 'name is required'],
      ['an empty name', { name: '', weight: 1, typeId: 1 }, 'name must not be empty'],
      ['a blank name', { name: '   ', weight: 1, typeId: 1 }, 'name must not be empty'],
      ['a 156-character name', { name: 'x'.repeat(156), weight: 1, typeId: 1 }, 'name must be at most 155 characters'],
      ['no weight', { name: 'R', typeId: 1 }, 'weight is required: a number of kilograms, such as 1.25'],
      ['a non-numeric weight', { name: 'R', weight: 'heavy', typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
      ['a boolean weight', { name: 'R', weight: true, typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
      ['a null weight', { name: 'R', weight: null, typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
      ['a numeric name', { name: 42, weight: 1, typeId: 1 }, 'name must be text'],
      ['an object typeId', { name: 'R', weight: 1, typeId: { id: 1 } }, 'typeId must be the id of a rock type from GET /types'],
      ['a negative weight', { name: 'R', weight: -1, typeId: 1 }, 'weight must be between 0.01 and 999.99'],
      ['a zero weight', { name: 'R', weight: 0, typeId: 1 }, 'weight must be between 0.01 and 999.99'],
      ['a weight of 1000', { name: 'R', weight: 1000, typeId: 1 }, 'weight must be between 0.01 and 999.99'],
      ['three decimals', { name: 'R', weight: 1.005, typeId: 1 }, 'weight must have at most two decimals'],
      ['three decimals in a string', { name: 'R', weight: '1.300', typeId: 1 }, 'weight must have at most two decimals'],
      ['no typeId', { name: 'R', weight: 1 }, 'typeId is required: the id of a rock type from GET /types'],
      ['an unknown typeId', { name: 'R', weight: 1, typeId: 99 }, 'typeId 99 is not a known rock type (see GET /types)'],
      ['a typeId past the integer range', { name: 'R', weight: 1, typeId: 99999999999 }, 'typeId must be the id of a rock type from GET /types (got 99999999999)'],
      ['a fractional typeId', { name: 'R', weight: 1, typeId: 1.5 }, 'typeId must be the id of a rock type from GET /types (got 1.5)'],
      ['a non-numeric typeId', { name: 'R', weight: 1, typeId: 'granite' }, 'typeId must be the id of a rock type from GET /types (got "granite")'],
      ['a JSON array body', [{ name: 'R', weight: 1, typeId: 1 }], 'The request body must be a JSON object with name, weight and typeId'],
      ['a JSON string body', '"rock"', 'The request body must be a JSON object with name, weight and typeId'],
    ])('with %s answers 400 with a message and stores nothing', async (_case, body, message) => {
      const before = await rockCount();
      const response = await call('POST', '/rocks', { token: JOHN, body });
      expect([response.status, response.body]).toEqual([400, { message }]);
      expect(await rockCount()).toBe(before);
    });

    it('lists every problem of a body at once', async () => {
      const response = await call('POST', '/rocks', { token: JOHN, body: { name: '', weight: -5 } });
      expect(response.status).toBe(400);
      expect((response.body as MessageError).message).toBe(
        'name must not be empty; weight must be between 0.01 and 999.99; typeId is required: the id of a rock type from GET /types',
      );
    });

    it('malformed JSON answers 400, not 500', async () => {
      const before = await rockCount();
      const response = await call('POST', '/rocks', { token: JOHN, body: '{"name": "R", ' });
      expect([response.status, response.body]).toEqual([400, { message: "Body is not valid JSON but content-type is set to 'application/json'" }]);
      expect(await rockCount()).toBe(before);
    });

    it('a body that is not JSON answers 415', async () => {
      const response = await call('POST', '/rocks', { token: JOHN, body: 'name=R&weight=1&typeId=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(response.status).toBe(415);
      expect((response.body as MessageError).message).toMatch(/Unsupported Media Type/);
    });

    it('no body at all answers 400', async () => {
      const response = await call('POST', '/rocks', { token: JOHN });
      expect([response.status, response.body]).toEqual([400, { message: 'The request body must be a JSON object with name, weight and typeId' }]);
    });

    it('a body over 64 KiB answers 413', async () => {
      const response = await call('POST', '/rocks', { token: JOHN, body: { name: 'x'.repeat(70_000), weight: 1, typeId: 1 } });
      expect(response.status).toBe(413);
      expect((response.body as MessageError).message).toMatch(/too large/i);
    });
  });

  describe('DELETE /rocks/:id', () => {
    it('deletes the caller\'s own rock: 204 with an empty body, and it is gone', async () => {
      const created = (await call('POST', '/rocks', { token: JANE, body: { name: 'Doomed', weight: '2', typeId: 1 } })).body as Rock;
      const response = await call('DELETE', `/rocks/${created.id}`, { token: JANE });
      expect([response.status, response.body]).toEqual([204, undefined]);
      const all = (await call('GET', '/rocks', { token: JANE })).body as { id: number }[];
      expect(all.map((rock) => rock.id)).not.toContain(created.id);
    });

    it('someone else\'s rock answers 403 and the rock stays', async () => {
      const response = await call('DELETE', '/rocks/1', { token: JOHN });
      expect([response.status, response.body]).toEqual([403, { message: 'You do not own that rock' }]);
      expect(((await call('GET', '/rocks?owner=current', { token: JANE })).body as Rock[])[0]).toEqual(ernestina);
    });

    it.each(['999999', 'abc', '99999999999', '-1', '1.5'])('/rocks/%s answers 404 with a message', async (id) => {
      const before = await rockCount();
      const response = await call('DELETE', `/rocks/${id}`, { token: JOHN });
      expect([response.status, response.body]).toEqual([404, { message: `There is no rock with id ${id}` }]);
      expect(await rockCount()).toBe(before);
    });

    it('without a token answers 401 and deletes nothing', async () => {
      const response = await call('DELETE', '/rocks/2');
      expect(response.status).toBe(401);
      expect((await call('GET', '/rocks?owner=current', { token: JOHN })).body).toContainEqual(orpha);
    });
  });

  describe('GET /health', () => {
    it('answers 200 with the instance and a database check, without a token', async () => {
      const response = await call('GET', '/health');
      expect([response.status, response.body]).toEqual([200, { status: 'ok', instance: server.instanceId, database: 'ok' }]);
    });
  });

  describe('anything else', () => {
    it('an unknown route answers 404 with a message', async () => {
      const response = await call('GET', '/rockz', { token: JOHN });
      expect([response.status, response.body]).toEqual([404, { message: 'No route for GET /rockz' }]);
    });
  });
});
