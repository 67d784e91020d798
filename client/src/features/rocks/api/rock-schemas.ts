import { z } from 'zod/mini';

/** A photo of a rock: its files' URLs are null until its thumbnails exist (status "ready"). */
export const rockImageSchema = z.object({
  id: z.number(),
  rock: z.number(),
  original_url: z.nullable(z.string()),
  thumbnail_small_url: z.nullable(z.string()),
  thumbnail_medium_url: z.nullable(z.string()),
  thumbnail_large_url: z.nullable(z.string()),
  status: z.enum(['processing', 'ready', 'failed']),
  failure_reason: z.optional(z.nullable(z.string())),
});
export type RockImage = z.infer<typeof rockImageSchema>;

/**
 * A rock as the API serializes it; the ids of type and owner are optional extras of the contract, and
 * so are its photos (the original API has none).
 */
export const rockSchema = z.object({
  id: z.number(),
  name: z.string(),
  weight: z.string(),
  type: z.object({ id: z.optional(z.number()), label: z.string() }),
  user: z.object({ id: z.optional(z.number()), first_name: z.string(), last_name: z.string() }),
  images: z.optional(z.array(rockImageSchema)),
});
export type Rock = z.infer<typeof rockSchema>;

export const rockTypeSchema = z.object({ id: z.number(), label: z.string() });
export type RockType = z.infer<typeof rockTypeSchema>;

/** Query keys: every list of rocks starts with "rocks", so one invalidation refreshes them all. */
export const rockKeys = {
  all: ['rocks'] as const,
  list: (scope: RockScope) => ['rocks', scope] as const,
  types: ['types'] as const,
};

/** Every rock, or only the signed-in user's. */
export type RockScope = 'everyone' | 'mine';
