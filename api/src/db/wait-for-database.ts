import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describeDatabase, type DatabaseConfig } from '../config/config.js';
import { NETWORK_ERROR_CODES } from './connection-errors.js';
import type { DatabaseHandle } from './database.js';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** Errors a database that is still booting or briefly unreachable gives; anything else is final. */
const TRANSIENT_CODES = new Set([
  ...NETWORK_ERROR_CODES,
  '57P03', // the database system is starting up
  '53300', // too many connections
]);

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return TRANSIENT_CODES.has(code);
  return /timeout|terminated/i.test(String((error as Error).message));
}

function reason(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  const text = message !== undefined && message !== '' ? message : String(code ?? error);
  // A failed DNS lookup or refused connection is an AggregateError with an empty message in Node 20.
  return text.replaceAll('\n', ' ');
}

export async function pingDatabase(handle: DatabaseHandle): Promise<void> {
  await sql`select 1`.execute(handle.db);
}

/**
 * Pings the database until it answers, retrying transient failures for up to `timeoutSeconds`
 * (a database container may still be booting). Wrong credentials or a missing database fail at once.
 */
export async function waitForDatabase(
  handle: DatabaseHandle,
  config: DatabaseConfig,
  options: { timeoutSeconds: number; onRetry?: (message: string) => void },
): Promise<void> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await pingDatabase(handle);
      return;
    } catch (error) {
      const message = `Cannot connect to ${describeDatabase(config)}: ${reason(error)}`;
      if (!isTransient(error) || Date.now() >= deadline) throw new DatabaseUnavailableError(message, { cause: error });
      options.onRetry?.(`${message} (attempt ${attempt}, retrying)`);
      await sleep(Math.min(250 * 2 ** attempt, 2_000));
    }
  }
}
