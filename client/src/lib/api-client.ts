import { detailError, messageError } from '@rock-of-ages/contract';
import type { z } from 'zod/mini';
import { appConfig } from '../config/app-config';
import { ApiError } from './api-error';
import { getSession, signOut } from './session';

export const MESSAGES = {
  network: 'Cannot reach the Rock of Ages server. Check your connection and try again.',
  server: 'The server ran into a problem. Please try again in a moment.',
  unavailable: 'The service is unavailable, try again in a moment.',
  tooManyAttempts: (seconds: number | null) =>
    seconds === null ? 'Too many attempts, try again in a minute.' : `Too many attempts, try again in ${seconds} s.`,
  unexpected: 'The server sent an answer this app does not understand.',
  sessionEnded: 'Your session has ended. Please sign in again.',
  rejected: 'The server refused the request.',
};

interface RequestOptions<Schema extends z.ZodMiniType> {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Validates the answer; leave out for answers without a body (204). */
  schema?: Schema;
  signal?: AbortSignal;
}

/** An answer's body with the headers and URL it came with (a page's total and next-page link live there). */
export interface ApiAnswer<Body> {
  body: Body;
  headers: Headers;
  /** Where the answer came from, for resolving relative references such as a Link's. */
  url: URL;
}

/**
 * The only place that talks to the API: adds the token, turns every failure into an ApiError, validates
 * answers against the contract, and ends the session when the API refuses the token. `target` is a path
 * under the API's URL, or a URL the API gave (a Link), which must lie under it too: the token goes nowhere else.
 */
export async function request<Schema extends z.ZodMiniType>(target: string | URL, options: RequestOptions<Schema> & { schema: Schema }): Promise<z.infer<Schema>>;
export async function request(target: string | URL, options?: RequestOptions<z.ZodMiniType>): Promise<void>;
export async function request(target: string | URL, options: RequestOptions<z.ZodMiniType> = {}): Promise<unknown> {
  const { response } = await send(target, options);
  return options.schema === undefined ? undefined : parseBody(response, options.schema);
}

/** As `request`, with the answer's headers and URL beside its validated body. */
export async function requestWithHeaders<Schema extends z.ZodMiniType>(
  target: string | URL,
  options: RequestOptions<Schema> & { schema: Schema },
): Promise<ApiAnswer<z.infer<Schema>>> {
  const { response, url } = await send(target, options);
  // A mocked or same-URL answer may leave `response.url` empty: it then came from where it was asked.
  return { body: await parseBody(response, options.schema), headers: response.headers, url: new URL(response.url || url) };
}

async function send(target: string | URL, { method = 'GET', body, signal }: RequestOptions<z.ZodMiniType>): Promise<{ response: Response; url: string }> {
  const url = apiUrlOf(target);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const { token } = getSession();
  if (token !== null) headers.Authorization = `Token ${token}`;

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', MESSAGES.network);
  }

  if (response.status === 401) {
    signOut('expired');
    throw new ApiError('unauthorized', MESSAGES.sessionEnded, 401);
  }
  if (response.status === 429) throw new ApiError('rate-limited', MESSAGES.tooManyAttempts(retryAfterSeconds(response)), 429);
  if (response.status === 503) throw new ApiError('unavailable', MESSAGES.unavailable, 503);
  if (response.status >= 500) throw new ApiError('server', MESSAGES.server, response.status);
  if (!response.ok) throw new ApiError('rejected', (await readMessage(response)) ?? MESSAGES.rejected, response.status);
  return { response, url };
}

function apiUrlOf(target: string | URL): string {
  const base = appConfig().apiUrl;
  if (typeof target === 'string') return `${base}${target}`;
  if (!target.href.startsWith(`${base}/`)) throw new ApiError('unexpected', MESSAGES.unexpected);
  return target.href;
}

async function parseBody<Schema extends z.ZodMiniType>(response: Response, schema: Schema): Promise<z.infer<Schema>> {
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new ApiError('unexpected', MESSAGES.unexpected, response.status);
  return parsed.data;
}

/** The API explains refusals in one of the contract's envelopes: {"message": "..."}, or {"detail": "..."} for authentication. */
async function readMessage(response: Response): Promise<string | null> {
  const body: unknown = await response.json().catch(() => null);
  const message = messageError.safeParse(body);
  const detail = detailError.safeParse(body);
  const text = message.success ? message.data.message : detail.success ? detail.data.detail : null;
  return text !== null && text.trim() !== '' ? text : null;
}

/** Retry-After as whole seconds from now: a number of seconds or an HTTP date; null when absent or unreadable. */
function retryAfterSeconds(response: Response): number | null {
  const value = response.headers.get('Retry-After')?.trim() ?? '';
  if (value === '') return null;
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}
