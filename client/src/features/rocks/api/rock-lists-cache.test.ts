import { describe, expect, it } from 'vitest';
import { ernestina, orpha } from '../../../testing/sample-data';
import { withRockAdded, withRockRemoved } from './rock-lists-cache';
import type { RockPage, RockPages } from './rock-page';

const pebble = { ...orpha, id: 7, name: 'Pebble' };
const pagesOf = (...pages: RockPage[]): RockPages => ({ pages, pageParams: pages.map((_, index) => (index === 0 ? null : `https://api.example/rocks?after=${index}`)) });

describe('a confirmed change applied to a list read a page at a time', () => {
  it('a new rock goes last when every page is there, and the total grows on every page', () => {
    const pages = pagesOf({ rocks: [ernestina], total: 2, next: 'https://api.example/rocks?after=1' }, { rocks: [orpha], total: 2, next: null });
    expect(withRockAdded(pages, pebble).pages).toEqual([
      { rocks: [ernestina], total: 3, next: 'https://api.example/rocks?after=1' },
      { rocks: [orpha, pebble], total: 3, next: null },
    ]);
  });

  it('a new rock waits for the last page when pages remain to be read; only the total grows', () => {
    const pages = pagesOf({ rocks: [ernestina], total: 40, next: 'https://api.example/rocks?after=1' });
    expect(withRockAdded(pages, pebble).pages).toEqual([{ rocks: [ernestina], total: 41, next: 'https://api.example/rocks?after=1' }]);
  });

  it('a rock already read is not added or counted twice', () => {
    const pages = pagesOf({ rocks: [ernestina, pebble], total: 2, next: null });
    expect(withRockAdded(pages, pebble)).toBe(pages);
  });

  it('a deleted rock leaves the page that held it, and the total', () => {
    const pages = pagesOf({ rocks: [ernestina, orpha], total: 3, next: 'https://api.example/rocks?after=2' });
    expect(withRockRemoved(pages, orpha.id).pages).toEqual([{ rocks: [ernestina], total: 2, next: 'https://api.example/rocks?after=2' }]);
  });

  it('a deleted rock not yet read still leaves the total; one the whole list never held changes nothing', () => {
    const partial = pagesOf({ rocks: [ernestina], total: 3, next: 'https://api.example/rocks?after=1' });
    expect(withRockRemoved(partial, pebble.id).pages).toEqual([{ rocks: [ernestina], total: 2, next: 'https://api.example/rocks?after=1' }]);
    const whole = pagesOf({ rocks: [ernestina], total: 1, next: null });
    expect(withRockRemoved(whole, pebble.id)).toBe(whole);
  });
});
