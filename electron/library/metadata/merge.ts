// Merges metadata layers field by field: the first layer with a value wins, and the winner's source is
// recorded per field. The engine's one precedence rule is SOURCE_PRECEDENCE (shared/comic-fields.ts):
//
//   MetronInfo.xml > ComicInfo.xml > ComicBookInfo > the document's own metadata (PDF Info, EPUB OPF) > file name
//
// layersInPrecedence() puts the layers in that order; mergeMetadata() takes them as given. The fields
// and their types (text or number) are the row table's metadata columns.
import { METADATA_FIELDS, SOURCE_PRECEDENCE, emptyMetadata, isNumericField } from '../../../shared/comic-fields.js';
import type { ComicMetadata, FieldSource, MetadataField, MetadataSources } from '../../../shared/types.js';

export interface MetadataLayer {
  source: FieldSource;
  metadata: Partial<ComicMetadata> | null;
}

export interface MergedMetadata {
  metadata: ComicMetadata;
  sources: MetadataSources;
}

export { METADATA_FIELDS, emptyMetadata };

/** The layers found for one file, keyed by source, in SOURCE_PRECEDENCE order (absent sources left out). */
export function layersInPrecedence(found: Partial<Record<FieldSource, Partial<ComicMetadata> | null>>): MetadataLayer[] {
  return SOURCE_PRECEDENCE.filter((source) => source in found).map((source) => ({ source, metadata: found[source] ?? null }));
}

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
const NUMERIC: ReadonlySet<MetadataField> = new Set(METADATA_FIELDS.filter(isNumericField));

function normalise(field: MetadataField, value: unknown): string | number | null {
  if (NUMERIC.has(field)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : null;
  }
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
