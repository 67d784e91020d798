import type { Rock } from '@rock-of-ages/contract';
import { HttpResponse } from 'msw';

/** One page of GET /rocks as the API answers it: the rocks, the list's total, and a Link to `next` if given. */
export function rockPage(rocks: Rock[], { total = rocks.length, next }: { total?: number; next?: string } = {}) {
  const headers: Record<string, string> = { 'X-Total-Count': String(total) };
  if (next !== undefined) headers.Link = `<${next}>; rel="next"`;
  return HttpResponse.json<Rock[]>(rocks, { headers });
}

/** Serves `rocks` (in id order) as the API pages them: `limit` after the id `after`, and a query-only Link to the next page. */
export function pageOf(rocks: Rock[], request: Request) {
  const query = new URL(request.url).searchParams;
  const limit = Number(query.get('limit') ?? 100);
  const after = Number(query.get('after') ?? 0);
  const rest = rocks.filter((rock) => rock.id > after);
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  if (rest.length <= limit || last === undefined) return rockPage(page, { total: rocks.length });
  query.set('after', String(last.id));
  return rockPage(page, { total: rocks.length, next: `?${query.toString()}` });
}
