// Generation-wide fields computed in the worker before writing: duplicate counts, series keys and
// sort ranks. The sort keys are a function of one row and its series' usual volume only (no walk
// position: ties end on the raw path, unique in a generation), so a delta generation (delta-writer.ts)
// can place a changed row among the others without computing every row's key.
import type { EnrichedRow, StoredRow } from './comic-row.js';
import { seriesIdentity } from './series-key.js';
import { RANK_COLUMN_OF } from './schema.js';
import { SORT_KEYS, type SortKey } from '../../../shared/types.js';

export type SortTuple = Array<string | number>;

/** The sort orders of the comics (the contract's SortKey), each with its dense rank column (schema.ts). */
export const SORT_ORDERS = SORT_KEYS;
export type SortOrder = SortKey;
export { RANK_COLUMN_OF };

/** The row fields the sort keys are made of. */
export type SortInputs = Pick<EnrichedRow, 'path' | 'file_name' | 'title' | 'series' | 'number' | 'number_sort' | 'size' | 'added_at'>;

/** Lower-cased with digit runs zero-padded, so "Saga 2" sorts before "Saga 10" with plain `<`. */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(12, '0'));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Text in code point order, which is SQLite's (UTF-8 bytes, BINARY collation): JS's `<` compares
 * UTF-16 code units, which puts a character above U+FFFF before one in U+E000–U+FFFF.
 */
export function compareText(a: string, b: string): number {
  if (SURROGATE.test(a) || SURROGATE.test(b)) {
    const x = [...a];
    const y = [...b];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    }
    return x.length - y.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sort keys in the order SQLite gives them (next-generation.ts ranks them there). */
export function compareTuples(a: SortTuple, b: SortTuple): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' && typeof y === 'string') {
      const c = compareText(x, y);
      if (c !== 0) return c;
      continue;
    }
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Series names differ in punctuation between sources ("Cyclone: Rebirth" / "Cyclone - Rebirth"). */
export function seriesKey(name: string): string {
  return naturalKey(name.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
}

/** The normalised series name a row sorts and groups under. */
export function seriesNameOf(row: Pick<EnrichedRow, 'series' | 'file_name'>): string {
  return seriesKey(row.series ?? row.file_name);
}

/** The volume a stored row was grouped under, read back from its series key (`name~volume`). */
export function volumeOfSeriesKey(key: string): number | null {
  const tilde = key.lastIndexOf('~');
  return tilde >= 0 ? Number(key.slice(tilde + 1)) : null;
}

/** Counts the volumes that the issues of each series carry (issues without one are not counted). */
export class VolumeCounts {
  readonly #counts = new Map<string, Map<number, number>>();

  add(seriesName: string, volume: number | null): void {
    if (volume === null) return;
    const perSeries = this.#counts.get(seriesName) ?? new Map<number, number>();
    perSeries.set(volume, (perSeries.get(volume) ?? 0) + 1);
    this.#counts.set(seriesName, perSeries);
  }

  /** The volume most issues of the series carry (the lower one on a tie); null when none has one. */
  usual(seriesName: string): number | null {
    const perSeries = this.#counts.get(seriesName);
    if (!perSeries) return null;
    let best: number | null = null;
    let bestCount = 0;
    for (const [volume, count] of perSeries) {
      if (count > bestCount || (count === bestCount && best !== null && volume < best)) {
        best = volume;
        bestCount = count;
      }
    }
    return best;
  }
}

/** Every sort order's key of one row; `volume` is the effective one (its own, else its series' usual). */
export function sortKeysOf(row: SortInputs, volume: number | null): Record<SortOrder, SortTuple> {
  const pathKey = naturalKey(row.path);
  return {
    series: [seriesNameOf(row), volume ?? -1, row.number_sort ?? Number.MAX_SAFE_INTEGER, naturalKey(row.number ?? ''), pathKey, row.path],
    title: [naturalKey(row.title ?? row.series ?? row.file_name), pathKey, row.path],
    added: [row.added_at, pathKey, row.path],
    size: [row.size, pathKey, row.path],
    file: [naturalKey(row.file_name), pathKey, row.path],
  };
}

/** Dense 0-based rank of each key (keys are distinct: each ends on the row's path). */
function ranksOf(keys: readonly SortTuple[]): Int32Array {
  const order = keys.map((_, index) => index);
  order.sort((a, b) => compareTuples(keys[a]!, keys[b]!));
  const ranks = new Int32Array(keys.length);
  order.forEach((rowIndex, rank) => {
    ranks[rowIndex] = rank;
  });
  return ranks;
}

/**
 * The volume a row sorts under: its own, else the one most issues of its series carry. Without this a
 * single issue with no ComicInfo volume sorts apart from the rest of its series (#6 before #1).
 */
export function effectiveVolume(row: Pick<EnrichedRow, 'volume'>, seriesName: string, counts: VolumeCounts): number | null {
  return row.volume ?? counts.usual(seriesName);
}

export function withGenerationFields(rows: readonly EnrichedRow[]): StoredRow[] {
  const names = rows.map(seriesNameOf);
  const counts = new VolumeCounts();
  rows.forEach((row, i) => counts.add(names[i]!, row.volume));
  // The same volume groups the issues into series (series_key) and sorts them.
  const volumes = rows.map((row, i) => effectiveVolume(row, names[i]!, counts));
  const keys = rows.map((row, i) => sortKeysOf(row, volumes[i]!));
  const ranks = Object.fromEntries(SORT_ORDERS.map((order) => [order, ranksOf(keys.map((k) => k[order]))])) as Record<SortOrder, Int32Array>;

  const dupCounts = new Map<string, number>();
  for (const row of rows) {
    if (row.error_kind === null) dupCounts.set(row.fingerprint, (dupCounts.get(row.fingerprint) ?? 0) + 1);
  }
  return rows.map((row, i) => ({
    ...row,
    dup_count: row.error_kind === null ? dupCounts.get(row.fingerprint)! : 1,
    series_key: seriesIdentity(row.series ?? row.file_name, volumes[i] ?? null),
    rank_series: ranks.series[i]!,
    rank_title: ranks.title[i]!,
    rank_added: ranks.added[i]!,
    rank_size: ranks.size[i]!,
    rank_file: ranks.file[i]!,
  }));
}
