import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Requests per database (FUZZ_REQUESTS overrides): 10,000 in a run on both; sent in concurrent batches. */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5_000);
const BATCH = 25;
const SEED = 20_261_201;
/** Far above what any answer takes; only a stall or a hang comes near it. */
const ANSWER_LIMIT_MS = 10_000;

const TOKENS = ['abcdef123456', 'ghijkl789012'];

// Values chosen to hit edges: empty, blank, NUL, lone surrogates, huge, numeric-looking, wrong types.
const edgeText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff x',
  '🪨',
  'john@example.com',
  'JOHN@EXAMPLE.COM',
  'john_doe',
  'wrong password',
  '1.30',
  '999.99',
  '1000',
  '0.001',
  '-1',
  '1e2',
  'NaN',
  'Infinity',
  '0x10',
  ' 2',
  '02',
  `${'0'.repeat(5_000)}x`,
  `${'1'.repeat(300)}`,
  'x'.repeat(156),
  'a@b.co',
  `${'a'.repeat(140)}@example.com`,
  '<script>alert(1)</script>',
  "' or 1=1 --",
);
const text = fc.oneof(edgeText, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
const value = fc.oneof(
  { arbitrary: text, weight: 5 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1, 2, 5, 6, 0.01, 999.99, 1000, 2 ** 31, 2 ** 53)), weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [1], { id: 1 }), weight: 1 },
);

/** A body with the route's field names, mostly with a field missing or of the wrong type. */
const fieldsBody = (names: string[]) =>
  fc
    .record(Object.fromEntries(names.map((name) => [name, value])), { requiredKeys: [] })
    .chain((record) => fc.record({ record: fc.constant(record), extra: fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 2 }) }))
    .map(({ record, extra }) => ({ ...extra, ...record }));

/**
 * Login and registration hash passwords (1,000,000 PBKDF2 iterations): their bodies are mostly
 * missing a field or carry a non-text one, so that only a bounded few reach hashing.
 */
const brokenAuthBody = (names: string[]) =>
  fc.tuple(fieldsBody(names), fc.constantFrom(...names), fc.constantFrom(undefined, 1, null, [], {})).map(([body, field, replacement]) => ({ ...body, [field]: replacement }));
/** Fields that pass validation or nearly: valid-looking values, or anything now and then. */
const likely = (valid: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: value, weight: 1 });
const likelyFields = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(Object.fromEntries(Object.entries(fields).map(([name, valid]) => [name, likely(valid)])));
const emailLike = fc.oneof(fc.constantFrom('john@example.com', 'JOHN@example.com', 'jane_smith', 'nobody@example.com'), fc.emailAddress());
const authBody = (names: string[]) =>
  fc.oneof(
    { arbitrary: brokenAuthBody(names), weight: 150 },
    { arbitrary: fieldsBody(names), weight: 1 },
    { arbitrary: likelyFields(Object.fromEntries(names.map((name) => [name, name === 'email' ? emailLike : text]))), weight: 1 },
  );
const rockBody = fc.oneof(
  { arbitrary: fieldsBody(['name', 'weight', 'typeId']), weight: 4 },
  {
    arbitrary: likelyFields({
      name: fc.oneof(fc.constantFrom('Granite', '  Basalt  ', '🪨'), text),
      weight: fc.constantFrom(1, '2.5', 999.99, 0.01, '0.5 ', 1000, '1.005'),
      typeId: fc.constantFrom(1, 2, '3', 5, 6, '02'),
    }),
    weight: 1,
  },
);

