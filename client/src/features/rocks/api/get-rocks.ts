import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { rockList, type Rock } from '@rock-of-ages/contract';
import { request } from '../../../lib/api-client';
import { ROCKS_PER_PAGE } from '../rocks-per-page';
import { rockKeys, type RockScope } from './rock-query-keys';


export function getRocks(scope: RockScope, signal?: AbortSignal): Promise<Rock[]> {
  const path = scope === 'mine' ? '/rocks?owner=current' : '/rocks';
  return request(path, { schema: rockList, ...(signal && { signal }) });
}

/** A list of rocks as the screens use it: the ones to show so far, how many there are, and a way to show more. */
export interface RockList {
  /** Undefined until the first answer arrives (or when it failed). */
  rocks: Rock[] | undefined;
  total: number;
  hasMore: boolean;
  showMore(): void;
  /** A fetch or a refresh is under way. */
  isFetching: boolean;
  /** The last failure, or null. */
  error: unknown;
  retry(): void;
}

/**
 * Every rock (or the signed-in user's), shown a page at a time. The API answers with the whole list,
 * so the pages are cut here; the screens only see RockList, so an API that pages can take over here.
 */
export function useRockList(scope: RockScope): RockList {
  const query = useQuery({ queryKey: rockKeys.list(scope), queryFn: ({ signal }) => getRocks(scope, signal) });
  const [shown, setShown] = useState(ROCKS_PER_PAGE);
  const showMore = useCallback(() => setShown((count) => count + ROCKS_PER_PAGE), []);
  const all = query.data;
  return {
    rocks: all?.slice(0, shown),
    total: all?.length ?? 0,
    hasMore: all !== undefined && shown < all.length,
    showMore,
    isFetching: query.isFetching,
    error: query.error,
    retry: () => void query.refetch(),
  };
}
