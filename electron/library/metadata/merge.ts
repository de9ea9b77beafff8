// Merges metadata layers field by field: the first layer with a value wins, and the winner's source is
// recorded per field. The engine's one precedence rule (enrich.ts passes the layers in this order):
//
//   MetronInfo.xml > ComicInfo.xml > ComicBookInfo > the document's own metadata (PDF Info, EPUB OPF) > file name
//
// Tagged comic schemas beat generic document metadata, which beats guessing from the name. MetronInfo
// comes before ComicInfo because taggers that write both (Metron-Tagger, comicbox) derive ComicInfo from
// the same record and MetronInfo keeps what ComicInfo flattens (typed dates, credit roles, series volume).
import type { ComicMetadata, FieldSource, MetadataField, MetadataSources } from '../../../shared/types.js';

export interface MetadataLayer {
  source: FieldSource;
  metadata: Partial<ComicMetadata> | null;
}

export interface MergedMetadata {
  metadata: ComicMetadata;
  sources: MetadataSources;
}

/** Every ComicMetadata field, in display order. */
export const METADATA_FIELDS: readonly MetadataField[] = [
  'series',
  'number',
  'volume',
  'title',
  'year',
  'month',
  'writer',
  'penciller',
  'publisher',
  'genre',
  'summary',
  'declaredPageCount',
  'languageIso',
  'manga',
];

export function emptyMetadata(): ComicMetadata {
  return {
    series: null,
    number: null,
    volume: null,
    title: null,
    year: null,
    month: null,
    writer: null,
    penciller: null,
    publisher: null,
    genre: null,
    summary: null,
    declaredPageCount: null,
    languageIso: null,
    manga: null,
  };
}

const NUMERIC_FIELDS: ReadonlySet<MetadataField> = new Set<MetadataField>(['volume', 'year', 'month', 'declaredPageCount']);

export function mergeMetadata(layers: ReadonlyArray<MetadataLayer>): MergedMetadata {
  const metadata = emptyMetadata();
  const out = metadata as unknown as Record<MetadataField, string | number | null>;
  const sources: MetadataSources = {};
  for (const field of METADATA_FIELDS) {
    for (const layer of layers) {
      const value = normalise(field, layer.metadata?.[field]);
      if (value === null) continue;
      out[field] = value;
      sources[field] = layer.source;
      break;
    }
  }
  return { metadata, sources };
}

/**
 * The value in the field's own type, or null when unknown: null, undefined, blank strings and non-finite
 * numbers. A layer built outside the type system (e.g. from JSON) may carry the wrong type; it is
 * converted rather than trusted, so the output's types stay honest.
 */
function normalise(field: MetadataField, value: unknown): string | number | null {
  if (NUMERIC_FIELDS.has(field)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : null;
  }
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
