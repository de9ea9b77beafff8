import { describe, expect, it } from 'vitest';
import { FALLBACK_SIZE, fitView } from './fit.js';

const stage = { width: 1200, height: 800 };

describe('fitting a view to the stage', () => {
  it('one page: width, height, screen, original', () => {
    const page = [{ width: 1000, height: 1500 }];
    expect(fitView(page, stage, 'width', 1)).toEqual([{ width: 1200, height: 1800 }]);
    expect(fitView(page, stage, 'height', 1)).toEqual([{ width: 533, height: 800 }]);
    expect(fitView(page, stage, 'screen', 1)).toEqual([{ width: 533, height: 800 }]);
    expect(fitView(page, stage, 'original', 1)).toEqual([{ width: 1000, height: 1500 }]);
    expect(fitView(page, stage, 'original', 2)).toEqual([{ width: 2000, height: 3000 }]);
  });

  it('a pair shares one height and fits as a whole', () => {
    const pair = [
      { width: 1000, height: 1500 },
      { width: 500, height: 750 }, // a smaller scan of the same page shape
    ];
    const [left, right] = fitView(pair, stage, 'screen', 1);
    expect(left!.height).toBe(right!.height);
    expect(left!.width + right!.width).toBeLessThanOrEqual(stage.width);
    expect(left!.height).toBe(800);
  });

  it('a wide spread fitted to the screen is limited by the width', () => {
    expect(fitView([{ width: 3000, height: 1500 }], stage, 'screen', 1)).toEqual([{ width: 1200, height: 600 }]);
  });

  it('unknown sizes use the fallback', () => {
    expect(fitView([{ width: 0, height: 0 }], stage, 'original', 1)).toEqual([FALLBACK_SIZE]);
    expect(fitView([], stage, 'screen', 1)).toEqual([]);
  });
});
