// Geometry of the continuous vertical (webtoon) mode. Every page's height is known before any image
// loads (from the page list's width and height), so the column never jumps while images arrive, and
// only the pages near the viewport are in the DOM: never more than WEBTOON_MAX_IMAGES at once.

/** The bound: page images in the DOM at any time in webtoon mode. */
export const WEBTOON_MAX_IMAGES = 8;
/** Pixels above and below the viewport that are rendered ahead (scrolling shows no blank). */
export const WEBTOON_OVERSCAN_PX = 1200;
/** Gap between pages in the column, px. */
export const WEBTOON_GAP = 0;
/** Aspect (height / width) assumed for a page whose size the archive did not give. */
export const UNKNOWN_ASPECT = 1.5;

export interface SizedPage {
  width: number | null;
  height: number | null;
}

export interface Column {
  /** Top of each page, px from the top of the column. */
  tops: number[];
  heights: number[];
  total: number;
}

export function aspectOf(page: SizedPage): number {
  if (page.width && page.height && page.width > 0 && page.height > 0) return page.height / page.width;
  return UNKNOWN_ASPECT;
}

export function layoutColumn(pages: readonly SizedPage[], columnWidth: number, gap = WEBTOON_GAP): Column {
  const tops: number[] = [];
  const heights: number[] = [];
  let y = 0;
  for (const page of pages) {
    const h = Math.max(1, Math.round(columnWidth * aspectOf(page)));
    tops.push(y);
    heights.push(h);
    y += h + gap;
  }
  return { tops, heights, total: Math.max(0, y - (pages.length > 0 ? gap : 0)) };
}

/** The last page whose top is at or above `y` (0 for an empty column). */
export function pageAt(column: Column, y: number): number {
  const { tops } = column;
  if (tops.length === 0) return 0;
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The pages to render for a scroll position: those within the viewport plus overscan, cut down to
 * `max` around the page in the middle of the viewport when tiny pages would exceed the bound.
 */
export function renderRange(
  column: Column,
  scrollTop: number,
  viewportHeight: number,
  overscan = WEBTOON_OVERSCAN_PX,
  max = WEBTOON_MAX_IMAGES,
): { start: number; end: number } {
  const count = column.tops.length;
  if (count === 0) return { start: 0, end: -1 };
  let start = pageAt(column, scrollTop - overscan);
  let end = pageAt(column, scrollTop + viewportHeight + overscan);
  if (end - start + 1 > max) {
    const centre = pageAt(column, scrollTop + viewportHeight / 2);
    start = Math.max(0, Math.min(centre - Math.floor((max - 1) / 2), count - max));
    end = Math.min(count - 1, start + max - 1);
  }
  return { start, end };
}

/** The page being read: the one crossing a line a third down the viewport. */
export function currentPage(column: Column, scrollTop: number, viewportHeight: number): number {
  return pageAt(column, scrollTop + viewportHeight / 3);
}
