/** Network failures on the way to a database server (Node's error codes). */
export const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * PostgreSQL's answers that mean "not now" rather than "not this": connection exceptions (class 08),
 * insufficient resources (53), server shutting down or starting (57P01–57P03), a statement cancelled by
 * statement_timeout (57014), and credentials or a database that stopped working (28, 3D000).
 */
const POSTGRES_UNAVAILABLE = /^(08|53|28)|^57P0[123]$|^57014$|^3D000$/;

/** node-postgres's own connection failures carry no code, only a message. */
const POSTGRES_CLIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Cannot use a pool after calling end/;

/** SQLite's: the file busy or locked past busy_timeout, unreadable, unwritable, or the disk full. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|NOMEM|READONLY)/;

/**
 * True when a database call failed because the database cannot be reached or cannot serve right now,
 * on either engine: the request deserves a 503 and a retry, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  if (typeof message === 'string' && code === undefined && POSTGRES_CLIENT_MESSAGES.test(message)) return true;
  // A connection to a name with several addresses fails with one error per address.
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}
