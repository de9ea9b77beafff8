// The merge rule, field by field: for every metadata field of the row table, a source earlier in
// SOURCE_PRECEDENCE beats every later one, and a later one fills the field when the earlier has nothing.
import { describe, expect, it } from 'vitest';
import { METADATA_FIELDS, SOURCE_PRECEDENCE, isNumericField, type MetadataField } from '../../../shared/comic-fields.js';
import { layersInPrecedence, mergeMetadata } from './merge.js';

const valueFor = (field: MetadataField, n: number) => (isNumericField(field) ? n : `${field} ${n}`);

const pairs = SOURCE_PRECEDENCE.flatMap((earlier, i) => SOURCE_PRECEDENCE.slice(i + 1).map((later) => [earlier, later] as const));

describe('merging, field by field', () => {
  it.each(METADATA_FIELDS)('%s: each source beats every later one, and a later one fills in when it has nothing', (field) => {
    for (const [earlier, later] of pairs) {
      // Given later-first: the precedence, not the order found, decides.
      const both = mergeMetadata(layersInPrecedence({ [later]: { [field]: valueFor(field, 2) }, [earlier]: { [field]: valueFor(field, 1) } }));
      expect([earlier, later, both.metadata[field], both.sources]).toEqual([earlier, later, valueFor(field, 1), { [field]: earlier }]);
      const fallback = mergeMetadata(layersInPrecedence({ [earlier]: { [field]: null }, [later]: { [field]: valueFor(field, 2) } }));
      expect([earlier, later, fallback.metadata[field], fallback.sources]).toEqual([earlier, later, valueFor(field, 2), { [field]: later }]);
    }
  });
});

describe('layersInPrecedence', () => {
  it('orders the layers found by source precedence and leaves absent sources out', () => {
    const layers = layersInPrecedence({ filename: { series: 'a' }, comicinfo: null, metroninfo: { series: 'b' } });
    expect(layers.map((l) => l.source)).toEqual(['metroninfo', 'comicinfo', 'filename']);
    expect(layers[1]!.metadata).toBeNull();
  });
});
