import { z } from 'zod';
import { parseId, storable } from '../common-schemas.js';
import { rockImageSchema } from '../rock-images/schemas.js';

export const MAX_NAME_LENGTH = 155;
export const MIN_WEIGHT = 0.01;
export const MAX_WEIGHT = 999.99;

/**
 * A weight in kilograms, as a JSON number or a numeric string (the original accepted both), in
 * 0.01–999.99 with at most two decimals; becomes the canonical decimal string "1.30".
 */
/** "is required" when the field is absent, `wrongType` when it is there but neither a number nor a string. */
const requiredOr = (missing: string, wrongType: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrongType),
});

const WEIGHT_MESSAGE = 'weight must be a number of kilograms, such as 1.25';
/** "999.99" with room for a sign, zeros and spaces: anything longer is no weight, and is refused before any pattern runs. */
const MAX_WEIGHT_TEXT = 20;

const weight = z
  .union([z.number(), z.string()], requiredOr('weight is required: a number of kilograms, such as 1.25', WEIGHT_MESSAGE))
  .transform((value, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (typeof value === 'string' && value.length > MAX_WEIGHT_TEXT) return refuse(WEIGHT_MESSAGE);
    const text = String(value).trim();
    // Each pattern can match a string in one way only, so neither backtracks.
    const amount = typeof value === 'number' ? value : /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isFinite(amount)) return refuse(WEIGHT_MESSAGE);
    if (amount < MIN_WEIGHT || amount > MAX_WEIGHT) return refuse(`weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT}`);
    if (!/^\+?\d*(?:\.\d{0,2})?$/.test(text)) return refuse('weight must have at most two decimals');
    return amount.toFixed(2);
  });

/** The value as the client sent it, for a message; long values are cut short rather than echoed whole. */
const shown = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const typeId = z
  .union([z.number(), z.string()], requiredOr('typeId is required: the id of a rock type from GET /types', 'typeId must be the id of a rock type from GET /types'))
  .transform((value, ctx) => {
    const id = parseId(value);
    if (id === undefined) {
      ctx.addIssue({ code: 'custom', message: `typeId must be the id of a rock type from GET /types (got ${shown(value)})` });
      return z.NEVER;
    }
    return id;
  });

export const createRockBody = z.object(
  {
    name: z
      .string(requiredOr('name is required', 'name must be text'))
      .trim()
      .min(1, 'name must not be empty')
      .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`)
      .refine(...storable('name')),
    weight,
    typeId,
  },
  { error: 'The request body must be a JSON object with name, weight and typeId' },
);

export const listRocksQuery = z.object({
  owner: z.literal('current', { error: 'owner must be "current" (only your rocks) or left out (every rock)' }).optional(),
});

export const rockParams = z.object({ id: z.string() });

export const rockSchema = z.object({
  id: z.number(),
  name: z.string(),
  weight: z.string(),
  type: z.object({ id: z.number(), label: z.string() }),
  user: z.object({ id: z.number(), first_name: z.string(), last_name: z.string() }),
  images: z.array(rockImageSchema),
});