const imageBody = fc.oneof(
  { arbitrary: fieldsBody(['rock_id', 'file_name', 'file_type']), weight: 3 },
  {
    arbitrary: likelyFields({
      rock_id: fc.constantFrom(1, 2, '3', 5, 999, '02'),
      file_name: fc.oneof(fc.constantFrom('rock.jpg', '  pebble.png ', '🪨.webp'), text),
      file_type: fc.constantFrom('image/jpeg', 'image/png', 'image/webp', 'image/gif', 'IMAGE/JPEG', 'text/plain'),
    }),
    weight: 2,
  },
);
const confirmBody = fc.oneof(fieldsBody(['file_size']), likelyFields({ file_size: fc.constantFrom(1, 1024, 10 * 1024 * 1024, 10 * 1024 * 1024 + 1, 0, -1, 1.5) }));

const body = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fieldsBody(['name', 'weight', 'typeId']), weight: 6 },
  { arbitrary: authBody(['email', 'password']), weight: 3 },
  { arbitrary: authBody(['email', 'password', 'first_name', 'last_name']), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }).map((raw) => ({ raw })), weight: 2 },
);

/** Every byte of the text's UTF-8 percent-encoded (an unpaired surrogate becomes U+FFFD's bytes). */
const percentEncoded = (text: string) => Array.from(Buffer.from(text, 'utf8'), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const path = fc.oneof(
  fc.constantFrom('/register', '/login', '/types', '/rocks', '/rocks?owner=current', '/health', '/', '/rocks/', '/types/1', '/admin', '/rocks/1', '/rocks/2', '/rocks/3'),
  // The OpenAPI document and its reference page, with their static files and paths around them.
  fc.constantFrom('/openapi.json', '/openapi.json/', '/docs', '/docs/', '/docs/json', '/docs/static/index.html', '/docs/static/%2e%2e/package.json', '/docs/static/%00', '/docs/x'),
  fc.constantFrom('/rocks/%', '/rocks/%zz', '/rocks/%c3', '/rocks/%00', '/rocks?owner=%', '/%ff', '/rocks?owner=current&owner=current', '/rocks?owner[]=current'),
  fc.string({ maxLength: 12 }).map((owner) => `/rocks?owner=${percentEncoded(owner)}`),
  fc.oneof(edgeText, fc.string({ maxLength: 12 }), fc.integer().map(String)).map((id) => `/rocks/${percentEncoded(id)}`),
  fc.string({ maxLength: 16 }).map((segment) => `/${percentEncoded(segment)}`),
);

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });
const authorization = fc.oneof(
  { arbitrary: fc.constantFrom(`Token ${TOKENS[0]}`, `Token ${TOKENS[1]}`), weight: 6 },
  { arbitrary: fc.constantFrom(undefined, 'Token', 'Token a b', 'token abcdef123456', 'Bearer abcdef123456', 'Token ABCDEF123456', 'Token abcdef12345'), weight: 2 },
  { arbitrary: headerText, weight: 1 },
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  {
    arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'application/json;;', 'APPLICATION/JSON'),
    weight: 2,
  },
  { arbitrary: headerText, weight: 1 },
);

/** Mostly the API's own routes with bodies shaped for them; now and then anything at all. */
const routed = (method: string, route: fc.Arbitrary<string>, routeBody: fc.Arbitrary<unknown>) =>
  fc.record({ method: fc.constant(method), path: route, authorization, contentType, body: routeBody });
const rockId = fc.oneof(fc.constantFrom('1', '2', '3', '4', '5', '10'), fc.oneof(edgeText, fc.string({ maxLength: 12 }), fc.integer().map(String)).map(percentEncoded));
const imageId = fc.oneof(fc.constantFrom('1', '2', '3', '999'), fc.oneof(edgeText, fc.string({ maxLength: 12 }), fc.integer().map(String)).map(percentEncoded));
const uploadPath = fc
  .tuple(
    fc.oneof(fc.constantFrom('0123456789abcdef0123456789abcdef', 'x', '..', '%2e%2e%2fdb.sqlite3'), fc.string({ maxLength: 12 }).map(percentEncoded)),
    fc.oneof(fc.constant(''), fc.constantFrom('?expires=1&signature=00', '?expires=99999999999&signature=zz', '?expires[]=1', `?signature=${'a'.repeat(64)}`)),
  )
  .map(([name, query]) => `/uploads/${name}${query}`);
