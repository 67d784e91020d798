import { z } from 'zod';
import { isStorableText } from '../storable-text.js';

export const messageSchema = z.object({ message: z.string() });

/** Ids are PostgreSQL `integer`s: a larger number cannot name a row (and must not reach the query). */
export const MAX_ID = 2_147_483_647;

/**
 * Parses a row id: a positive integer, or its digits exactly as an id is written (no sign, space or
 * leading zero, so `/rocks/035` and `/rocks/%2035` name no rock); undefined for anything else.
 */
export function parseId(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= MAX_ID ? value : undefined;
  if (!/^[1-9]\d{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}

/** Refuses text that the database could not store as it is (NUL, unpaired surrogates), with a message naming the field. */
export const storable = (field: string) =>
  [isStorableText, { error: `${field} must not contain NUL characters or unpaired surrogates` }] as const;
