// The next issue of a series: the comic after this one in series order (the library sorted by
// series) that belongs to the same series (any volume: after the last issue of volume 1 comes volume 2) and
// can be read.
import type { ComicQuery, ComicSummary } from '../../shared/types.js';

export type ListComics = (query: ComicQuery) => Promise<{ items: ComicSummary[]; total: number }>;

const BATCH = 200;
/** Series longer than this (in search hits before the current issue) are not walked further. */
const MAX_SCANNED = 2000;

/** The name part of a series key (`saga~2` → `saga`): the next volume's first issue follows the last one. */
function seriesName(key: string): string {
  const tilde = key.lastIndexOf('~');
  return tilde < 0 ? key : key.slice(0, tilde);
}

export async function findNextIssue(listComics: ListComics, comic: Pick<ComicSummary, 'id' | 'series' | 'seriesKey'>): Promise<ComicSummary | null> {
  if (!comic.series) return null;
  // Every issue of the series matches a search for its name; other series may too, but they sort
  // elsewhere and have another seriesKey.
  let found = false;
  for (let offset = 0; offset < MAX_SCANNED; offset += BATCH) {
    const page = await listComics({ q: comic.series, sort: 'series', order: 'asc', offset, limit: BATCH });
    for (const item of page.items) {
      if (found) {
        if (seriesName(item.seriesKey) !== seriesName(comic.seriesKey)) return null;
        if (!item.errorKind) return item;
        continue;
      }
      if (item.id === comic.id) found = true;
    }
    if (offset + BATCH >= page.total) break;
  }
  return null;
}
