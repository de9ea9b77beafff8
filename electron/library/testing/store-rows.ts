// Rows for store tests: a readable comic in Folder/ with every field settable.
import { METADATA_COLUMNS } from '../../../shared/comic-fields.js';
import type { EnrichedRow } from '../store/comic-row.js';

type MetadataColumns = Pick<EnrichedRow, (typeof METADATA_COLUMNS)[number]['column']>;

/** Every metadata column (shared/comic-fields.ts) unknown. */
function unknownMetadataColumns(): MetadataColumns {
  return Object.fromEntries(METADATA_COLUMNS.map((c) => [c.column, null])) as MetadataColumns;
}

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
    ...unknownMetadataColumns(),
    number_sort: null,
    sources: '{}',
    fingerprint: `fp${id}`,
    enrich_signature: null,
    error_kind: null,
    error_message: null,
    added_at: 1000 + id,
    changed_at: 1000 + id,
    ...fields,
  };
}

