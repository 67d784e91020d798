import { z } from 'zod';

export const messageSchema = z.object({ message: z.string() });

/** Ids are PostgreSQL `integer`s: a larger number cannot name a row (and must not reach the query). */
export const MAX_ID = 2_147_483_647;

/** Parses a row id written as digits; undefined for anything that cannot be one. */
export function parseId(value: string | number): number | undefined {
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id >= 1 && id <= MAX_ID ? id : undefined;
}
