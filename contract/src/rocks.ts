import { z } from 'zod/mini';
import { parseId } from './ids.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_ROCK_NAME_LENGTH, MAX_WEIGHT, MIN_WEIGHT } from './limits.js';
import { rockImage } from './rock-images.js';
import { idField, requiredOr, storedText } from './storable-fields.js';
import { formatWeight, hasAllowedDecimals, isWeightInRange, weightAmount } from './weight.js';

/** A rock's type, as `GET /types` lists it and as a rock carries it. */
export const rockType = z.object({ id: z.int(), label: z.string() }).check(z.meta({ id: 'RockType', description: 'A kind of rock, such as "Igneous".' }));
export type RockType = z.infer<typeof rockType>;

/** `GET /types`: every type, ordered by id. */
export const rockTypeList = z.array(rockType).check(z.describe('Every rock type, ordered by id.'));

/** Whose rock it is: their id and name, never their e-mail address. */
export const rockOwner = z.object({ id: z.int(), first_name: z.string(), last_name: z.string() }).check(z.meta({ id: 'RockOwner', description: 'The user who collected the rock.' }));
export type RockOwner = z.infer<typeof rockOwner>;

/** A rock exactly as the original serialized it, plus the ids of its type and owner and its photos (additions the contract allows). Keys in this order. */
export const rock = z
  .object({
    id: z.int(),
    name: z.string(),
    weight: z.string().check(z.describe('Kilograms as a decimal string with exactly two decimals, such as "1.30".')),
    type: rockType,
    user: rockOwner,
    images: z.array(rockImage).check(z.describe('Its photos, oldest first; clients show the first one\'s thumbnail.')),
  })
  .check(z.meta({ id: 'Rock', description: 'A collected rock.' }));
export type Rock = z.infer<typeof rock>;

/** `GET /rocks`: every rock, or the caller's, ordered by id. */
export const rockList = z.array(rock).check(
  z.meta({
    description: 'Rocks ordered by id.',
    // Declared here so that the OpenAPI document lists them; a page (limit or after given) carries them, the whole list neither.
    headers: {
      Link: { type: 'string', description: 'On a page followed by another: <?…&after=ID>; rel="next", relative to the request\'s URL.' },
      'X-Total-Count': { type: 'string', pattern: '^[0-9]+$', description: 'On a page: how many rocks the query selects in all.' },
    },
  }),
);

/** A query parameter that must be a whole number, written plainly (no sign, space or leading zero). */
const wholeNumber = (message: string, isAllowed: (value: number) => boolean) =>
  z.pipe(
    z.string({ error: message }),
    z.transform((value: string, ctx) => {
      const number = parseId(value);
      if (number === undefined || !isAllowed(number)) {
        ctx.issues.push({ code: 'custom', message, input: value });
        return z.NEVER;
      }
      return number;
    }),
  );

/**
 * `GET /rocks?owner=current`: only the caller's rocks; without it, everyone's. Without `limit` and
 * `after` the answer is the whole list (as the original's); with either, one page in id order and an
 * RFC 8288 `Link: <…>; rel="next"` header while there is a next page.
 */
export const listRocksQuery = z.object({
  owner: z.optional(
    z.literal('current', { error: 'owner must be "current" (only your rocks) or left out (every rock)' }).check(z.describe('"current": only the caller\'s rocks.')),
  ),
  limit: z.optional(
    wholeNumber(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, (limit) => limit <= MAX_PAGE_SIZE).check(
      z.describe(`Rocks per page, 1 to ${MAX_PAGE_SIZE} (${DEFAULT_PAGE_SIZE} when only after is given).`),
    ),
  ),
  after: z.optional(
    wholeNumber('after must be the id of a rock: a whole number from 1 (the last id of the previous page)', () => true).check(
      z.describe('Only rocks with a larger id: the last id of the previous page.'),
    ),
  ),
});
export type ListRocksQuery = z.infer<typeof listRocksQuery>;

/** `DELETE /rocks/:id`: any text reaches the route, which answers 404 for what is no id (see `parseId`). */
export const rockParams = z.object({ id: z.string().check(z.describe('The id of a rock.')) });

const WEIGHT_MESSAGE = 'weight must be a number of kilograms, such as 1.25';
/** "999.99" with room for a sign, zeros and spaces: anything longer is no weight, and is refused before any pattern runs. */
const MAX_WEIGHT_TEXT = 20;

/** The value as the client sent it, for a message; long values are cut short rather than echoed whole. */
const shown = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const refuse = (ctx: { value: unknown; issues: z.core.$ZodRawIssue[] }, input: unknown, message: string) => {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
};

/**
 * A weight in kilograms, as a JSON number or a numeric string (the original accepted both), within the
 * limits and with at most two decimals; becomes the canonical decimal string "1.30".
 */
const weight = z.pipe(
  z.union([z.number(), z.string()], requiredOr('weight is required: a number of kilograms, such as 1.25', WEIGHT_MESSAGE)),
  z.transform((value: number | string, ctx) => {
    if (typeof value === 'string' && value.length > MAX_WEIGHT_TEXT) return refuse(ctx, value, WEIGHT_MESSAGE);
    const amount = typeof value === 'number' ? value : weightAmount(value);
    if (!Number.isFinite(amount)) return refuse(ctx, value, WEIGHT_MESSAGE);
    if (!isWeightInRange(amount)) return refuse(ctx, value, `weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT}`);
    if (!hasAllowedDecimals(String(value))) return refuse(ctx, value, 'weight must have at most two decimals');
    return formatWeight(amount);
  }),
);

/** The id of a rock type, as a JSON number or its digits in a string (as an HTML form sends it). */
const typeId = idField(
  'typeId is required: the id of a rock type from GET /types',
  'typeId must be the id of a rock type from GET /types',
  (value) => `typeId must be the id of a rock type from GET /types (got ${shown(value)})`,
);

/** `POST /rocks`: a new rock, owned by the caller. */
export const createRockBody = z.object(
  {
    name: storedText('name', MAX_ROCK_NAME_LENGTH, `The rock's name, 1 to ${MAX_ROCK_NAME_LENGTH} characters.`),
    weight: weight.check(z.describe(`Kilograms, ${MIN_WEIGHT} to ${MAX_WEIGHT} with at most two decimals, as a number or a numeric string.`)),
    typeId: typeId.check(z.describe('The id of a type from GET /types, as a number or a numeric string.')),
  },
  { error: 'The request body must be a JSON object with name, weight and typeId' },
).check(z.describe('A rock to collect, owned by the caller.'));
/** What a client sends to `POST /rocks`: weight and typeId as numbers or numeric strings. */
export type CreateRockBody = z.input<typeof createRockBody>;
/** A valid `POST /rocks` body once read: the weight in its canonical text ("1.30"), the type's id a number. */
export type ValidRockBody = z.output<typeof createRockBody>;
