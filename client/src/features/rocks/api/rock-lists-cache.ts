import type { QueryClient } from '@tanstack/react-query';
import type { Rock } from '@rock-of-ages/contract';
import type { RockPages } from './rock-page';
import { rockKeys } from './rock-query-keys';

const isRead = (pages: RockPages, id: number) => pages.pages.some((page) => page.rocks.some((rock) => rock.id === id));
const withTotal = (pages: RockPages, change: number) => ({ ...pages, pages: pages.pages.map((page) => ({ ...page, total: Math.max(0, page.total + change) })) });

/**
 * A rock just created: lists are by id, so it is the newest and goes last. Where pages remain to be read
 * it will come with the last of them; only the total grows now.
 */
export function withRockAdded(pages: RockPages, rock: Rock): RockPages {
  if (isRead(pages, rock.id)) return pages;
  const counted = withTotal(pages, 1);
  const last = counted.pages.at(-1);
  if (last === undefined || last.next !== null) return counted;
  return { ...counted, pages: [...counted.pages.slice(0, -1), { ...last, rocks: [...last.rocks, rock] }] };
}

/** A rock just deleted: gone from the page that showed it, and from the total if the list held it (read or yet to be read). */
export function withRockRemoved(pages: RockPages, id: number): RockPages {
  const unreadPagesRemain = pages.pages.at(-1)?.next != null;
  if (!isRead(pages, id)) return unreadPagesRemain ? withTotal(pages, -1) : pages;
  const counted = withTotal(pages, -1);
  return { ...counted, pages: counted.pages.map((page) => ({ ...page, rocks: page.rocks.filter((rock) => rock.id !== id) })) };
}

/**
 * Applies a change the API has just confirmed to every cached list of rocks, so that no screen shows
 * a list from before it, then refreshes the lists in the background. Fetches already under way are
 * cancelled first: they may have been answered before the change and would bring the old list back.
 */
export async function applyToRockLists(queryClient: QueryClient, change: (pages: RockPages) => RockPages): Promise<void> {
  await queryClient.cancelQueries({ queryKey: rockKeys.all });
  queryClient.setQueriesData<RockPages>({ queryKey: rockKeys.all }, (pages) => pages && change(pages));
  void queryClient.invalidateQueries({ queryKey: rockKeys.all });
}
