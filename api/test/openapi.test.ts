import { Validator } from '@seriousme/openapi-schema-validator';
import { fetchOpenApiDocument, openApiConformance, type Answer } from '@rock-of-ages/contract/suite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestServer, type TestServer } from './support/test-server.js';

type OpenApiDocument = NonNullable<Awaited<ReturnType<typeof fetchOpenApiDocument>>>;

/** Every operation of the API, as the document should list it: method, path, and the statuses it can answer. */
const OPERATIONS: [method: string, path: string, statuses: string[]][] = [
  ['get', '/health', ['200', '415', '500', '503']],
  ['get', '/health/ready', ['200', '415', '500', '503']],
  ['get', '/health/live', ['200', '415', '500', '503']],
  ['post', '/register', ['200', '400', '413', '415', '429', '500', '503']],
  ['post', '/login', ['200', '400', '413', '415', '429', '500', '503']],
  ['get', '/types', ['200', '401', '415', '500', '503']],
  ['get', '/rocks', ['200', '400', '401', '415', '500', '503']],
  ['post', '/rocks', ['201', '400', '401', '413', '415', '500', '503']],
  ['delete', '/rocks/{id}', ['204', '400', '401', '403', '404', '413', '415', '500', '503']],
  ['post', '/rock-images/upload-url', ['201', '400', '401', '403', '404', '409', '413', '415', '500', '503']],
  ['get', '/rock-images', ['200', '400', '401', '404', '415', '500', '503']],
  ['get', '/rock-images/{id}', ['200', '401', '404', '415', '500', '503']],
  ['delete', '/rock-images/{id}', ['204', '400', '401', '403', '404', '413', '415', '500', '503']],
  ['post', '/rock-images/{id}/confirm-upload', ['200', '400', '401', '403', '404', '413', '415', '500', '503']],
  ['get', '/photos/{folder}/{file}', ['200', '404', '415', '500', '503']],
  ['put', '/uploads/{name}', ['200', '400', '403', '404', '409', '413', '415', '500', '503']],
];

const answer = (method: string, path: string, status: number, body: unknown): Answer => ({ method, path, status, body, headers: new Headers() });

describe('the OpenAPI document', () => {
  let server: TestServer;
  let document: OpenApiDocument;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    document = (await fetchOpenApiDocument(server.baseUrl))!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('GET /openapi.json, without a token, is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
  });

  it('lists every operation with every status it can answer, and no other', () => {
    const listed = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => [method, path, Object.keys(operation.responses ?? {}).sort()]),
    );
    expect(listed).toEqual(OPERATIONS);
  });

  it('asks for the token exactly where a route answers 401', () => {
    for (const [method, path, statuses] of OPERATIONS) {
      const operation = document.paths[path]?.[method] as { security?: unknown } | undefined;
      expect(operation?.security, `${method} ${path}`).toEqual(statuses.includes('401') ? [{ token: [] }] : undefined);
    }
  });

  it('GET /rocks declares the headers of a page: Link and X-Total-Count', () => {
    const answer = (document.paths['/rocks']?.get as { responses: Record<string, { headers?: Record<string, { description?: string }> }> } | undefined)?.responses['200'];
    expect(Object.keys(answer?.headers ?? {})).toEqual(['Link', 'X-Total-Count']);
    expect(answer?.headers?.['X-Total-Count']?.description).toBe('On a page: how many rocks the query selects in all.');
  });

  it('GET /docs, without a token, is the reference page, which reads the same document beside itself', async () => {
    const page = await fetch(`${server.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<title>Rock of Ages API</title>');
    const initializer = await request(server, 'GET', '/docs/static/swagger-initializer.js');
    expect(initializer.body).toContain("url: resolveUrl('./json')");
    expect((await request(server, 'GET', '/docs/json')).body).toEqual(document);
  });

  // Negative controls: the check the contract suite makes of every answer does refuse what the document does not allow.
  it('the conformance check refuses a status the document does not list for the operation', () => {
    const conforms = openApiConformance(document);
    expect(() => conforms(answer('GET', '/health', 404, { message: 'x' }))).toThrow('lists no 404 for GET /health');
  });

  it('the conformance check refuses a body that does not match the schema of its status', () => {
    const conforms = openApiConformance(document);
    expect(() => conforms(answer('GET', '/rocks', 200, [{ id: 1, name: 'R', weight: 1.3 }]))).toThrow('does not match the document');
    expect(() => conforms(answer('DELETE', '/rocks/7', 403, { detail: 'x' }))).toThrow('does not match the document');
    expect(() => conforms(answer('GET', '/types', 401, { detail: 'Invalid token.' }))).not.toThrow();
  });
});

describe('API_DOCS=false', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { apiDocs: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves neither /openapi.json nor /docs', async () => {
    const [openapi, docs] = await Promise.all([request(server, 'GET', '/openapi.json'), request(server, 'GET', '/docs')]);
    expect([openapi.status, openapi.body]).toEqual([404, { message: 'No route for GET /openapi.json' }]);
    expect([docs.status, docs.body]).toEqual([404, { message: 'No route for GET /docs' }]);
  });
});
