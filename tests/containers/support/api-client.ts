import type { LoginResponse, Rock, RockImage, RockType, TokenResponse, UploadUrlResponse } from '@rock-of-ages/contract';
import { runContract } from '@rock-of-ages/contract/suite';
import { expect } from 'vitest';

export interface Answer<T> {
  status: number;
  body: T;
}

/** JSON requests to the API at `baseUrl`, with `Authorization: Token …` when a token is given. */
export function apiClient(baseUrl: string) {
  return async function request<T>(method: string, route: string, options: { token?: string; body?: unknown } = {}): Promise<Answer<T>> {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.token === undefined ? {} : { authorization: `Token ${options.token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  };
}

/** Polls `url` until it answers 200, failing with `describe()` (a container's logs, say) when time runs out. */
export async function waitForOk(url: string, describe: () => Promise<string>, timeoutMs = 120_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      // A published port whose container is not listening yet accepts and drops the connection,
      // and Node.js 20's fetch then never settles: the timeout ends the attempt.
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}):\n${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The contract's main flow against a freshly seeded API: register, log in, list the types,
 * collect a rock, see it among the caller's and everyone's rocks, delete it. Leaves the database
 * as it found it but for the new user.
 */
export async function contractMainFlow(baseUrl: string, email: string): Promise<void> {
  const api = apiClient(baseUrl);
  const password = 'rocks-rule-42';
  const registered = await api<TokenResponse>('POST', '/register', { body: { email, password, first_name: 'Ada', last_name: 'Stone' } });
  expect(registered.status).toBe(200);
  expect(registered.body.token).toMatch(/^[0-9a-f]{40}$/);
  const login = await api<LoginResponse>('POST', '/login', { body: { email, password } });
  expect(login).toEqual({ status: 200, body: { valid: true, token: registered.body.token } });
  const token = registered.body.token;

  const types = await api<RockType[]>('GET', '/types', { token });
  expect(types.body.map((type) => type.label)).toEqual(['Metamorphic', 'Igneous', 'Sedimentary', 'Shale', 'Basalt']);
  const before = await api<Rock[]>('GET', '/rocks', { token });
  expect(before.body.map((rock) => rock.name)).toEqual(expect.arrayContaining(['Ernestina', 'Orpha', 'Sasha']));

  const created = await api<Rock>('POST', '/rocks', { token, body: { name: 'Basalt Bob', weight: 2.5, typeId: 2 } });
  expect(created).toMatchObject({ status: 201, body: { name: 'Basalt Bob', weight: '2.50', type: { id: 2, label: 'Igneous' }, user: { first_name: 'Ada', last_name: 'Stone' } } });
  expect((await api<Rock[]>('GET', '/rocks?owner=current', { token })).body).toEqual([created.body]);
  expect((await api<Rock[]>('GET', '/rocks', { token })).body).toHaveLength(before.body.length + 1);

  expect((await api('DELETE', `/rocks/${created.body.id}`, { token })).status).toBe(204);
  expect((await api<Rock[]>('GET', '/rocks?owner=current', { token })).body).toEqual([]);
  expect(await api('GET', '/rocks')).toMatchObject({ status: 401, body: { detail: 'Authentication credentials were not provided.' } });
}

/** A 1×1 PNG: the smallest real image, enough for the photo pipeline (sharp never enlarges it). */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/**
 * A photo added as the course's client adds one, with the store the API has by default (files under
 * its data folder): upload URL, PUT of the file, polling until the thumbnails exist; then the small
 * thumbnail fetched as a browser would, and the rock deleted with its files. Returns the thumbnail's bytes.
 */
export async function photoFlow(baseUrl: string, email: string): Promise<Buffer> {
  const api = apiClient(baseUrl);
  const { body: account } = await api<{ token: string }>('POST', '/register', { body: { email, password: 'rocks-rule-42', first_name: 'Pho', last_name: 'Tograph' } });
  const token = account.token;
  const { body: rock } = await api<Rock>('POST', '/rocks', { token, body: { name: 'Pictured', weight: 1, typeId: 1 } });
  const asked = await api<UploadUrlResponse>('POST', '/rock-images/upload-url', { token, body: { rock_id: rock.id, file_name: 'rock.png', file_type: 'image/png' } });
  expect(asked.status).toBe(201);
  const put = await fetch(asked.body.presigned_url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: TINY_PNG, signal: AbortSignal.timeout(60_000) });
  expect(put.status).toBe(200);

  const deadline = Date.now() + 60_000;
  let image: RockImage;
  do {
    image = (await api<RockImage>('GET', `/rock-images/${asked.body.image_id}`, { token })).body;
    if (image.status === 'processing') await new Promise((resolve) => setTimeout(resolve, 250));
  } while (image.status === 'processing' && Date.now() < deadline);
  expect(image).toMatchObject({ status: 'ready', failure_reason: null });

  const thumbnail = await fetch(image.thumbnail_small_url ?? '', { signal: AbortSignal.timeout(60_000) });
  expect(thumbnail.headers.get('content-type')).toBe('image/webp');
  const bytes = Buffer.from(await thumbnail.arrayBuffer());
  expect((await api('DELETE', `/rocks/${rock.id}`, { token })).status).toBe(204);
  expect((await fetch(image.thumbnail_small_url ?? '')).status).toBe(404);
  return bytes;
}

/** The whole black-box contract suite (`npm run contract`) against the API at `baseUrl`; fails with its report. */
export async function expectContractSuitePasses(baseUrl: string): Promise<void> {
  const report: string[] = [];
  const { passed, failed } = await runContract({ baseUrl, log: (line) => report.push(line) });
  expect(failed, report.join('\n')).toBe(0);
  expect(passed).toBeGreaterThan(0);
}
