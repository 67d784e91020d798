import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_BATCH_SIZE } from '../src/repositories/rocks-repository.js';
import { MAX_PAGE_SIZE, type RockOwner } from '@rock-of-ages/contract';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const JOHN = 'abcdef123456';
const TYPES = ['Metamorphic', 'Igneous', 'Sedimentary', 'Shale', 'Basalt'];
const JOHN_DOE = { id: 1, first_name: 'John', last_name: 'Doe' };
const JANE_SMITH = { id: 2, first_name: 'Jane', last_name: 'Smith' };
interface ExpectedRock {
  id: number;
  user: { id: number };
}
const SEEDED = [
  { id: 1, name: 'Ernestina', weight: '1.30', type: { id: 3, label: 'Sedimentary' }, user: JANE_SMITH, images: [] },
  { id: 2, name: 'Orpha', weight: '0.50', type: { id: 1, label: 'Metamorphic' }, user: JOHN_DOE, images: [] },
  { id: 3, name: 'Sasha', weight: '0.29', type: { id: 5, label: 'Basalt' }, user: JANE_SMITH, images: [] },
];
/** Names that JSON must escape or that take several bytes, so that a serializer's slip would show. */
const NAMES = ['Quartz "clear"', 'back\\slash', 'tab\there', 'Gneiss ü', 'Rock 🪨', '</script>', 'line\nbreak'];

/** Adds rocks 4, 5, … in id order, without photos; returns them as the API writes them. */
async function addRocks(server: TestServer, count: number) {
  const added = Array.from({ length: count }, (_, index) => {
    const id = SEEDED.length + 1 + index;
    const typeId = (index % TYPES.length) + 1;
    const user = index % 2 === 0 ? JOHN_DOE : JANE_SMITH;
    return { id, name: `${NAMES[index % NAMES.length]} ${id}`, weight: `${(index % 999) + 1}.${String(index % 100).padStart(2, '0')}`, type: { id: typeId, label: TYPES[typeId - 1] as string }, user, images: [] };
  });
  for (let start = 0; start < added.length; start += 1000) {
    const rows = added.slice(start, start + 1000).map((rock) => ({ id: rock.id, name: rock.name, weight: rock.weight, type_id: rock.type.id, user_id: rock.user.id }));
    await server.database.handle.db.insertInto('rockapi_rock').values(rows).execute();
  }
  return added;
}

/** Adds users who own rocks but cannot sign in, in one statement. */
async function addUsers(server: TestServer, owners: RockOwner[]) {
  const users = owners.map(({ id, first_name, last_name }) => ({
    id, first_name, last_name, username: `user${id}@example.com`, email: `user${id}@example.com`, password: 'unusable',
    is_superuser: 0 as const, is_staff: 0 as const, is_active: 1 as const, date_joined: '2026-12-06T00:00:00Z', last_login: null,
  }));
  await server.database.handle.db.insertInto('auth_user').values(users).execute();
}

