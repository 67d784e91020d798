import type { InfiniteData } from '@tanstack/react-query';
import type { Rock } from '@rock-of-ages/contract';
import { ApiError } from '../../../lib/api-error';
import { MESSAGES, type ApiAnswer } from '../../../lib/api-client';
import { nextPageUrl } from '../../../lib/next-page-link';

/** One page of a list of rocks, as the API answered it. */
export interface RockPage {
  rocks: Rock[];
  /** How many rocks the whole list holds (X-Total-Count), however few pages have been read. */
  total: number;
  /** Where the next page is (the Link rel="next"), or null after the last page. */
  next: string | null;
}

/** A list read so far: its pages, each fetched from its URL (null: the list's first page). */
export type RockPages = InfiniteData<RockPage, string | null>;

/** A page's rocks with the total and next-page link its headers carry; an answer without a total is not one the contract allows. */
export function readRockPage({ body, headers, url }: ApiAnswer<Rock[]>): RockPage {
  const total = headers.get('X-Total-Count') ?? '';
  if (!/^\d+$/.test(total)) throw new ApiError('unexpected', MESSAGES.unexpected);
  return { rocks: body, total: Number(total), next: nextPageUrl(headers.get('Link'), url)?.href ?? null };
}
