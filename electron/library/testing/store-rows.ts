// Rows for store tests: a readable comic in Folder/ with every field settable.
import type { EnrichedRow } from '../store/comic-row.js';

export function testRow(id: number, fields: Partial<EnrichedRow> = {}): EnrichedRow {
  const fileName = fields.file_name ?? `Comic ${id}.cbz`;
  return {
    id,
    path: `Folder/${fileName}`,
    folder: 'Folder',
    file_name: fileName,
    ext: '.cbz',
    format: 'zip',
    size: 1000 + id,
    mtime_ms: 1_600_000_000_000 + id,
    inode: id,
    page_count: 10,
    cover_entry: '001.jpg',
    series: null,
    number: null,
    number_sort: null,
    volume: null,
    title: null,
    year: null,
    month: null,
    writer: null,
    penciller: null,
    publisher: null,
    genre: null,
    summary: null,
    declared_page_count: null,
    language_iso: null,
    manga: null,
    sources: '{}',
    fingerprint: `fp${id}`,
    error_kind: null,
    error_message: null,
    added_at: 1000 + id,
    changed_at: 1000 + id,
    ...fields,
  };
}

