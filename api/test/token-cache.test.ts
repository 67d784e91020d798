import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const JOHN = 'abcdef123456';
const CACHE_MS = loadConfig({}).tokenCacheMs;

/** A clock the test moves by hand. */
function testClock() {
  let time = Date.parse('2026-12-06T09:00:00Z');
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe.each(DIALECTS)('%s: a token looked up once is trusted for TOKEN_CACHE_SECONDS', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const rocksWith = async (token: string) => {
    const response = await request(server!, 'GET', '/rocks', { token });
    return [response.status, response.status === 200 ? 'rocks' : response.body];
  };
  const deactivateJohn = () => server!.database.handle.db.updateTable('auth_user').set({ is_active: 0 }).where('username', '=', 'john_doe').execute();

  it('a user deactivated in the database is refused once the cached lookup expires, not before', async () => {
    const clock = testClock();
    server = await startTestServer(dialect, {}, { now: clock.now });
    expect(await rocksWith(JOHN)).toEqual([200, 'rocks']);
    await deactivateJohn();

    clock.advance(CACHE_MS);
    expect(await rocksWith(JOHN)).toEqual([200, 'rocks']);
    clock.advance(1);
    expect(await rocksWith(JOHN)).toEqual([401, { detail: 'User inactive or deleted.' }]);
  });

  it('a token deleted in the database stops working when its entry expires', async () => {
    const clock = testClock();
    server = await startTestServer(dialect, {}, { now: clock.now });
    expect(await rocksWith(JOHN)).toEqual([200, 'rocks']);
    await server.database.handle.db.deleteFrom('authtoken_token').where('key', '=', JOHN).execute();
    clock.advance(CACHE_MS + 1);
    expect(await rocksWith(JOHN)).toEqual([401, { detail: 'Invalid token.' }]);
  });

  it('with TOKEN_CACHE_SECONDS=0 every request looks the token up', async () => {
    server = await startTestServer(dialect, { tokenCacheMs: 0 });
    expect(await rocksWith(JOHN)).toEqual([200, 'rocks']);
    await deactivateJohn();
    expect(await rocksWith(JOHN)).toEqual([401, { detail: 'User inactive or deleted.' }]);
  });

  it('an unknown token is not remembered: once it exists, it works at once', async () => {
    server = await startTestServer(dialect);
    const key = 'fresh0token0key0000000000000000000000000';
    expect(await rocksWith(key)).toEqual([401, { detail: 'Invalid token.' }]);
    const jane = await server.database.handle.db.selectFrom('auth_user').select('id').where('username', '=', 'jane_smith').executeTakeFirstOrThrow();
    await server.database.handle.db.deleteFrom('authtoken_token').where('user_id', '=', jane.id).execute();
    await server.database.handle.db.insertInto('authtoken_token').values({ key, user_id: jane.id, created: new Date().toISOString() }).execute();
    expect(await rocksWith(key)).toEqual([200, 'rocks']);
  });
});
