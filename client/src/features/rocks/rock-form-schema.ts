import { z } from 'zod/mini';

// The API's limits for a rock (and its database column, numeric(5,2)).
export const MAX_NAME_LENGTH = 155;
export const MIN_WEIGHT = 0.01;
export const MAX_WEIGHT = 999.99;

export const rockFormSchema = z.object({
  name: z
    .string()
    .check(z.trim(), z.minLength(1, 'Give your rock a name'), z.maxLength(MAX_NAME_LENGTH, `The name must be at most ${MAX_NAME_LENGTH} characters`)),
  weight: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { error: 'Enter the weight in kilograms', abort: true }),
      z.regex(/^(\d+\.?\d*|\.\d+)$/, { error: 'Enter the weight as a number, such as 1.25', abort: true }),
      z.refine((text) => Number(text) >= MIN_WEIGHT && Number(text) <= MAX_WEIGHT, `The weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT} kg`),
      z.refine((text) => /^\d*(\.\d{0,2})?$/.test(text), 'Use at most two decimals'),
    ),
  typeId: z.pipe(z.string().check(z.minLength(1, 'Choose a type')), z.transform(Number)),
});