async function getText(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Token ${JOHN}`, ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe.each(DIALECTS)('%s: GET /rocks, whole and in pages', (dialect) => {
  let server: TestServer;
  let everyRock: ExpectedRock[];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    // Two full batches and a part of one: the list is streamed, and crosses batch boundaries.
    everyRock = [...SEEDED, ...(await addRocks(server, 2 * LIST_BATCH_SIZE + 321))];
  });
  afterAll(async () => {
    await server?.close();
  });

  it('without limit or after, streams the whole list: byte for byte the JSON array of every rock', async () => {
    const response = await getText(server, '/rocks');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.text).toBe(JSON.stringify(everyRock));
  });

  it('?owner=current streams only the caller\'s rocks, byte for byte', async () => {
    const response = await getText(server, '/rocks?owner=current');
    expect(response.text).toBe(JSON.stringify(everyRock.filter((rock) => rock.user.id === JOHN_DOE.id)));
  });

  it('the whole list carries no X-Total-Count: its answer is the original\'s', async () => {
    const [every, mine] = [await getText(server, '/rocks'), await getText(server, '/rocks?owner=current')];
    expect([every.headers.get('x-total-count'), mine.headers.get('x-total-count')]).toEqual([null, null]);
  });

  it('every page carries X-Total-Count: how many rocks the query selects, all or the caller\'s', async () => {
    const johns = everyRock.filter((rock) => rock.user.id === JOHN_DOE.id).length;
    const counts = await Promise.all(
      ['/rocks?limit=5', `/rocks?after=${everyRock.at(-1)?.id}`, '/rocks?owner=current&limit=5', '/rocks?owner=current&after=1000'].map(
        async (path) => (await getText(server, path)).headers.get('x-total-count'),
      ),
    );
    expect(counts).toEqual([String(everyRock.length), String(everyRock.length), String(johns), String(johns)]);
  });

  it('a page\'s Link and X-Total-Count are exposed to scripts of other origins', async () => {
    const response = await getText(server, '/rocks?limit=1', { origin: 'https://rocks.example' });
    expect(response.headers.get('access-control-expose-headers')).toBe('Link, X-Total-Count');
  });

  it('pages of 700 follow each other through Link rel="next", each byte for byte its slice of the array, the last without a Link', async () => {
    const pages: string[] = [];
    let next: string | undefined = '/rocks?limit=700';
    while (next !== undefined) {
      const response = await getText(server, next);
      expect(response.status).toBe(200);
      pages.push(response.text);
      const link = response.headers.get('link');
      const reference = link === null ? undefined : /^<([^>]*)>; rel="next"$/.exec(link)?.[1];
      expect(reference === undefined && link !== null).toBe(false);
      // The reference is relative to the URL of the page that carried it.
      const target: URL | undefined = reference === undefined ? undefined : new URL(reference, `${server.baseUrl}${next}`);
      next = target === undefined ? undefined : target.pathname + target.search;
    }
    const expected = Array.from({ length: Math.ceil(everyRock.length / 700) }, (_, index) => JSON.stringify(everyRock.slice(index * 700, (index + 1) * 700)));
    expect(pages).toEqual(expected);
  });

  it('a Link keeps owner and limit and names the last id of the page', async () => {
    const response = await getText(server, '/rocks?owner=current&limit=2');
    expect(response.headers.get('link')).toBe('<?owner=current&limit=2&after=4>; rel="next"');
    expect(response.text).toBe(JSON.stringify([SEEDED[1], everyRock[3]]));
  });

  it('after alone answers a page of the default size after that id; after the last id, an empty page', async () => {
    const after = await getText(server, '/rocks?after=3');
    expect(JSON.parse(after.text)).toEqual(everyRock.slice(3, 103));
    const last = everyRock.at(-1)?.id;
    const beyond = await getText(server, `/rocks?after=${last}`);
    expect([beyond.status, beyond.text, beyond.headers.get('link')]).toEqual([200, '[]', null]);
  });

  it.each([
    ['limit=0', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    [`limit=${MAX_PAGE_SIZE + 1}`, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit=x', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit=1.5', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit=', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['limit=1&limit=2', `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`],
    ['after=-1', 'after must be the id of a rock: a whole number from 1 (the last id of the previous page)'],
    ['after=0', 'after must be the id of a rock: a whole number from 1 (the last id of the previous page)'],
    ['after=99999999999', 'after must be the id of a rock: a whole number from 1 (the last id of the previous page)'],
  ])('?%s answers 400 with a message', async (query, message) => {
    const response = await request(server, 'GET', `/rocks?${query}`, { token: JOHN });
    expect([response.status, response.body]).toEqual([400, { message }]);
  });
});

describe.each(DIALECTS)('%s: GET /rocks, a long list whose later batches bring owners and types not met before', (dialect) => {
  let server: TestServer;
  let everyRock: ExpectedRock[];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { db } = server.database.handle;
    // The first batch: the seeded rocks and John's and Jane's.
    const firstBatch = await addRocks(server, LIST_BATCH_SIZE - SEEDED.length);
    // The second: a rock for each of LIST_BATCH_SIZE new users, some of a new type: every owner is one the list has not met.
    const obsidian = { id: 100, label: 'Obsidian "volcanic" glass ü' };
    await db.insertInto('rockapi_type').values(obsidian).execute();
    const owners = Array.from({ length: LIST_BATCH_SIZE }, (_, index) => ({ id: 1000 + index, first_name: `Ada ${index}`, last_name: NAMES[index % NAMES.length] as string }));
    await addUsers(server, owners);
    const secondBatch = owners.map((user, index) => {
      const type = index % 3 === 0 ? obsidian : { id: 2, label: 'Igneous' };
      return { id: LIST_BATCH_SIZE + 1 + index, name: `Pebble ${index}`, weight: '2.50', type, user, images: [] };
    });
    await db.insertInto('rockapi_rock').values(secondBatch.map((rock) => ({ id: rock.id, name: rock.name, weight: rock.weight, type_id: rock.type.id, user_id: rock.user.id }))).execute();
    // The third: John again, met in the first.
    const thirdBatch = [{ id: 2 * LIST_BATCH_SIZE + 1, name: 'Last', weight: '0.01', type: { id: 1, label: 'Metamorphic' }, user: JOHN_DOE, images: [] }];
    await db.insertInto('rockapi_rock').values({ id: 2 * LIST_BATCH_SIZE + 1, name: 'Last', weight: '0.01', type_id: 1, user_id: 1 }).execute();
    everyRock = [...SEEDED, ...firstBatch, ...secondBatch, ...thirdBatch];
  });
  afterAll(async () => {
    await server?.close();
  });

  it('streams every rock with its own type and owner, byte for byte the JSON array', async () => {
    const response = await getText(server, '/rocks');
    expect(response.status).toBe(200);
    expect(response.text).toBe(JSON.stringify(everyRock));
  });
});

/**
 * GET /rocks by a client that reads the first chunk, then stops reading while `whilePaused` runs (long
 * enough for the server's writes to back up), then reads the rest: what it received, and whether the
 * answer ended (rather than being cut off).
 */
function readPausingAfterFirstChunk(server: TestServer, whilePaused: () => Promise<unknown>): Promise<{ received: string; ended: boolean }> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const call = get({ host: '127.0.0.1', port, path: '/rocks', headers: { authorization: `Token ${JOHN}` } }, (response) => {
      let received = '';
      response.setEncoding('utf8');
      response.once('data', async (chunk: string) => {
        received += chunk;
        response.pause();
        await whilePaused();
        response.on('data', (more: string) => (received += more));
        response.on('end', () => resolve({ received, ended: true }));
        response.on('aborted', () => resolve({ received, ended: false }));
        response.on('error', () => resolve({ received, ended: false }));
        response.resume();
      });
    });
    call.on('error', reject);
  });
}

describe.each(DIALECTS)('%s: GET /rocks when the database fails mid-stream', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    // Far more than the socket buffers hold, so that a client that stops reading stops the reading of rows.
    await addRocks(server, 100_000);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a client that stops reading holds the rows back; a database error then cuts the answer short and the server goes on serving', async () => {
    // While this client reads nothing, the table disappears: the next batch cannot be read.
    const outcome = await readPausingAfterFirstChunk(server, () => server.database.handle.db.schema.alterTable('rockapi_rock').renameTo('rockapi_rock_gone').execute());
    expect(outcome.ended).toBe(false);
    expect(outcome.received.startsWith('[{"id":1,')).toBe(true);
    expect(outcome.received.endsWith(']')).toBe(false);
    const types = await request(server, 'GET', '/types', { token: JOHN });
    expect(types.status).toBe(200);
  });
});

describe.each(DIALECTS)('%s: GET /rocks when owners are deleted mid-stream', (dialect) => {
  const GONE = [{ id: 900, first_name: 'Gone', last_name: 'Even' }, { id: 901, first_name: 'Gone', last_name: 'Odd' }];
  let server: TestServer;
  let everyRock: ExpectedRock[];
  /** The ids of the rocks of the owners who go, in id order. */
  let goneRockIds: number[];

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { db } = server.database.handle;
    const added = await addRocks(server, 100_000);
    await addUsers(server, GONE);
    // One rock of theirs in every batch, the first owner's in even batches and the second's in odd
    // ones: a batch's owner of these is never in the batch before, so it is looked up, not carried over.
    const ownerOf = (id: number) => (id % (2 * LIST_BATCH_SIZE) === 500 ? GONE[0] : id % (2 * LIST_BATCH_SIZE) === LIST_BATCH_SIZE + 500 ? GONE[1] : undefined);
    for (const owner of GONE) {
      await db.updateTable('rockapi_rock').set({ user_id: owner.id }).where('id', 'in', added.filter(({ id }) => ownerOf(id) === owner).map(({ id }) => id)).execute();
    }
    everyRock = [...SEEDED, ...added].map((rock) => ({ ...rock, user: ownerOf(rock.id) ?? rock.user }));
    goneRockIds = everyRock.filter((rock) => ownerOf(rock.id) !== undefined).map(({ id }) => id);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('rocks read before their owner went, whose owner is then not found, are left out; the answer stays whole', async () => {
    // While this client reads nothing, the next batch has been read; then its owners are deleted, and their rocks with them.
    const outcome = await readPausingAfterFirstChunk(server, async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.database.handle.db.deleteFrom('auth_user').where('id', 'in', GONE.map(({ id }) => id)).execute();
    });
    expect(outcome.ended).toBe(true);
    const sent: ExpectedRock[] = JSON.parse(outcome.received);
    const byId = new Map(everyRock.map((rock) => [rock.id, rock]));
    // Every rock sent is as it was before the owners went, none is lost but theirs, and theirs stop part way.
    expect(sent.filter((rock) => JSON.stringify(rock) !== JSON.stringify(byId.get(rock.id)))).toEqual([]);
    const theirs = new Set(goneRockIds);
    expect(sent.filter((rock) => !theirs.has(rock.id)).map(({ id }) => id)).toEqual(everyRock.filter((rock) => !theirs.has(rock.id)).map(({ id }) => id));
    const goneSent = sent.filter((rock) => theirs.has(rock.id)).map(({ id }) => id);
    expect(goneSent).toEqual(goneRockIds.slice(0, goneSent.length));
    expect(goneSent.length).toBeGreaterThan(0);
    expect(goneSent.length).toBeLessThan(goneRockIds.length);
  });
});
