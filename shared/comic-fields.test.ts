// The row table itself: names are unique, every metadata field is labelled and shown somewhere, the
// search columns exist and hold text.
import { describe, expect, it } from 'vitest';
import {
  COMIC_ROW,
  DETAIL_FACTS,
  FIELD_LABELS,
  FIELD_SOURCES,
  METADATA_COLUMNS,
  METADATA_FIELDS,
  SEARCH_COLUMNS,
  SOURCE_LABELS,
  SOURCE_PRECEDENCE,
  emptyMetadata,
  isNumericField,
  type ColumnSpec,
} from './comic-fields.js';

const specs: readonly ColumnSpec[] = COMIC_ROW;

describe('the comic row table', () => {
  it('names every column, summary property and metadata field once', () => {
    const columns = specs.map((c) => c.column);
    expect(new Set(columns).size).toBe(columns.length);
    const properties = specs.flatMap((c) => [c.summary, c.detail, c.list ? c.field : undefined]).filter((p) => p !== undefined);
    expect(new Set(properties).size).toBe(properties.length);
    expect(new Set(METADATA_FIELDS).size).toBe(METADATA_FIELDS.length);
    for (const c of specs) expect(/^[a-z][a-z0-9_]*$/.test(c.column)).toBe(true);
  });

  it('gives every metadata column a field, a label and no NOT NULL (unknown is null)', () => {
    expect(METADATA_COLUMNS.length).toBeGreaterThan(0);
    for (const c of METADATA_COLUMNS) {
      expect(c.field).toMatch(/^[a-z][A-Za-z]*$/);
      expect(c.label.trim()).not.toBe('');
      expect(FIELD_LABELS[c.field]).toBe(c.label);
      expect((c as ColumnSpec).nullable).toBe(true);
    }
    // Only metadata columns carry metadata keys.
    for (const c of specs.filter((s) => s.stage !== 'metadata')) {
      expect([c.field, c.label, c.list, c.shown]).toEqual([undefined, undefined, undefined, undefined]);
    }
  });

  it('shows every metadata field in the details panel: as a fact, the summary paragraph or beside the page count', () => {
    const facts = DETAIL_FACTS.map(([field]) => field);
    for (const c of METADATA_COLUMNS as readonly ColumnSpec[]) {
      const shown = c.shown ?? 'fact';
      expect(facts.includes(c.field as never)).toBe(shown === 'fact');
    }
    expect(METADATA_COLUMNS.filter((c: ColumnSpec) => c.shown === 'summary').map((c) => c.field)).toEqual(['summary']);
    expect(METADATA_COLUMNS.filter((c: ColumnSpec) => c.shown === 'pages').map((c) => c.field)).toEqual(['declaredPageCount']);
    for (const [field, label] of DETAIL_FACTS) expect(label).toBe(FIELD_LABELS[field]);
  });

  it('labels every source and lists each once in precedence order', () => {
    expect(SOURCE_PRECEDENCE).toEqual(['metroninfo', 'comicinfo', 'comicbookinfo', 'pdf', 'epub', 'filename']);
    for (const { source, label } of FIELD_SOURCES) expect(SOURCE_LABELS[source]).toBe(label);
    expect(Object.keys(SOURCE_LABELS)).toHaveLength(SOURCE_PRECEDENCE.length);
  });

  it('searches only text columns of the row', () => {
    for (const column of SEARCH_COLUMNS) expect(specs.find((c) => c.column === column)?.type).toBe('text');
  });

  it('makes an empty metadata record of every field, typed by its column', () => {
    const empty = emptyMetadata();
    expect(Object.keys(empty)).toEqual(METADATA_FIELDS);
    expect(Object.values(empty).every((v) => v === null)).toBe(true);
    expect(METADATA_FIELDS.filter(isNumericField)).toEqual(METADATA_COLUMNS.filter((c) => c.type !== 'text').map((c) => c.field));
  });
});
