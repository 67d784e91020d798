import type { QueryClient } from '@tanstack/react-query';
import type { Rock } from '@rock-of-ages/contract';
import { rockKeys } from './rock-query-keys';

/**
 * Applies a change the API has just confirmed to every cached list of rocks, so that no screen shows
 * a list from before it, then refreshes the lists in the background. Fetches already under way are
 * cancelled first: they may have been answered before the change and would bring the old list back.
 */
export async function applyToRockLists(queryClient: QueryClient, change: (rocks: Rock[]) => Rock[]): Promise<void> {
  await queryClient.cancelQueries({ queryKey: rockKeys.all });
  queryClient.setQueriesData<Rock[]>({ queryKey: rockKeys.all }, (rocks) => rocks && change(rocks));
  void queryClient.invalidateQueries({ queryKey: rockKeys.all });
}
