import assert from 'node:assert/strict';
import { MAX_PAGE_SIZE, MAX_ROCK_NAME_LENGTH, MAX_WEIGHT, MIN_WEIGHT, messageError, rockList, rockTypeList } from '../../src/index.js';
import type { ContractCheck, ContractSession } from '../contract-session.js';
import { expectAnswer } from '../http.js';

const types = async ({ call, user }: ContractSession) => expectAnswer(await call('GET', '/types', { token: (await user('ada')).token }), 200, rockTypeList);
/** The first type, which every deployment has (the seed adds the types even where it adds nothing else). */
const firstType = async (session: ContractSession) => {
  const [type] = await types(session);
  assert.ok(type !== undefined, 'GET /types lists no types');
  return type;
};
const mine = async ({ call }: ContractSession, token: string) => expectAnswer(await call('GET', '/rocks?owner=current', { token }), 200, rockList);

const INVALID_BODIES: [string, unknown, string][] = [
  ['no name', { weight: 1, typeId: 1 }, 'name is required'],
  ['a blank name', { name: '   ', weight: 1, typeId: 1 }, 'name must not be empty'],
  ['a name one character too long', { name: 'x'.repeat(MAX_ROCK_NAME_LENGTH + 1), weight: 1, typeId: 1 }, `name must be at most ${MAX_ROCK_NAME_LENGTH} characters`],
  ['no weight', { name: 'R', typeId: 1 }, 'weight is required: a number of kilograms, such as 1.25'],
  ['a non-numeric weight', { name: 'R', weight: 'heavy', typeId: 1 }, 'weight must be a number of kilograms, such as 1.25'],
  ['a weight under the minimum', { name: 'R', weight: 0, typeId: 1 }, `weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT}`],
  ['a weight over the maximum', { name: 'R', weight: 1000, typeId: 1 }, `weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT}`],
  ['three decimals', { name: 'R', weight: '1.300', typeId: 1 }, 'weight must have at most two decimals'],
  ['no typeId', { name: 'R', weight: 1 }, 'typeId is required: the id of a rock type from GET /types'],
  ['a non-numeric typeId', { name: 'R', weight: 1, typeId: 'granite' }, 'typeId must be the id of a rock type from GET /types (got "granite")'],
  ['a JSON array body', [{ name: 'R', weight: 1, typeId: 1 }], 'The request body must be a JSON object with name, weight and typeId'],
];

