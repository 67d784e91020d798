/** Query keys: every list of rocks starts with "rocks", so one invalidation refreshes them all. */
export const rockKeys = {
  all: ['rocks'] as const,
  list: (scope: RockScope) => ['rocks', scope] as const,
  types: ['types'] as const,
};

/** Every rock, or only the signed-in user's. */
export type RockScope = 'everyone' | 'mine';
