import { describe, expect, it } from 'vitest';
import { buildViews, onScreenOrder, sideToStep, viewLabel, viewOfPage } from './layout.js';

const pages = (spreads: number[], count: number) => Array.from({ length: count }, (_, i) => ({ spread: spreads.includes(i) }));

describe('page layout', () => {
  it('single mode: one page per view', () => {
    expect(buildViews(pages([], 3), { mode: 'single' })).toEqual([[0], [1], [2]]);
    expect(buildViews(pages([1], 3), { mode: 'webtoon' })).toEqual([[0], [1], [2]]);
    expect(buildViews([], { mode: 'double' })).toEqual([]);
  });

  it('double mode: the cover alone, then pairs', () => {
    expect(buildViews(pages([], 6), { mode: 'double' })).toEqual([[0], [1, 2], [3, 4], [5]]);
    expect(buildViews(pages([], 1), { mode: 'double' })).toEqual([[0]]);
  });

  it('double mode: a spread alone, a page left before it alone, pairing restarts after it', () => {
    // 0 | 1 2 | 3 | [4] | 5 6 | 7
    expect(buildViews(pages([4], 8), { mode: 'double' })).toEqual([[0], [1, 2], [3], [4], [5, 6], [7]]);
    // two spreads in a row, and one right after the cover
    expect(buildViews(pages([1, 2], 5), { mode: 'double' })).toEqual([[0], [1], [2], [3, 4]]);
    // a spread cover is still alone
    expect(buildViews(pages([0], 3), { mode: 'double' })).toEqual([[0], [1, 2]]);
  });

  it('shift by one: the first page after the cover alone moves the later pairs', () => {
    expect(buildViews(pages([], 6), { mode: 'double', shifted: true })).toEqual([[0], [1], [2, 3], [4, 5]]);
    // after a spread, pairing restarts whatever the shift
    expect(buildViews(pages([3], 7), { mode: 'double', shifted: true })).toEqual([[0], [1], [2], [3], [4, 5], [6]]);
  });

  it('every page is in exactly one view, in order', () => {
    for (const count of [1, 2, 7, 30]) {
      for (const spreads of [[], [3], [1, 5, 6], [count - 1]]) {
        for (const shifted of [false, true]) {
          const flat = buildViews(pages(spreads, count), { mode: 'double', shifted }).flat();
          expect(flat).toEqual(Array.from({ length: count }, (_, i) => i));
        }
      }
    }
  });

  it('finds the view of a page', () => {
    const views = buildViews(pages([4], 8), { mode: 'double' });
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((p) => viewOfPage(views, p))).toEqual([0, 1, 1, 2, 3, 4, 4, 5]);
    expect(viewOfPage(views, 99)).toBe(5);
    expect(viewOfPage(views, -3)).toBe(0);
    expect(viewOfPage([], 3)).toBe(0);
  });

  it('right to left mirrors a pair on screen and the sides', () => {
    expect(onScreenOrder([3, 4], 'ltr')).toEqual([3, 4]);
    expect(onScreenOrder([3, 4], 'rtl')).toEqual([4, 3]);
    expect(sideToStep('right', 'ltr')).toBe(1);
    expect(sideToStep('left', 'ltr')).toBe(-1);
    expect(sideToStep('left', 'rtl')).toBe(1);
    expect(sideToStep('right', 'rtl')).toBe(-1);
  });

  it('labels a view', () => {
    expect(viewLabel([2], 24)).toBe('Page 3 of 24');
    expect(viewLabel([3, 4], 24)).toBe('Pages 4–5 of 24');
  });
});
