import type { DetailError, MessageError } from '@rock-of-ages/contract';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { apiUrl, server } from '../testing/server';
import { MESSAGES, request, requestWithHeaders } from './api-client';
import { ApiError } from './api-error';
import { getSession, signIn, TOKEN_STORAGE_KEY } from './session';

const pingSchema = z.object({ pong: z.boolean() });

/** Runs the request and returns the ApiError it must fail with. */
async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => new Error('the request succeeded'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('request', () => {
  it('sends the token as "Authorization: Token <key>" and returns the validated answer', async () => {
    signIn('abcdef123456');
    let authorization: string | null = null;
    server.use(
      http.get(apiUrl('/ping'), ({ request: sent }) => {
        authorization = sent.headers.get('Authorization');
        return HttpResponse.json({ pong: true });
      }),
    );

    await expect(request('/ping', { schema: pingSchema })).resolves.toEqual({ pong: true });
    expect(authorization).toBe('Token abcdef123456');
  });

  it('with headers: returns the validated answer beside its headers and the URL it came from', async () => {
    server.use(http.get(apiUrl('/ping'), () => HttpResponse.json({ pong: true }, { headers: { 'X-Total-Count': '7' } })));

    const answer = await requestWithHeaders('/ping?limit=1', { schema: pingSchema });
    expect([answer.body, answer.headers.get('X-Total-Count'), answer.url.href]).toEqual([{ pong: true }, '7', apiUrl('/ping?limit=1')]);
  });

  it('follows a URL the API gave under its own URL, and refuses one elsewhere without sending the token there', async () => {
    signIn('abcdef123456');
    const asked: string[] = [];
    server.use(
      http.get(apiUrl('/ping'), ({ request: sent }) => {
        asked.push(sent.url);
        return HttpResponse.json({ pong: true });
      }),
    );

    await expect(request(new URL(apiUrl('/ping?after=3')), { schema: pingSchema })).resolves.toEqual({ pong: true });
    const error = await failureOf(request(new URL('https://elsewhere.example/ping'), { schema: pingSchema }));
    expect([error.kind, asked]).toEqual(['unexpected', [apiUrl('/ping?after=3')]]);
  });

  it('sends no Authorization header when signed out', async () => {
    let sentAuthorization = true;
    server.use(
      http.get(apiUrl('/ping'), ({ request: sent }) => {
        sentAuthorization = sent.headers.has('Authorization');
        return HttpResponse.json({ pong: true });
      }),
    );

    await request('/ping', { schema: pingSchema });
    expect(sentAuthorization).toBe(false);
  });

  it('posts the body as JSON', async () => {
    let received: { contentType: string | null; body: unknown } | null = null;
    server.use(
      http.post(apiUrl('/rocks'), async ({ request: sent }) => {
        received = { contentType: sent.headers.get('Content-Type'), body: await sent.json() };
        return new HttpResponse(null, { status: 204 });
      }),
    );

    await request('/rocks', { method: 'POST', body: { name: 'Orpha', weight: '0.50', typeId: 1 } });
    expect(received).toEqual({ contentType: 'application/json', body: { name: 'Orpha', weight: '0.50', typeId: 1 } });
  });

  it('resolves an empty 204 answer when no schema is given', async () => {
    server.use(http.delete(apiUrl('/rocks/1'), () => new HttpResponse(null, { status: 204 })));

    await expect(request('/rocks/1', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it.each([
    [400, 'name must not be empty'],
    [403, 'You do not own that rock'],
    [404, 'Rock 99 does not exist'],
    [409, 'That rock changed meanwhile'],
    [413, 'Request body is too large'],
    [415, 'Unsupported Media Type: text/plain'],
    [422, 'weight must be a number'],
  ])('turns a %i into an error carrying the API message', async (status, message) => {
    server.use(http.delete(apiUrl('/rocks/99'), () => HttpResponse.json({ message }, { status })));

    const error = await failureOf(request('/rocks/99', { method: 'DELETE' }));
    expect(error).toMatchObject({ kind: 'rejected', status, message, retryable: false });
  });

  it('falls back to a general message when a refusal has no readable body', async () => {
    server.use(http.delete(apiUrl('/rocks/1'), () => new HttpResponse('nope', { status: 400 })));

    const error = await failureOf(request('/rocks/1', { method: 'DELETE' }));
    expect(error).toMatchObject({ kind: 'rejected', message: MESSAGES.rejected });
  });

  it('ends the session on a 401 and says why', async () => {
    signIn('expired-token');
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.json<DetailError>({ detail: 'Invalid token.' }, { status: 401 })));

    const error = await failureOf(request('/rocks', { schema: z.array(z.unknown()) }));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
    expect(getSession()).toEqual({ token: null, endReason: 'expired' });
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('reports an unreachable server as a retryable network error', async () => {
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.error()));

    const error = await failureOf(request('/rocks', { schema: z.array(z.unknown()) }));
    expect(error).toMatchObject({ kind: 'network', message: MESSAGES.network, retryable: true });
  });

  it.each([500, 502, 504])('reports a %i as a retryable server error, without its details', async (status) => {
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.json<MessageError>({ message: 'stack trace here' }, { status })));

    const error = await failureOf(request('/rocks', { schema: z.array(z.unknown()) }));
    expect(error).toMatchObject({ kind: 'server', status, message: MESSAGES.server, retryable: true });
  });

  it('reports a 503 as the service being unavailable for now', async () => {
    server.use(http.get(apiUrl('/rocks'), () => HttpResponse.json<MessageError>({ message: 'database unreachable' }, { status: 503 })));

    const error = await failureOf(request('/rocks', { schema: z.array(z.unknown()) }));
    expect(error).toMatchObject({ kind: 'unavailable', status: 503, message: 'The service is unavailable, try again in a moment.', retryable: true });
  });

  it.each([
    ['42', 'Too many attempts, try again in 42 s.'],
    [new Date(Date.now() + 29_500).toUTCString(), /^Too many attempts, try again in (29|30) s\.$/],
    [null, 'Too many attempts, try again in a minute.'],
    ['soon', 'Too many attempts, try again in a minute.'],
  ])('turns a 429 with Retry-After %s into "try again in N s", not to be retried at once', async (retryAfter, message) => {
    const headers: Record<string, string> = retryAfter === null ? {} : { 'Retry-After': retryAfter };
    server.use(http.post(apiUrl('/login'), () => HttpResponse.json<MessageError>({ message: 'Rate limit exceeded, retry in 1 minute' }, { status: 429, headers })));

    const error = await failureOf(request('/login', { method: 'POST', body: {} }));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryable: false });
    expect(error.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  it('refuses an answer that breaks the contract', async () => {
    server.use(http.get(apiUrl('/ping'), () => HttpResponse.json({ pong: 'yes' })));

    const error = await failureOf(request('/ping', { schema: pingSchema }));
    expect(error).toMatchObject({ kind: 'unexpected', message: MESSAGES.unexpected });
  });
});
