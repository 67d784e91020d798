import { hasAllowedDecimals, isWeightInRange, MAX_ROCK_NAME_LENGTH, MAX_WEIGHT, MIN_WEIGHT } from '@rock-of-ages/contract';
import { z } from 'zod/mini';

// The contract's rules for a rock, in the form's words; the form also wants the weight unsigned, as typed.
export const rockFormSchema = z.object({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Give your rock a name'),
      z.maxLength(MAX_ROCK_NAME_LENGTH, `The name must be at most ${MAX_ROCK_NAME_LENGTH} characters`),
    ),
  weight: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { error: 'Enter the weight in kilograms', abort: true }),
      z.regex(/^(\d+\.?\d*|\.\d+)$/, { error: 'Enter the weight as a number, such as 1.25', abort: true }),
      z.refine((text) => isWeightInRange(Number(text)), `The weight must be between ${MIN_WEIGHT} and ${MAX_WEIGHT} kg`),
      z.refine(hasAllowedDecimals, 'Use at most two decimals'),
    ),
  typeId: z.pipe(z.string().check(z.minLength(1, 'Choose a type')), z.transform(Number)),
});
