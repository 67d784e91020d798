import { useMutation, useQueryClient } from '@tanstack/react-query';
import { rock as rockAnswer, type CreateRockBody, type Rock } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { applyToRockLists, withRockAdded } from './rock-lists-cache';

/** The weight goes as typed ("1.25"): the API accepts a numeric string. */
export function collectRock(rock: CreateRockBody): Promise<Rock> {
  return request('/rocks', { method: 'POST', body: rock, schema: rockAnswer });
}

export function useCollectRock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: collectRock,
    // The new rock is the collector's: it belongs to every list.
    onSuccess: (saved) => applyToRockLists(queryClient, (pages) => withRockAdded(pages, saved)),
  });
}
