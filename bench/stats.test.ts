import { describe, expect, it } from 'vitest';
import { median, minimum, percentile, round, summarize } from './stats.js';

/** Expects percentile(values, p) to be `expected` for each [p, expected] of the table. */
function expectPercentiles(values: readonly number[], table: ReadonlyArray<readonly [p: number, expected: number]>): void {
  for (const [p, expected] of table) expect(percentile(values, p), `p${p}`).toBe(expected);
}

describe('percentile (nearest rank)', () => {
  const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('picks the value at rank ceil(p/100 · n)', () => {
    expectPercentiles(oneToTen, [[50, 5], [90, 9], [91, 10], [99, 10], [100, 10], [0, 1], [10, 1], [11, 2]]);
  });

  it('matches the textbook example (15, 20, 35, 40, 50)', () => {
    const values = [15, 20, 35, 40, 50];
    expectPercentiles(values, [[5, 15], [30, 20], [40, 20], [50, 35], [100, 50]]);
  });

  it('p99 of 100 values is the 99th, of 1000 values the 990th', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
    expect(percentile(thousand, 50)).toBe(500);
  });

  it('sorts unsorted input numerically without modifying it', () => {
    const values = [10, 2, 33, 4, 100, 1];
    expect(percentile(values, 50)).toBe(4);
    expect(percentile(values, 100)).toBe(100);
    expect(values).toEqual([10, 2, 33, 4, 100, 1]);
  });

  it('is null for an empty list and the value itself for a single one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7.5], 0)).toBe(7.5);
    expect(percentile([7.5], 50)).toBe(7.5);
    expect(percentile([7.5], 99)).toBe(7.5);
  });

  it('refuses percentiles outside 0..100', () => {
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives p50, p99, max and mean of unsorted values', () => {
    expect(summarize([3, 1, 2, 4])).toEqual({ count: 4, p50: 2, p99: 4, max: 4, mean: 2.5 });
  });

  it('is all null for no values', () => {
    expect(summarize([])).toEqual({ count: 0, p50: null, p99: null, max: null, mean: null });
  });

  it('handles a single value', () => {
    expect(summarize([0.25])).toEqual({ count: 1, p50: 0.25, p99: 0.25, max: 0.25, mean: 0.25 });
  });

  it('keeps one outlier out of p99 when there are enough samples', () => {
    const values = [...Array.from({ length: 199 }, () => 1), 500];
    const s = summarize(values);
    expect(s.p99).toBe(1);
    expect(s.max).toBe(500);
  });
});

describe('helpers', () => {
  it('median, minimum, round', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNull();
    expect(minimum([5, 1, 3])).toBe(1);
    expect(minimum([])).toBeNull();
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.5, 0)).toBe(2);
  });
});
