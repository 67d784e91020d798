import { useQuery } from '@tanstack/react-query';
import { rockTypeList, type RockType } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { rockKeys } from './rock-query-keys';

export function getRockTypes(signal?: AbortSignal): Promise<RockType[]> {
  return request('/types', { schema: rockTypeList, ...(signal && { signal }) });
}

export function useRockTypes() {
  // The list of types is fixed by the seed data: fetch it once per session.
  return useQuery({ queryKey: rockKeys.types, queryFn: ({ signal }) => getRockTypes(signal), staleTime: Infinity });
}
