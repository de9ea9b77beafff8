// The enriched row as the engine handles it, and its mapping to the shared domain types.
import type {
  ComicFormat,
  ComicMetadata,
  ComicSummary,
  ErrorKind,
  MetadataSources,
} from '../../../shared/types.js';

/** One file's enriched data, before the generation-wide fields (duplicates, ranks) are computed. */
export interface EnrichedRow {
  id: number;
  path: string;
  folder: string;
  file_name: string;
  ext: string;
  format: ComicFormat;
  size: number;
  mtime_ms: number;
  inode: number;
  page_count: number;
  cover_entry: string | null;
  series: string | null;
  number: string | null;
  number_sort: number | null;
  volume: number | null;
  title: string | null;
  year: number | null;
  month: number | null;
  writer: string | null;
  penciller: string | null;
  publisher: string | null;
  genre: string | null;
  summary: string | null;
  declared_page_count: number | null;
  language_iso: string | null;
  manga: string | null;
  /** JSON of MetadataSources. */
  sources: string;
  fingerprint: string;
  error_kind: ErrorKind | null;
  error_message: string | null;
  added_at: number;
  changed_at: number;
}

export interface StoredRow extends EnrichedRow {
  dup_count: number;
  /** The series this comic belongs to (series-key.ts): normalised name and volume. */
  series_key: string;
  rank_series: number;
  rank_title: number;
  rank_added: number;
  rank_size: number;
  rank_file: number;
}

/** The columns a list row needs (no summary, no sources): keeps list queries and JSON small. */
export const SUMMARY_COLUMNS =
  'c.id, c.path, c.folder, c.file_name, c.ext, c.format, c.size, c.mtime_ms, c.page_count, c.series, c.number, c.volume, c.title, c.year, c.writer, c.publisher, c.error_kind, c.error_message, c.fingerprint, c.dup_count, c.added_at, c.series_key, coalesce(u.read, 0) AS read, u.last_page AS last_page';

export type SummaryRow = Pick<
  StoredRow,
  | 'id' | 'path' | 'folder' | 'file_name' | 'ext' | 'format' | 'size' | 'mtime_ms' | 'page_count'
  | 'series' | 'number' | 'volume' | 'title' | 'year' | 'writer' | 'publisher' | 'error_kind'
  | 'error_message' | 'fingerprint' | 'dup_count' | 'added_at' | 'series_key'
> & { read: number; last_page: number | null };

export function toComicSummary(row: SummaryRow): ComicSummary {
  return {
    id: row.id,
    path: row.path,
    folder: row.folder,
    fileName: row.file_name,
    ext: row.ext,
    format: row.format,
    size: row.size,
    mtimeMs: row.mtime_ms,
    pageCount: row.page_count,
    series: row.series,
    seriesKey: row.series_key,
    number: row.number,
    volume: row.volume,
    title: row.title,
    year: row.year,
    writer: row.writer,
    publisher: row.publisher,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    fingerprint: row.fingerprint,
    duplicateCount: row.dup_count,
    read: row.read === 1,
    lastPage: row.last_page ?? null,
    addedAt: row.added_at,
  };
}

export function metadataOf(row: EnrichedRow): ComicMetadata {
  return {
    series: row.series,
    number: row.number,
    volume: row.volume,
    title: row.title,
    year: row.year,
    month: row.month,
    writer: row.writer,
    penciller: row.penciller,
    publisher: row.publisher,
    genre: row.genre,
    summary: row.summary,
    declaredPageCount: row.declared_page_count,
    languageIso: row.language_iso,
    manga: row.manga,
  };
}

export function parseSources(json: string): MetadataSources {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as MetadataSources) : {};
  } catch {
    return {};
  }
}

/** A sortable number for issue numbers like "12", "1.5", "½", "-1", "12a"; null when there is none. */
export function numberSortKey(number: string | null): number | null {
  if (number === null) return null;
  const trimmed = number.trim();
  if (trimmed === '½' || trimmed === '1/2') return 0.5;
  const match = /^-?\d+(?:\.\d+)?/.exec(trimmed);
  return match ? Number(match[0]) : null;
}
