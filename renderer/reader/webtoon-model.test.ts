import { describe, expect, it } from 'vitest';
import { UNKNOWN_ASPECT, WEBTOON_MAX_IMAGES, currentPage, layoutColumn, pageAt, renderRange } from './webtoon-model.js';

const page = (width: number | null, height: number | null) => ({ width, height });

describe('webtoon column', () => {
  it('lays pages out from their sizes, unknown sizes at a usual aspect', () => {
    const column = layoutColumn([page(800, 1200), page(800, 400), page(null, null)], 400);
    expect(column.heights).toEqual([600, 200, 400 * UNKNOWN_ASPECT]);
    expect(column.tops).toEqual([0, 600, 800]);
    expect(column.total).toBe(1400);
    expect(pageAt(column, 0)).toBe(0);
    expect(pageAt(column, 599)).toBe(0);
    expect(pageAt(column, 600)).toBe(1);
    expect(pageAt(column, 99_999)).toBe(2);
  });

  it('renders the viewport plus overscan, never more than the bound', () => {
    const column = layoutColumn(Array.from({ length: 60 }, () => page(800, 1200)), 600); // 900 px a page
    for (let top = 0; top < column.total; top += 137) {
      const { start, end } = renderRange(column, top, 800);
      expect(end - start + 1).toBeLessThanOrEqual(WEBTOON_MAX_IMAGES);
      // every page that touches the viewport is rendered
      expect(start).toBeLessThanOrEqual(pageAt(column, top));
      expect(end).toBeGreaterThanOrEqual(pageAt(column, Math.min(column.total - 1, top + 800)));
    }
    // tiny pages: the bound wins, centred on the middle of the viewport
    const strips = layoutColumn(Array.from({ length: 200 }, () => page(1000, 50)), 600); // 30 px each
    const { start, end } = renderRange(strips, 3000, 800);
    expect(end - start + 1).toBe(WEBTOON_MAX_IMAGES);
    expect(start).toBeLessThanOrEqual(pageAt(strips, 3400));
    expect(end).toBeGreaterThanOrEqual(pageAt(strips, 3400));
    expect(renderRange(layoutColumn([], 600), 0, 800)).toEqual({ start: 0, end: -1 });
  });

  it('the current page is the one crossing a third of the viewport', () => {
    const column = layoutColumn(Array.from({ length: 10 }, () => page(100, 100)), 600);
    expect(currentPage(column, 0, 900)).toBe(0);
    expect(currentPage(column, 400, 900)).toBe(1);
    expect(currentPage(column, 5400, 900)).toBe(9);
  });
});