export const rockChecks: ContractCheck[] = [
  {
    name: 'GET /types lists the rock types ordered by id',
    run: async (session) => {
      const ids = (await types(session)).map((type) => type.id);
      assert.ok(ids.length > 0, 'no rock types');
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    },
  },
  {
    name: 'POST /rocks answers 201 with the rock, owned by the caller, weight as a two-decimal string; GET /rocks lists it',
    run: async (session) => {
      const [ada, type] = await Promise.all([session.user('ada'), firstType(session)]);
      const saved = await session.collect(ada, { name: 'Granite Gary', weight: 1.3, typeId: type.id });
      assert.deepEqual(saved, { id: saved.id, name: 'Granite Gary', weight: '1.30', type: type, user: { id: saved.user.id, first_name: ada.first_name, last_name: ada.last_name }, images: [] });
      assert.deepEqual((await mine(session, ada.token)).find((listed) => listed.id === saved.id), saved);
      const everyone = expectAnswer(await session.call('GET', '/rocks', { token: ada.token }), 200, rockList);
      assert.deepEqual(everyone.find((listed) => listed.id === saved.id), saved);
    },
  },
  {
    name: 'POST /rocks accepts weight and typeId as strings, as an HTML form sends them',
    run: async (session) => {
      const [bob, type] = await Promise.all([session.user('bob'), firstType(session)]);
      const saved = await session.collect(bob, { name: 'Pebble', weight: String(MAX_WEIGHT), typeId: String(type.id) });
      assert.deepEqual([saved.weight, saved.type], [MAX_WEIGHT.toFixed(2), type]);
    },
  },
  {
    name: 'POST /rocks with an invalid body answers 400 with what is wrong, and stores nothing',
    run: async (session) => {
      const ada = await session.user('ada');
      const before = await mine(session, ada.token);
      for (const [, body, message] of INVALID_BODIES) {
        assert.deepEqual(expectAnswer(await session.call('POST', '/rocks', { token: ada.token, body }), 400, messageError), { message });
      }
      assert.deepEqual(await mine(session, ada.token), before);
    },
  },
  {
    name: 'POST /rocks with malformed JSON answers 400, and a body that is not JSON 415',
    run: async (session) => {
      const { token } = await session.user('ada');
      expectAnswer(await session.call('POST', '/rocks', { token, body: '{"name": "R", ' }), 400, messageError);
      const form = await session.call('POST', '/rocks', { token, body: 'name=R', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expectAnswer(form, 415, messageError);
    },
  },
  {
    name: 'GET /rocks?owner= anything but "current" answers 400',
    run: async (session) => {
      const { token } = await session.user('ada');
      const answer = await session.call('GET', '/rocks?owner=someone', { token });
      assert.deepEqual(expectAnswer(answer, 400, messageError), { message: 'owner must be "current" (only your rocks) or left out (every rock)' });
    },
  },
  {
    name: 'GET /rocks?owner=current&limit=1 answers one rock at a time, with a Link to the next page while there is one',
    run: async (session) => {
      const [cleo, type] = await Promise.all([session.user('cleo'), firstType(session)]);
      const first = await session.collect(cleo, { name: 'First', weight: 1, typeId: type.id });
      const second = await session.collect(cleo, { name: 'Second', weight: 2, typeId: type.id });
      const page = await session.call('GET', '/rocks?owner=current&limit=1', { token: cleo.token });
      assert.deepEqual(expectAnswer(page, 200, rockList), [first]);
      const next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      assert.ok(next !== undefined, `no Link rel="next" on the first page: ${page.headers.get('link')}`);
      const target = new URL(next, 'http://deployment/rocks?owner=current&limit=1');
      assert.equal(target.searchParams.get('after'), String(first.id));
      const last = await session.call('GET', `${target.pathname}${target.search}`, { token: cleo.token });
      assert.deepEqual(expectAnswer(last, 200, rockList), [second]);
      assert.equal(last.headers.get('link'), null);
    },
  },
  {
    name: 'GET /rocks?limit= outside 1 to the largest page answers 400',
    run: async (session) => {
      const { token } = await session.user('ada');
      for (const limit of ['0', String(MAX_PAGE_SIZE + 1), 'ten']) {
        const answer = await session.call('GET', `/rocks?limit=${limit}`, { token });
        assert.deepEqual(expectAnswer(answer, 400, messageError), { message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
      }
    },
  },
  {
    name: "DELETE /rocks/:id of someone else's rock answers 403 and keeps it",
    run: async (session) => {
      const [ada, bob, type] = await Promise.all([session.user('ada'), session.user('bob'), firstType(session)]);
      const kept = await session.collect(ada, { name: 'Keeper', weight: '2', typeId: type.id });
      assert.deepEqual(expectAnswer(await session.call('DELETE', `/rocks/${kept.id}`, { token: bob.token }), 403, messageError), { message: 'You do not own that rock' });
      assert.ok((await mine(session, ada.token)).some((listed) => listed.id === kept.id));
    },
  },
  {
    name: 'DELETE /rocks/:id of no rock answers 404 with a message',
    run: async (session) => {
      const { token } = await session.user('ada');
      for (const id of ['abc', '99999999999', '-1']) {
        assert.deepEqual(expectAnswer(await session.call('DELETE', `/rocks/${id}`, { token }), 404, messageError), { message: `There is no rock with id ${id}` });
      }
    },
  },
  {
    name: "DELETE /rocks/:id of the caller's own rock answers 204 with no body, and it is gone",
    run: async (session) => {
      const [ada, type] = await Promise.all([session.user('ada'), firstType(session)]);
      const doomed = await session.collect(ada, { name: 'Doomed', weight: '0.5', typeId: type.id });
      const answer = await session.call('DELETE', `/rocks/${doomed.id}`, { token: ada.token });
      assert.deepEqual([answer.status, answer.body], [204, undefined]);
      assert.ok(!(await mine(session, ada.token)).some((listed) => listed.id === doomed.id));
    },
  },
];
