/**
 * What went wrong talking to the API, in words a user can read:
 * - network: the API could not be reached (retryable);
 * - unauthorized: the token was refused (the session has been ended);
 * - rejected: the API refused the request and said why (any other 4xx);
 * - rate-limited: too many attempts (429); the message says when to try again;
 * - unavailable: the service is down or overloaded for now (503, retryable);
 * - server: the API failed (any other 5xx, retryable);
 * - unexpected: an answer that does not match the contract.
 */
export type ApiErrorKind = 'network' | 'unauthorized' | 'rejected' | 'rate-limited' | 'unavailable' | 'server' | 'unexpected';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** Whether trying the same request again at once may succeed. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'unavailable' || this.kind === 'server';
  }
}

/** The message to show for any error a screen may receive. */
export function describeError(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
}
