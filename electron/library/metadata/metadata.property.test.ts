// Property tests: the parsers never throw and always return the documented shape; merge sources are honest.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComicMetadata, FieldSource } from '../../../shared/types.js';
import { parseComicInfo } from './comicinfo.js';
import { parseFileName } from './filename.js';
import { METADATA_FIELDS, mergeMetadata } from './merge.js';

const NUM_RUNS = 200;
const NUMERIC = new Set(['volume', 'year', 'month', 'declaredPageCount']);

function expectValidPartial(metadata: Partial<ComicMetadata>): void {
  for (const [key, value] of Object.entries(metadata)) {
    expect(METADATA_FIELDS).toContain(key);
    if (NUMERIC.has(key)) {
      expect(Number.isInteger(value)).toBe(true);
      expect(value as number).toBeGreaterThanOrEqual(0);
    } else {
      expect(typeof value).toBe('string');
      expect((value as string).trim()).toBe(value);
      expect(value).not.toBe('');
    }
  }
  if (metadata.year != null) expect(metadata.year >= 1800 && metadata.year <= 2200).toBe(true);
  if (metadata.month != null) expect(metadata.month >= 1 && metadata.month <= 12).toBe(true);
}

const xmlField = fc.constantFrom('Series', 'Number', 'Volume', 'Year', 'Month', 'PageCount', 'Manga', 'Title', 'Pages', 'Page', 'ComicInfo');
const xmlText = fc.oneof(fc.string({ maxLength: 20 }), fc.integer({ min: -5, max: 3000 }).map(String), fc.constantFrom('&amp;', '&lol;', '&#0;', '&#x110000;', '<![CDATA[x]]>', '<!DOCTYPE a [<!ENTITY b "c">]>'));
/** XML-ish documents built from ComicInfo element names, text, and broken pieces. */
const xmlish = fc
  .array(fc.oneof(xmlField.map((n) => `<${n}>`), xmlField.map((n) => `</${n}>`), xmlText, fc.constant('<Page Image="1" Type="FrontCover"/>')), { maxLength: 30 })
  .map((parts) => `<ComicInfo>${parts.join('')}`);

describe('parseComicInfo (properties)', () => {
  const check = (input: string | Buffer) => {
    const result = parseComicInfo(input);
    expect(Object.keys(result).sort()).toEqual(['frontCoverPage', 'metadata', 'problem']);
    expect(result.problem === null || typeof result.problem === 'string').toBe(true);
    expect(result.frontCoverPage === null || (Number.isInteger(result.frontCoverPage) && result.frontCoverPage >= 0)).toBe(true);
    expectValidPartial(result.metadata);
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), check), { numRuns: NUM_RUNS });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(Buffer.from(bytes))), { numRuns: NUM_RUNS });
  });

  it('never throws on XML-like documents', () => {
    fc.assert(fc.property(xmlish, check), { numRuns: NUM_RUNS });
  });
});

describe('parseFileName (properties)', () => {
  const nameish = fc
    .array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(' ', '_', '.', '#', '(', ')', '[', ']', ' - ', 'v2', 'Vol 1', '001', '2012', '(2019)', '½', '.cbz')), { maxLength: 15 })
    .map((parts) => parts.join(''));

  it('never throws and returns valid fields', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), nameish), (name) => {
        const result = parseFileName(name);
        expectValidPartial(result);
        expect(Object.keys(result).every((key) => ['series', 'number', 'volume', 'year', 'month', 'title'].includes(key))).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('mergeMetadata (properties)', () => {
  const value = (field: string) =>
    NUMERIC.has(field)
      ? fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined })
      : fc.option(fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)), { nil: undefined });
  const partial = fc.record(Object.fromEntries(METADATA_FIELDS.map((field) => [field, value(field)])), { requiredKeys: [] }) as fc.Arbitrary<Partial<ComicMetadata>>;
  const layer = fc.record({ source: fc.constantFrom<FieldSource>('comicinfo', 'comicbookinfo', 'filename'), metadata: fc.option(partial, { nil: null }) });

  it('fills every field and records a source that had the value', () => {
    fc.assert(
      fc.property(fc.array(layer, { maxLength: 4 }), (layers) => {
        const { metadata, sources } = mergeMetadata(layers);
        for (const field of METADATA_FIELDS) {
          expect(field in metadata).toBe(true);
          const winner = sources[field];
          if (metadata[field] === null) {
            expect(winner).toBeUndefined();
            continue;
          }
          expect(winner).toBeDefined();
          // The first layer holding a known value for this field has the recorded source and the same value.
          const first = layers.find((l) => {
            const v = l.metadata?.[field];
            return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '');
          });
          expect(first?.source).toBe(winner);
          expect(first?.metadata?.[field]).toBe(metadata[field]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
