// Generation-wide fields computed in the worker before writing: duplicate counts and sort ranks.
import type { EnrichedRow, StoredRow } from './comic-row.js';
import { seriesIdentity } from './series-key.js';

type SortTuple = Array<string | number>;

/** Lower-cased with digit runs zero-padded, so "Saga 2" sorts before "Saga 10" with plain `<`. */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(12, '0'));
}

function compareTuples(a: SortTuple, b: SortTuple): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** Dense 0-based rank of each row in the order given by `key` (ties broken by the row's position). */
function ranksBy(rows: readonly EnrichedRow[], key: (row: EnrichedRow) => SortTuple): Int32Array {
  const keys = rows.map((row, index) => [...key(row), index]);
  const order = rows.map((_, index) => index);
  order.sort((a, b) => compareTuples(keys[a]!, keys[b]!));
  const ranks = new Int32Array(rows.length);
  order.forEach((rowIndex, rank) => {
    ranks[rowIndex] = rank;
  });
  return ranks;
}

/**
 * The volume a row sorts under: its own, else the one most issues of its series carry. Without this a
 * single issue with no ComicInfo volume sorts apart from the rest of its series (#6 before #1).
 */
function effectiveVolumes(rows: readonly EnrichedRow[], seriesKeys: readonly string[]): Array<number | null> {
  const counts = new Map<string, Map<number, number>>();
  rows.forEach((row, i) => {
    if (row.volume === null) return;
    const perSeries = counts.get(seriesKeys[i]!) ?? new Map<number, number>();
    perSeries.set(row.volume, (perSeries.get(row.volume) ?? 0) + 1);
    counts.set(seriesKeys[i]!, perSeries);
  });
  const usual = new Map<string, number>();
  for (const [series, perSeries] of counts) {
    let best = -1;
    let bestCount = 0;
    for (const [volume, count] of perSeries) {
      if (count > bestCount || (count === bestCount && volume < best)) {
        best = volume;
        bestCount = count;
      }
    }
    usual.set(series, best);
  }
  return rows.map((row, i) => row.volume ?? usual.get(seriesKeys[i]!) ?? null);
}

/** Series names differ in punctuation between sources ("Cyclone: Rebirth" / "Cyclone - Rebirth"). */
export function seriesKey(name: string): string {
  return naturalKey(name.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
}

export function withGenerationFields(rows: readonly EnrichedRow[]): StoredRow[] {
  const seriesKeys = rows.map((row) => seriesKey(row.series ?? row.file_name));
  // The same volume groups the issues into series (series_key) and sorts them.
  const volumes = effectiveVolumes(rows, seriesKeys);
  const fileKeys = rows.map((row) => naturalKey(row.file_name));
  const pathKeys = rows.map((row) => naturalKey(row.path));
  const indexOf = new Map<EnrichedRow, number>(rows.map((row, i) => [row, i]));
  const idx = (row: EnrichedRow) => indexOf.get(row)!;

  const series = ranksBy(rows, (r) => [
    seriesKeys[idx(r)]!,
    volumes[idx(r)] ?? -1,
    r.number_sort ?? Number.MAX_SAFE_INTEGER,
    naturalKey(r.number ?? ''),
    pathKeys[idx(r)]!,
  ]);
  const title = ranksBy(rows, (r) => [naturalKey(r.title ?? r.series ?? r.file_name), pathKeys[idx(r)]!]);
  const added = ranksBy(rows, (r) => [r.added_at, pathKeys[idx(r)]!]);
  const size = ranksBy(rows, (r) => [r.size, pathKeys[idx(r)]!]);
  const file = ranksBy(rows, (r) => [fileKeys[idx(r)]!, pathKeys[idx(r)]!]);

  const dupCounts = new Map<string, number>();
  for (const row of rows) {
    if (row.error_kind === null) dupCounts.set(row.fingerprint, (dupCounts.get(row.fingerprint) ?? 0) + 1);
  }
  return rows.map((row, i) => ({
    ...row,
    dup_count: row.error_kind === null ? dupCounts.get(row.fingerprint)! : 1,
    series_key: seriesIdentity(row.series ?? row.file_name, volumes[i] ?? null),
    rank_series: series[i]!,
    rank_title: title[i]!,
    rank_added: added[i]!,
    rank_size: size[i]!,
    rank_file: file[i]!,
  }));
}
