// The comic row, described once. Every column of the enriched-row table is one entry below, in column
// order; the rest follows from it:
//   - the DDL of `comics` / `comics_next` (electron/library/store/schema.ts) and the FTS column list,
//   - the engine's row types (EnrichedRow, StoredRow) and the list query's columns (store/comic-row.ts),
//   - the row → ComicSummary / ComicDetail mapping and the enrich output (enrich.ts),
//   - ComicMetadata and the merge of the metadata layers (metadata/merge.ts),
//   - the details panel's labels (renderer/components/DetailsPanel.tsx).
// Adding a metadata field is one entry here (plus whichever parsers fill it). Pure TypeScript: the
// renderer imports the labels from here too.

/** Container format detected from the file's magic bytes (never from its extension). */
export const COMIC_FORMATS = ['zip', 'rar', '7z', 'tar', 'pdf', 'epub', 'unknown'] as const;
export type ComicFormat = (typeof COMIC_FORMATS)[number];

/** Why a file could not be read. One bad file is one row with an error, never a failed rebuild. */
export type ErrorKind =
  | 'not-archive' // magic bytes match no supported container
  | 'corrupt' // structure is damaged (bad central directory, bad header)
  | 'truncated' // file ends before its structure says it should
  | 'encrypted' // password protected
  | 'multi-volume' // needs other volumes we do not read
  | 'empty' // 0 bytes
  | 'no-images' // a valid archive without a single page
  | 'unsupported' // a format recognised but not read (e.g. a 7z method 7-Zip lacks); kept for older rows
  | 'too-large' // over a per-file limit (entries, declared sizes, metadata size)
  | 'timeout' // reading took longer than the per-file time limit
  | 'unreadable'; // the OS refused (permission denied, vanished between walk and read, I/O error)

/**
 * Where a metadata field can come from, in precedence order: for every field the first source with a
 * value wins (metadata/merge.ts). Tagged comic schemas beat generic document metadata, which beats
 * guessing from the name. MetronInfo comes before ComicInfo because taggers that write both
 * (Metron-Tagger, comicbox) derive ComicInfo from the same record and MetronInfo keeps what ComicInfo
 * flattens (typed dates, credit roles, series volume). `pdf` and `epub` are the one document layer.
 */
export const FIELD_SOURCES = [
  { source: 'metroninfo', label: 'MetronInfo' },
  { source: 'comicinfo', label: 'ComicInfo' },
  { source: 'comicbookinfo', label: 'ComicBookInfo' },
  { source: 'pdf', label: 'PDF metadata' },
  { source: 'epub', label: 'EPUB metadata' },
  { source: 'filename', label: 'file name' },
] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number]['source'];
export const SOURCE_PRECEDENCE: readonly FieldSource[] = FIELD_SOURCES.map((s) => s.source);
export const SOURCE_LABELS = Object.fromEntries(FIELD_SOURCES.map((s) => [s.source, s.label])) as Record<FieldSource, string>;

/** What a column holds in TypeScript; its SQL type follows (COLUMN_SQL_TYPES). */
export interface ColumnValues {
  text: string;
  int: number;
  real: number;
  format: ComicFormat;
  errorKind: ErrorKind;
}
export type ColumnType = keyof ColumnValues;
export const COLUMN_SQL_TYPES: Readonly<Record<ColumnType, 'TEXT' | 'INTEGER' | 'REAL'>> = {
  text: 'TEXT',
  int: 'INTEGER',
  real: 'REAL',
  format: 'TEXT',
  errorKind: 'TEXT',
};

/**
 * Who fills a column:
 * - `file`: enrich.ts, from the walk and the archive (EnrichedFile);
 * - `metadata`: enrich.ts, the merged metadata (a ComicMetadata field, named by `field`);
 * - `identity`: the rebuild, which keeps a comic's id and first-seen time across rebuilds (EnrichedRow);
 * - `generation`: computed over the whole generation before it is written (ranks.ts; StoredRow only).
 */
export type ColumnStage = 'file' | 'metadata' | 'identity' | 'generation';

