// The enriched row as the engine handles it, and its mapping to the shared domain types. Both follow
// the row table in shared/comic-fields.ts: a column added there is stored, read and mapped here.
import {
  COMIC_ROW,
  METADATA_COLUMNS,
  type ColumnSpec,
  type ComicColumnSpec,
  type ComicRowOf,
  type SummaryColumnSpec,
} from '../../../shared/comic-fields.js';
import type { ComicMetadata, ComicSummary, MetadataSources } from '../../../shared/types.js';

/** One file's enriched data, before the generation-wide fields (duplicates, ranks) are computed. */
export type EnrichedRow = ComicRowOf<Exclude<ComicColumnSpec, { stage: 'generation' }>>;

/** A row as stored: with the generation-wide columns (dup_count, series_key, ranks). */
export type StoredRow = ComicRowOf;

/** A ComicSummary property and the column it is read from. */
const SUMMARY_FIELDS: ReadonlyArray<readonly [string, SummaryColumnSpec['column']]> = COMIC_ROW.flatMap((c: ColumnSpec) => {
  if (c.summary !== undefined) return [[c.summary, c.column as SummaryColumnSpec['column']] as const];
  if (c.list && c.field !== undefined) return [[c.field, c.column as SummaryColumnSpec['column']] as const];
  return [];
});

/** The columns a list row needs (no summary, no sources): keeps list queries and JSON small. */
export const SUMMARY_COLUMNS = [
  ...SUMMARY_FIELDS.map(([, column]) => `c.${column}`),
  'coalesce(u.read, 0) AS read',
  'u.last_page AS last_page',
  'coalesce(u.favourite, 0) AS favourite',
].join(', ');

export type SummaryRow = Pick<StoredRow, SummaryColumnSpec['column']> & { read: number; last_page: number | null; favourite: number };

export function toComicSummary(row: SummaryRow): ComicSummary {
  const summary: Record<string, unknown> = {};
  for (const [property, column] of SUMMARY_FIELDS) summary[property] = row[column];
  summary.read = row.read === 1;
  summary.favourite = row.favourite === 1;
  summary.lastPage = row.last_page ?? null;
  return summary as unknown as ComicSummary;
}

export function metadataOf(row: EnrichedRow): ComicMetadata {
  const metadata: Record<string, unknown> = {};
  for (const c of METADATA_COLUMNS) metadata[c.field] = row[c.column];
  return metadata as ComicMetadata;
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
