import { useQuery } from '@tanstack/react-query';
import { z } from 'zod/mini';
import { request } from '../../../lib/api-client';
import { rockKeys, rockTypeSchema, type RockType } from './rock-schemas';

export function getRockTypes(signal?: AbortSignal): Promise<RockType[]> {
  return request('/types', { schema: z.array(rockTypeSchema), ...(signal && { signal }) });
}

export function useRockTypes() {
  // The list of types is fixed by the seed data: fetch it once per session.
  return useQuery({ queryKey: rockKeys.types, queryFn: ({ signal }) => getRockTypes(signal), staleTime: Infinity });
}