export interface ColumnSpec {
  readonly column: string;
  readonly type: ColumnType;
  readonly stage: ColumnStage;
  readonly nullable?: true;
  readonly primaryKey?: true;
  /** The ComicSummary property this column fills (metadata fields: set `list` instead). */
  readonly summary?: string;
  /** The ComicDetail property this column fills (beyond ComicSummary's). */
  readonly detail?: string;
  /** Metadata only: the ComicMetadata field. */
  readonly field?: string;
  /** Metadata only: also a ComicSummary property of the same name (the list view shows it). */
  readonly list?: true;
  /** Metadata only: the details panel's label. */
  readonly label?: string;
  /**
   * Metadata only: where the details panel shows it: `fact` (the Metadata list, the default), `summary`
   * (the paragraph under the actions), `pages` (next to the real page count in the File section).
   */
  readonly shown?: 'fact' | 'summary' | 'pages';
}

export const COMIC_ROW = [
  { column: 'id', type: 'int', stage: 'identity', primaryKey: true, summary: 'id' },
  /** Relative to the library root, with forward slashes. */
  { column: 'path', type: 'text', stage: 'file', summary: 'path' },
  { column: 'folder', type: 'text', stage: 'file', summary: 'folder' },
  { column: 'file_name', type: 'text', stage: 'file', summary: 'fileName' },
  { column: 'ext', type: 'text', stage: 'file', summary: 'ext' },
  { column: 'format', type: 'format', stage: 'file', summary: 'format' },
  { column: 'size', type: 'int', stage: 'file', summary: 'size' },
  { column: 'mtime_ms', type: 'real', stage: 'file', summary: 'mtimeMs' },
  { column: 'inode', type: 'int', stage: 'file' },
  { column: 'page_count', type: 'int', stage: 'file', summary: 'pageCount' },
  { column: 'cover_entry', type: 'text', stage: 'file', nullable: true },
  { column: 'series', type: 'text', stage: 'metadata', nullable: true, field: 'series', list: true, label: 'Series' },
  { column: 'number', type: 'text', stage: 'metadata', nullable: true, field: 'number', list: true, label: 'Number' },
  /** A sortable number for the issue number (comic-row.ts numberSortKey). */
  { column: 'number_sort', type: 'real', stage: 'file', nullable: true },
  { column: 'volume', type: 'int', stage: 'metadata', nullable: true, field: 'volume', list: true, label: 'Volume' },
  { column: 'title', type: 'text', stage: 'metadata', nullable: true, field: 'title', list: true, label: 'Title' },
  { column: 'year', type: 'int', stage: 'metadata', nullable: true, field: 'year', list: true, label: 'Year' },
  { column: 'month', type: 'int', stage: 'metadata', nullable: true, field: 'month', label: 'Month' },
  { column: 'writer', type: 'text', stage: 'metadata', nullable: true, field: 'writer', list: true, label: 'Writer' },
  { column: 'penciller', type: 'text', stage: 'metadata', nullable: true, field: 'penciller', label: 'Penciller' },
  { column: 'publisher', type: 'text', stage: 'metadata', nullable: true, field: 'publisher', list: true, label: 'Publisher' },
  { column: 'genre', type: 'text', stage: 'metadata', nullable: true, field: 'genre', label: 'Genre' },
  { column: 'summary', type: 'text', stage: 'metadata', nullable: true, field: 'summary', label: 'Summary', shown: 'summary' },
  /** PageCount as the metadata declares it (the real count is page_count). */
  { column: 'declared_page_count', type: 'int', stage: 'metadata', nullable: true, field: 'declaredPageCount', label: 'Declared pages', shown: 'pages' },
  { column: 'language_iso', type: 'text', stage: 'metadata', nullable: true, field: 'languageIso', label: 'Language' },
  { column: 'manga', type: 'text', stage: 'metadata', nullable: true, field: 'manga', label: 'Manga' },
  /** JSON of MetadataSources: where each metadata field came from. */
  { column: 'sources', type: 'text', stage: 'file' },
  { column: 'fingerprint', type: 'text', stage: 'file', summary: 'fingerprint' },
  /**
   * Hash of everything the enrichment read from the archive's listing (enrich-signature.ts); a touched
   * file whose fresh listing has the same signature keeps this row's enrichment without reading its
   * metadata entry again. Null: no reuse (an error row, a row written before the column existed).
   */
  { column: 'enrich_signature', type: 'text', stage: 'file', nullable: true },
  /** Files in the generation with the same fingerprint (1 = unique). */
  { column: 'dup_count', type: 'int', stage: 'generation', summary: 'duplicateCount' },
  /**
   * The series this comic belongs to (series-key.ts): normalised name and volume, e.g. `cyclone-rebirth~2`.
   * Generation-wide like the ranks: it depends on the volume most issues of a series carry.
   */
  { column: 'series_key', type: 'text', stage: 'generation', summary: 'seriesKey' },
  { column: 'error_kind', type: 'errorKind', stage: 'file', nullable: true, summary: 'errorKind' },
  { column: 'error_message', type: 'text', stage: 'file', nullable: true, summary: 'errorMessage' },
  /** When this file was first seen in the library (epoch ms). */
  { column: 'added_at', type: 'int', stage: 'identity', summary: 'addedAt' },
  { column: 'changed_at', type: 'int', stage: 'identity', detail: 'lastChangedAt' },
  // Dense 0-based positions in each sort order, computed when the generation is written: a page at
  // any depth is an index range seek (`rank_x >= offset`), not an OFFSET scan (docs/architecture.md §8).
  { column: 'rank_series', type: 'int', stage: 'generation' },
  { column: 'rank_title', type: 'int', stage: 'generation' },
  { column: 'rank_added', type: 'int', stage: 'generation' },
  { column: 'rank_size', type: 'int', stage: 'generation' },
  { column: 'rank_file', type: 'int', stage: 'generation' },
] as const satisfies readonly ColumnSpec[];

