// Number, size and time formatting for the UI (en-US grouping, compact units).
import type { ComicSummary, ComicFormat, RebuildPhase, SortKey } from '../../shared/types.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** "45 s", "3 min", "2 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "updated 5 s ago" / "updated 3 min ago" / "updated 2 h ago" / "updated 4 d ago". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `updated ${s} s ago`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `updated ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `updated ${hours} h ago`;
  return `updated ${Math.floor(hours / 24)} d ago`;
}

export function formatDate(epochMs: number): string {
  return new Date(epochMs).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export const PHASE_LABELS: Record<RebuildPhase, string> = {
  idle: 'Starting',
  scanning: 'Scanning',
  enriching: 'Reading files',
  writing: 'Writing',
  swapping: 'Finishing',
};

export const FORMAT_LABELS: Record<ComicFormat, string> = {
  zip: 'ZIP',
  rar: 'RAR',
  '7z': '7z',
  tar: 'TAR',
  pdf: 'PDF',
  epub: 'EPUB',
  unknown: 'Unknown',
};

type Numbered = Pick<ComicSummary, 'number'> & Partial<Pick<ComicSummary, 'volume'>>;

/**
 * Which one of its series a comic is: "#12", else "Vol. 3" for a book known only by its volume (manga
 * tankōbon, "Series v03"), else null. (With an issue number the volume is the series' own.)
 */
export function issueLabel(comic: Numbered): string | null {
  if (comic.number) return `#${comic.number}`;
  return comic.volume !== null && comic.volume !== undefined ? `Vol. ${comic.volume}` : null;
}

/** The line a comic is known by: "Saga #12" (or "Berserk Vol. 3"), else its title, else the file name. */
export function displayTitle(comic: Pick<ComicSummary, 'series' | 'title' | 'fileName'> & Numbered): string {
  if (comic.series) return seriesAndNumber(comic)!;
  if (comic.title) return comic.title;
  return comic.fileName;
}

/** A second line under the title: the title when the first line is series+number, else the year/writer. */
export function displaySubtitle(comic: Pick<ComicSummary, 'series' | 'title' | 'year' | 'writer'>): string {
  const parts: string[] = [];
  if (comic.series && comic.title) parts.push(comic.title);
  else {
    if (comic.year) parts.push(String(comic.year));
    if (comic.writer) parts.push(comic.writer);
  }
  return parts.join(' · ');
}

/** "Saga #12", "Berserk Vol. 3", "Saga" — or null without a series. */
export function seriesAndNumber(comic: Pick<ComicSummary, 'series'> & Numbered): string | null {
  if (!comic.series) return null;
  const issue = issueLabel(comic);
  return issue ? `${comic.series} ${issue}` : comic.series;
}

/**
 * What the Title sort orders by, shown as it orders (the engine's rank_title: the title, else the
 * series, else the file name), so a list sorted by Title reads in order.
 */
export function titleSortText(comic: Pick<ComicSummary, 'series' | 'title' | 'fileName'>): string {
  return comic.title ?? comic.series ?? comic.fileName;
}

/** The two caption lines under a cover: the series (or title, or file name) keeps its own line so a
 * long series name never hides the issue number, which leads the second line. Sorted by Title, the
 * title leads (the bold line is what the order follows) and the series and number follow. */
export function gridCaption(comic: Pick<ComicSummary, 'series' | 'title' | 'fileName' | 'year' | 'writer'> & Numbered, sort?: SortKey): { title: string; subtitle: string } {
  if (sort === 'title' && comic.title) {
    return { title: comic.title, subtitle: seriesAndNumber(comic) ?? displaySubtitle({ ...comic, series: null }) };
  }
  if (comic.series) {
    const parts: string[] = [];
    const issue = issueLabel(comic);
    if (issue) parts.push(issue);
    if (comic.title) parts.push(comic.title);
    else if (comic.year) parts.push(String(comic.year));
    return { title: comic.series, subtitle: parts.join(' · ') };
  }
  return { title: comic.title ?? comic.fileName, subtitle: displaySubtitle(comic) };
}
