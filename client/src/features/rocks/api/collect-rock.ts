import { useMutation, useQueryClient } from '@tanstack/react-query';
import { rock as rockAnswer, type CreateRockBody, type Rock } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { applyToRockLists } from './rock-lists-cache';

/** The weight goes as typed ("1.25"): the API accepts a numeric string. */
export function collectRock(rock: CreateRockBody): Promise<Rock> {
  return request('/rocks', { method: 'POST', body: rock, schema: rockAnswer });
}

export function useCollectRock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: collectRock,
    // The new rock is the collector's and the newest (lists are by id): it goes last in every list.
    onSuccess: (saved) => applyToRockLists(queryClient, (rocks) => (rocks.some((rock) => rock.id === saved.id) ? rocks : [...rocks, saved])),
  });
}
