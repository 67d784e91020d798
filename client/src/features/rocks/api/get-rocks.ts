import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { rockList, type Rock } from '@rock-of-ages/contract';
import { requestWithHeaders } from '../../../lib/api-client';
import { ROCKS_PER_PAGE } from '../rocks-per-page';
import { rockKeys, type RockScope } from './rock-query-keys';
import { readRockPage, type RockPage } from './rock-page';

/** The list's first page, or the page at `pageUrl` (a Link the previous page gave). */
export async function getRockPage(scope: RockScope, pageUrl: string | null, signal?: AbortSignal): Promise<RockPage> {
  const owner = scope === 'mine' ? 'owner=current&' : '';
  const target = pageUrl === null ? `/rocks?${owner}limit=${ROCKS_PER_PAGE}` : new URL(pageUrl);
  return readRockPage(await requestWithHeaders(target, { schema: rockList, ...(signal && { signal }) }));
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
 * Every rock (or the signed-in user's), read from the API a page at a time: the first page alone
 * before anything shows, the next on request, and the count from the API rather than from the rocks read.
 */
export function useRockList(scope: RockScope): RockList {
  const query = useInfiniteQuery({
    queryKey: rockKeys.list(scope),
    queryFn: ({ pageParam, signal }) => getRockPage(scope, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next,
  });
  const { data, fetchNextPage, refetch } = query;
  const rocks = useMemo(() => data?.pages.flatMap((page) => page.rocks), [data]);
  // Pressed twice, or seen by the scroll observer while a page is on its way, the request already made is kept.
  const showMore = useCallback(() => void fetchNextPage({ cancelRefetch: false }), [fetchNextPage]);
  return {
    rocks,
    total: data?.pages.at(-1)?.total ?? 0,
    hasMore: query.hasNextPage,
    showMore,
    isFetching: query.isFetching,
    error: query.error,
    retry: () => void refetch(),
  };
}