export type ComicColumnSpec = (typeof COMIC_ROW)[number];
type Spec = ComicColumnSpec;
type ValueOf<S extends Spec> = ColumnValues[S['type']] | (S extends { nullable: true } ? null : never);

export type ComicColumn = Spec['column'];
/** The whole stored row, keyed by column. */
export type ComicRowOf<S extends Spec = Spec> = { [C in S as C['column']]: ValueOf<C> };

type MetadataSpec = Extract<Spec, { stage: 'metadata' }>;
/** A comic's merged metadata: one property per `metadata` column, null when unknown. */
export type ComicMetadata = { [C in MetadataSpec as C['field']]: ValueOf<C> };
export type MetadataField = keyof ComicMetadata;
export type MetadataSources = Partial<Record<MetadataField, FieldSource>>;

/** The metadata columns, in column (and display) order. */
export const METADATA_COLUMNS: readonly MetadataSpec[] = COMIC_ROW.filter((c): c is MetadataSpec => c.stage === 'metadata');
/** Every ComicMetadata field, in display order. */
export const METADATA_FIELDS: readonly MetadataField[] = METADATA_COLUMNS.map((c) => c.field);

type ListedSpec = Extract<MetadataSpec, { list: true }>;
type SummarySpec = Extract<Spec, { summary: string }>;
/** The columns a list row reads: those with a `summary` name and the listed metadata fields. */
export type SummaryColumnSpec = SummarySpec | ListedSpec;
/** The columns' part of ComicSummary (shared/types.ts adds the user's state). */
export type ComicSummaryColumns = { [C in SummarySpec as C['summary']]: ValueOf<C> } & {
  [C in ListedSpec as C['field']]: ValueOf<C>;
};

/** A ComicMetadata with every field unknown. */
export function emptyMetadata(): ComicMetadata {
  return Object.fromEntries(METADATA_FIELDS.map((field) => [field, null])) as ComicMetadata;
}

/** Whether a metadata field holds a number (merge.ts converts values to the field's own type). */
export function isNumericField(field: MetadataField): boolean {
  return METADATA_COLUMNS.some((c) => c.field === field && c.type !== 'text');
}

/** The details panel's "Metadata" list: label per field shown as a fact, in display order. */
export const DETAIL_FACTS: ReadonlyArray<readonly [MetadataField, string]> = METADATA_COLUMNS.filter(
  (c: ColumnSpec) => (c.shown ?? 'fact') === 'fact',
).map((c) => [c.field, c.label] as const);

/** Every metadata field's label (for the facts list, the summary and the declared page count alike). */
export const FIELD_LABELS = Object.fromEntries(METADATA_COLUMNS.map((c) => [c.field, c.label])) as Record<MetadataField, string>;

/**
 * The full-text index's columns, in the order of its DDL (kept as created: an FTS5 table's columns are
 * positional). Free text matches series, title, writer, file name, publisher and folder names.
 */
export const SEARCH_COLUMNS = ['series', 'title', 'writer', 'file_name', 'publisher', 'folder'] as const satisfies readonly ComicColumn[];
