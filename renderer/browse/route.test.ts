import { describe, expect, it } from 'vitest';
import { browseHash, libraryHashOf, parseBrowseHash, withLibraryHash, type BrowseRoute } from './route.js';

describe('browse routes in the hash', () => {
  it('round-trip every view, with keys and folder paths encoded', () => {
    const routes: BrowseRoute[] = [
      { view: 'home' },
      { view: 'series' },
      { view: 'series-page', key: 'cyclone-rebirth~2' },
      { view: 'series-page', key: 'ōkami-大神' },
      { view: 'folders', path: '' },
      { view: 'folders', path: 'Marvel/X 2/Annuals #1 & more' },
      { view: 'all' },
      { view: 'favourites' },
      { view: 'problems' },
    ];
    for (const route of routes) expect(parseBrowseHash(browseHash(route))).toEqual(route);
    expect(browseHash({ view: 'folders', path: 'A b/C' })).toBe('#/folders/A%20b/C');
  });

  it('an empty hash is Home (the start view); the reader’s hash and nonsense are not browse routes', () => {
    expect(parseBrowseHash('')).toEqual({ view: 'home' });
    expect(parseBrowseHash('#/')).toEqual({ view: 'home' });
    expect(parseBrowseHash('#/read/12/3')).toBeNull();
    expect(parseBrowseHash('#/folders/a/../b')).toBeNull();
    expect(parseBrowseHash('#/folders/a//b')).toBeNull();
    expect(parseBrowseHash('#/series/%E0%A4%A')).toBeNull();
    expect(parseBrowseHash('#/nowhere')).toBeNull();
  });
});

describe('the library view under the reader (history state)', () => {
  it('is kept with the other state and read back; a reader hash or junk is not a library view', () => {
    const state = withLibraryHash({ other: 1 }, '#/series/saga');
    expect(state).toEqual({ other: 1, libraryHash: '#/series/saga' });
    expect(libraryHashOf(state)).toBe('#/series/saga');
    expect(libraryHashOf(withLibraryHash(null, ''))).toBe('');
    expect(libraryHashOf({ libraryHash: '#/read/1/2' })).toBeNull();
    expect(libraryHashOf({ libraryHash: 42 })).toBeNull();
    expect(libraryHashOf(null)).toBeNull();
  });
});
