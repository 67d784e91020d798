import type { z } from 'zod/mini';

/** One answer as it came: the status, the headers, and the body parsed as JSON (the text when it is not JSON; undefined when empty). */
export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  body: unknown;
}

export interface CallOptions {
  token?: string;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Checks each answer as it arrives (against the OpenAPI document, see openapi-conformance.ts). */
export type AnswerCheck = (answer: Answer) => void;

/** Real HTTP requests to one deployment. */
export function createHttp(baseUrl: string, checkAnswer: AnswerCheck = () => {}) {
  const root = baseUrl.replace(/\/+$/, '');
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Token ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${root}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text === '' ? undefined : text;
    if (response.headers.get('content-type')?.includes('application/json')) parsed = JSON.parse(text);
    const answer = { method, path, status: response.status, headers: response.headers, body: parsed };
    checkAnswer(answer);
    return answer;
  };
}

export type Call = ReturnType<typeof createHttp>;

/** The answer's body, read with the contract's schema for it once its status is the one expected: typed, never `any`. */
export function expectAnswer<Schema extends z.ZodMiniType>(answer: Answer, status: number, schema: Schema): z.output<Schema> {
  if (answer.status !== status) {
    throw new Error(`${answer.method} ${answer.path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    throw new Error(`${answer.method} ${answer.path} ${status}: the body does not match the contract: ${JSON.stringify(answer.body)} (${parsed.error.message})`);
  }
  return parsed.data;
}
