import { MAX_ID } from './limits.js';

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
