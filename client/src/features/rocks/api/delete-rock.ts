import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from '../../../lib/api-client';
import { rockKeys, type Rock } from './rock-schemas';

export function deleteRock(id: number): Promise<void> {
  return request(`/rocks/${id}`, { method: 'DELETE' });
}

export function useDeleteRock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteRock,
    // Drop it from every cached list at once...
    onSuccess: (_answer, id) => {
      queryClient.setQueriesData<Rock[]>({ queryKey: rockKeys.all }, (rocks) => rocks?.filter((rock) => rock.id !== id));
    },
    // ...and refresh them in the background, also after a failure (a 404 means the list was stale).
    onSettled: () => queryClient.invalidateQueries({ queryKey: rockKeys.all }),
  });
}
