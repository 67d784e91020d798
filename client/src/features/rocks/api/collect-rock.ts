import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../../lib/api-client';
import { applyToRockLists } from './rock-lists-cache';
import { rockSchema, type Rock } from './rock-schemas';

export interface NewRock {
  name: string;
  /** Kilograms with at most two decimals, as typed ("1.25"); the API accepts a numeric string. */
  weight: string;
  typeId: number;
}

export function collectRock(rock: NewRock): Promise<Rock> {
  return request('/rocks', { method: 'POST', body: rock, schema: rockSchema });
}

export function useCollectRock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: collectRock,
    // The new rock is the collector's and the newest (lists are by id): it goes last in every list.
    onSuccess: (saved) => applyToRockLists(queryClient, (rocks) => (rocks.some((rock) => rock.id === saved.id) ? rocks : [...rocks, saved])),
  });
}
