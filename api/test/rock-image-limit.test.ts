import { MAX_IMAGES_PER_ROCK, type Rock } from '@rock-of-ages/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askUploadUrl } from './support/photos.js';
import { DIALECTS } from './support/test-database.js';
import { request, startTestServer, type TestServer } from './support/test-server.js';

const JOHN = 'abcdef123456';

describe.each(DIALECTS)('%s: the photo limit under concurrent requests', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server?.close();
  });

  const newRock = async () => ((await request(server, 'POST', '/rocks', { token: JOHN, body: { name: 'Crowded', weight: 1, typeId: 1 } })).body as Rock).id;
  const photosOf = (rockId: number) => server.database.handle.db.selectFrom('rock_image').select('id').where('rock_id', '=', rockId).execute();

  it(`${MAX_IMAGES_PER_ROCK + 3} upload URLs asked for at once for one rock: exactly ${MAX_IMAGES_PER_ROCK} photos, the rest 409`, async () => {
    const rockId = await newRock();
    const answers = await Promise.all(Array.from({ length: MAX_IMAGES_PER_ROCK + 3 }, () => askUploadUrl(server, JOHN, rockId)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(MAX_IMAGES_PER_ROCK).fill(201), 409, 409, 409]);
    expect(await photosOf(rockId)).toHaveLength(MAX_IMAGES_PER_ROCK);
  });

  it('a rock deleted while its upload URL is asked for answers 404, and no photo is left behind', async () => {
    const rockId = await newRock();
    const [asked] = await Promise.all([askUploadUrl(server, JOHN, rockId), request(server, 'DELETE', `/rocks/${rockId}`, { token: JOHN })]);
    expect([201, 404]).toContain(asked.status);
    expect(await photosOf(rockId)).toEqual([]);
  });
});