const photoPath = fc
  .tuple(fc.oneof(fc.constantFrom('1-0123456789abcdef', '..', '.upload-signing-key'), fc.string({ maxLength: 12 }).map(percentEncoded)), fc.constantFrom('small.webp', 'original.jpg', 'x', '%2e%2e'))
  .map(([folder, file]) => `/photos/${folder}/${file}`);
/** Image bodies are binary: as text they still reach the upload route's checks. */
const uploadContentType = fc.constantFrom('image/jpeg', 'image/png', 'image/webp', 'text/plain', 'application/json');

const fuzzRequest = fc.oneof(
  { arbitrary: routed('POST', fc.constant('/rock-images/upload-url'), fc.oneof({ arbitrary: imageBody, weight: 8 }, { arbitrary: body, weight: 1 })), weight: 3 },
  { arbitrary: routed('GET', fc.oneof(imageId.map((id) => `/rock-images/${id}`), rockId.map((id) => `/rock-images?rock_id=${id}`), fc.constant('/rock-images')), fc.constant(undefined)), weight: 2 },
  { arbitrary: routed('POST', imageId.map((id) => `/rock-images/${id}/confirm-upload`), fc.oneof({ arbitrary: confirmBody, weight: 4 }, { arbitrary: body, weight: 1 })), weight: 1 },
  { arbitrary: routed('DELETE', imageId.map((id) => `/rock-images/${id}`), fc.constant(undefined)), weight: 1 },
  { arbitrary: fc.record({ method: fc.constant('PUT'), path: uploadPath, authorization, contentType: uploadContentType, body: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }).map((raw) => ({ raw }))) }), weight: 1 },
  { arbitrary: routed('GET', photoPath, fc.constant(undefined)), weight: 1 },
  { arbitrary: routed('POST', fc.constant('/rocks'), fc.oneof({ arbitrary: rockBody, weight: 8 }, { arbitrary: body, weight: 1 })), weight: 6 },
  { arbitrary: routed('POST', fc.constant('/login'), fc.oneof({ arbitrary: authBody(['email', 'password']), weight: 8 }, { arbitrary: body, weight: 1 })), weight: 3 },
  {
    arbitrary: routed('POST', fc.constant('/register'), fc.oneof({ arbitrary: authBody(['email', 'password', 'first_name', 'last_name']), weight: 8 }, { arbitrary: body, weight: 1 })),
    weight: 3,
  },
  { arbitrary: routed('GET', fc.constantFrom('/rocks', '/rocks?owner=current', '/types', '/health', '/openapi.json', '/docs'), fc.constant(undefined)), weight: 2 },
  { arbitrary: routed('DELETE', rockId.map((id) => `/rocks/${id}`), fc.constant(undefined)), weight: 2 },
  {
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'),
      path,
      authorization,
      contentType,
      body,
    }),
    weight: 3,
  },
);
type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

const TABLES = ['auth_user', 'authtoken_token', 'rockapi_type', 'rockapi_rock', 'rock_image'] as const;

