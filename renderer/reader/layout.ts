// The page layout model: which pages one screen (a "view") shows, for single and double page modes.
// Pure: takes only what the page list says about each page (is it a spread?).
//
// Double page rules (what a printed book does):
//   - the cover (page 0) stands alone: it is the right-hand page of a closed book;
//   - a spread (a page wider than tall, or marked DoublePage) stands alone: it already is two pages;
//   - the other pages pair up in order; a page left without a partner before a spread stands alone;
//   - "shift by one" makes the first page after the cover stand alone too, which moves every later
//     pair by one page (the fix for books whose pairing is off because a blank page was dropped).
// Pairing restarts after each spread, so one misplaced spread does not shift the rest of the book.

export type ReaderMode = 'single' | 'double' | 'webtoon';
export type Direction = 'ltr' | 'rtl';

export interface LayoutPage {
  spread: boolean;
}

/** One screen: the page indices it shows, in reading order (1 or 2 of them). */
export type View = readonly number[];

export interface LayoutOptions {
  mode: ReaderMode;
  /** Double page only: the first page after the cover stands alone. */
  shifted?: boolean;
}

export function buildViews(pages: readonly LayoutPage[], options: LayoutOptions): View[] {
  const count = pages.length;
  if (count === 0) return [];
  if (options.mode !== 'double') return pages.map((_, i) => [i]);
  const views: View[] = [[0]];
  let i = 1;
  let isFirstRun = true;
  while (i < count) {
    if (pages[i]!.spread) {
      views.push([i]);
      i++;
      isFirstRun = false;
      continue;
    }
    if (isFirstRun && options.shifted && i === 1) {
      views.push([i]);
      i++;
      continue;
    }
    const partner = i + 1;
    if (partner < count && !pages[partner]!.spread) {
      views.push([i, partner]);
      i += 2;
    } else {
      views.push([i]);
      i++;
    }
  }
  return views;
}

/** The view that shows `page` (the last view for a page past the end, 0 for a negative one). */
export function viewOfPage(views: readonly View[], page: number): number {
  if (views.length === 0) return 0;
  // Views are in order and contiguous: a binary search on the first page of each.
  let lo = 0;
  let hi = views.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (views[mid]![0]! <= page) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The pages of a view from left to right on screen: a right-to-left book shows its pair mirrored. */
export function onScreenOrder(view: View, direction: Direction): number[] {
  return direction === 'rtl' ? [...view].reverse() : [...view];
}

/** Which way a screen-side action goes in reading order: in RTL the left side is "next". */
export function sideToStep(side: 'left' | 'right', direction: Direction): 1 | -1 {
  const forward = side === 'right' ? 1 : -1;
  return direction === 'rtl' ? (-forward as 1 | -1) : forward;
}

/** "Page 3 of 24" or "Pages 4–5 of 24". */
export function viewLabel(view: View, pageCount: number): string {
  if (view.length === 0) return '';
  if (view.length === 1) return `Page ${view[0]! + 1} of ${pageCount}`;
  return `Pages ${view[0]! + 1}–${view[view.length - 1]! + 1} of ${pageCount}`;
}
