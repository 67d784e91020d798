import { useQuery } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { request } from '../../../lib/api-client';
import { rockKeys, rockSchema, type Rock, type RockScope } from './rock-schemas';

export function getRocks(scope: RockScope, signal?: AbortSignal): Promise<Rock[]> {
  const path = scope === 'mine' ? '/rocks?owner=current' : '/rocks';
  return request(path, { schema: z.array(rockSchema), ...(signal && { signal }) });
}

export function useRocks(scope: RockScope) {
  return useQuery({ queryKey: rockKeys.list(scope), queryFn: ({ signal }) => getRocks(scope, signal) });
}