describe.each(DIALECTS)('%s: fuzzing every endpoint', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => {
    await server?.close();
  });

  const dump = async () => {
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const table of TABLES) tables[table] = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1`.execute(server.database.handle.db)).rows;
    return tables;
  };

  it(`${REQUESTS} generated requests: never a 5xx, never a reset, an answer within ${ANSWER_LIMIT_MS / 1000} s, and no data changed but what a 2xx reports`, async () => {
    const before = await dump();
    const histogram: Record<string, number> = {};
    const created: number[] = [];
    const createdImages: number[] = [];
    const deleted: number[] = [];
    let registered = 0;
    let hashed = 0;
    let sent = 0;
    let slowest = 0;

    const send = async (fuzz: FuzzRequest) => {
      const headers: Record<string, string> = {};
      if (fuzz.authorization !== undefined) headers.authorization = fuzz.authorization;
      let payload: string | undefined;
      if (fuzz.body !== undefined && fuzz.method !== 'GET' && fuzz.method !== 'HEAD') {
        payload = typeof fuzz.body === 'object' && fuzz.body !== null && 'raw' in fuzz.body && Object.keys(fuzz.body).length === 1 ? String(fuzz.body.raw) : JSON.stringify(fuzz.body);
        headers['content-type'] = fuzz.contentType;
      }
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}${fuzz.path}`, { method: fuzz.method, headers, body: payload });
      const text = await response.text();
      const elapsed = performance.now() - started;
      return { status: response.status, text, elapsed };
    };

    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map(async (fuzz) => ({ fuzz, answer: await send(fuzz).catch((error: Error) => ({ error })) })));
        for (const { fuzz, answer } of answers) {
          sent++;
          if ('error' in answer) throw new Error(`${fuzz.method} ${fuzz.path} failed without an answer: ${String(answer.error.cause ?? answer.error)}`);
          const key = String(answer.status);
          histogram[key] = (histogram[key] ?? 0) + 1;
          slowest = Math.max(slowest, answer.elapsed);
          expect(answer.status, `${fuzz.method} ${fuzz.path} ${JSON.stringify(fuzz.body)} → ${answer.text}`).toBeLessThan(500);
          expect(answer.elapsed).toBeLessThan(ANSWER_LIMIT_MS);
          if (answer.status >= 400 && fuzz.method !== 'HEAD') expect(Object.keys(JSON.parse(answer.text))).toEqual([answer.status === 401 ? 'detail' : 'message']);
          const route = `${fuzz.method} ${fuzz.path}`;
          if (route === 'POST /rocks' && answer.status === 201) created.push(JSON.parse(answer.text).id);
          if (fuzz.method === 'DELETE' && fuzz.path.startsWith('/rocks/') && answer.status === 204) deleted.push(Number(decodeURIComponent(fuzz.path.split('/')[2] ?? '')));
          if (route === 'POST /rock-images/upload-url' && answer.status === 201) createdImages.push(JSON.parse(answer.text).image_id);
          if (route === 'POST /register' && answer.status === 200) registered++;
          if ((route === 'POST /login' && answer.status === 200) || (route === 'POST /register' && (answer.status === 200 || answer.text.includes('already exists')))) hashed++;
        }
      }),
      { seed: SEED, numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true },
    );

    const after = await dump();
    console.log(
      `${dialect}: fuzzed ${sent} requests (seed ${SEED}); statuses ${JSON.stringify(histogram)}; slowest answer ${slowest.toFixed(0)} ms; ` +
        `${hashed} reached password hashing; ${created.length} rocks created, ${deleted.length} deleted, ${registered} users registered, ` +
        `${createdImages.length} upload URLs given`,
    );

    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    // Rows before the run are unchanged unless a 204 deleted them; new rows are exactly what 2xx answers reported.
    const rocksLeft = before.rockapi_rock!.filter((row) => !deleted.includes(row.id as number));
    expect(after.rockapi_rock!.filter((row) => !created.includes(row.id as number))).toEqual(rocksLeft);
    expect(after.rockapi_rock!.length).toBe(rocksLeft.length + created.filter((id) => !deleted.includes(id)).length);
    expect(after.auth_user!.slice(0, before.auth_user!.length)).toEqual(before.auth_user);
    expect(after.auth_user!.length).toBe(before.auth_user!.length + registered);
    expect(after.rockapi_type).toEqual(before.rockapi_type);
    expect(after.authtoken_token!.length).toBe(before.authtoken_token!.length + registered);
    // Photos exist only where an upload URL was given out, on rocks that still exist.
    expect(after.rock_image!.every((row) => createdImages.includes(row.id as number) && after.rockapi_rock!.some((rock) => rock.id === row.rock_id))).toBe(true);
  }, 180_000);
});
