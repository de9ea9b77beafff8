import { describe, expect, it } from 'vitest';
import type { ComicMetadata } from '../../../shared/types.js';
import { METADATA_FIELDS, mergeMetadata } from './merge.js';

describe('mergeMetadata', () => {
  it('lets earlier layers win per field and records each source', () => {
    const result = mergeMetadata([
      { source: 'comicinfo', metadata: { series: 'Batman', number: '1', year: null } },
      { source: 'comicbookinfo', metadata: null },
      { source: 'filename', metadata: { series: 'batman', number: '001', year: 2011, volume: 2 } },
    ]);
    expect(result.metadata).toMatchObject({ series: 'Batman', number: '1', year: 2011, volume: 2, title: null });
    expect(result.sources).toEqual({ series: 'comicinfo', number: 'comicinfo', year: 'filename', volume: 'filename' });
  });

  it('outputs every field, null when unknown, with no sources', () => {
    const result = mergeMetadata([]);
    expect(Object.keys(result.metadata).sort()).toEqual([...METADATA_FIELDS].sort());
    expect(Object.values(result.metadata).every((value) => value === null)).toBe(true);
    expect(result.sources).toEqual({});
  });

  it('treats blank strings and non-finite numbers as unknown and fixes wrongly typed values', () => {
    const odd = { series: '  ', year: Number.NaN, volume: '3', number: 7, month: 'May' } as unknown as Partial<ComicMetadata>;
    const result = mergeMetadata([
      { source: 'comicinfo', metadata: odd },
      { source: 'filename', metadata: { series: 'Saga', year: 2012, month: 5 } },
    ]);
    expect(result.metadata).toMatchObject({ series: 'Saga', year: 2012, volume: 3, number: '7', month: 5 });
    expect(result.sources).toEqual({ series: 'filename', year: 'filename', volume: 'comicinfo', number: 'comicinfo', month: 'filename' });
  });
});
