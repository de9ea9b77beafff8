// The identity of a series: its normalised name and volume, as one URL-safe string.
// "Cyclone: Rebirth", "cyclone - rebirth" and "Cyclone_Rebirth" (volume 2) are all `cyclone-rebirth~2`.
// The name part uses the same normalisation as the series sort order (ranks.ts seriesKey: NFKC, case
// folded, every run of non-letters/digits one separator, leading zeros of numbers ignored), so a
// series' issues are exactly the comics that sort together under one name and volume.

/** Longest name part kept: far beyond real series names, short enough for a URL segment. */
export const MAX_SERIES_KEY_NAME = 200;

/** `name-words~volume` (`~volume` only when there is one): letters, marks and digits of any script, `-`, `~`. */
export function seriesIdentity(name: string, volume: number | null): string {
  // Split before lower-casing, as the sort does: lower-casing can turn a letter into letter + mark (İ).
  const words = name.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const base = words
    .map((word) => word.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '')))
    .join('-')
    .slice(0, MAX_SERIES_KEY_NAME)
    .replace(/-+$/, '');
  // A name of punctuation only ("???") still needs a key of its own.
  const key = base === '' ? '_' : base;
  return volume === null ? key : `${key}~${volume}`;
}
