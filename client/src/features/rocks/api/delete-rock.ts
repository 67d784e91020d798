import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../../lib/api-client';
import { applyToRockLists, withRockRemoved } from './rock-lists-cache';
import { rockKeys } from './rock-query-keys';

export function deleteRock(id: number): Promise<void> {
  return request(`/rocks/${id}`, { method: 'DELETE' });
}

export function useDeleteRock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteRock,
    onSuccess: (_answer, id) => applyToRockLists(queryClient, (pages) => withRockRemoved(pages, id)),
    // A refusal may mean the list was out of date (a 404: deleted elsewhere): refresh it.
    onError: () => queryClient.invalidateQueries({ queryKey: rockKeys.all }),
  });
}
