import { describe, expect, it } from 'vitest';
import { parseReaderHash, readerHash } from './route.js';

describe('reader route in the hash', () => {
  it('round-trips id and page (1-based in the URL)', () => {
    expect(readerHash({ id: 12, page: 2 })).toBe('#/read/12/3');
    expect(parseReaderHash('#/read/12/3')).toEqual({ id: 12, page: 2 });
    expect(parseReaderHash('#/read/12')).toEqual({ id: 12, page: null });
    expect(readerHash({ id: 12, page: null })).toBe('#/read/12');
  });

  it('refuses everything else (other hashes belong to the library views)', () => {
    for (const hash of ['', '#', '#/series/saga', '#/read/', '#/read/0', '#/read/x/1', '#/read/1/2/3', '#/read/-1']) {
      expect(parseReaderHash(hash)).toBeNull();
    }
    expect(parseReaderHash('#/read/5/0')).toEqual({ id: 5, page: null });
  });
});
