import { z } from 'zod';
import { parseId } from '../common-schemas.js';

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

const weight = z
  .union([z.number(), z.string()], requiredOr('weight is required: a number of kilograms, such as 1.25', 'weight must be a number of kilograms, such as 1.25')).transform((value, ctx) => {
  const text = String(value).trim();
  const amount = typeof value === 'number' ? value : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(amount)) {
    ctx.addIssue({ code: 'custom', message: 'weight must be a number of kilograms, such as 1.25' });
    return z.NEVER;
  }
  if (amount < MIN_WEIGHT || amount > MAX_WEIGHT) {
    ctx.addIssue({ code: 'custom', message: `weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT}` });
    return z.NEVER;
  }
  if (!/^\+?\d*(\.\d{0,2})?$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'weight must have at most two decimals' });
    return z.NEVER;
  }
  return amount.toFixed(2);
});

const typeId = z
  .union([z.number(), z.string()], requiredOr('typeId is required: the id of a rock type from GET /types', 'typeId must be the id of a rock type from GET /types'))
  .transform((value, ctx) => {
    const id = parseId(value);
    if (id === undefined || (typeof value === 'number' && !Number.isInteger(value))) {
      ctx.addIssue({ code: 'custom', message: `typeId must be the id of a rock type from GET /types (got ${JSON.stringify(value)})` });
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
      .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`),
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
});
