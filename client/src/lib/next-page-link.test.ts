import { describe, expect, it } from 'vitest';
import { nextPageUrl } from './next-page-link';

const base = new URL('https://api.example/rocks?limit=24');

describe('nextPageUrl', () => {
  it('resolves a query-only reference against the answer\'s URL, keeping its path', () => {
    expect(nextPageUrl('<?limit=24&after=24>; rel="next"', new URL('https://site.example/api/rocks?limit=24'))?.href).toBe('https://site.example/api/rocks?limit=24&after=24');
  });

  it('finds rel=next among several links and relation types, quoted or not', () => {
    expect(nextPageUrl('</rocks?after=1>; rel="prev", </rocks?after=48>; rel="next last"', base)?.href).toBe('https://api.example/rocks?after=48');
    expect(nextPageUrl('</rocks?after=9>; title="x"; rel=next', base)?.href).toBe('https://api.example/rocks?after=9');
  });

  it('is null without a header or without a next link', () => {
    expect([nextPageUrl(null, base), nextPageUrl('</rocks?after=1>; rel="prev"', base)]).toEqual([null, null]);
  });
});
