import { describe, expect, it } from 'vitest';
import { buildViews } from './layout.js';
import { Prefetcher, prefetchPages } from './prefetch.js';

const views = (count: number, mode: 'single' | 'double' = 'single') => buildViews(Array.from({ length: count }, () => ({ spread: false })), { mode });

describe('prefetch window', () => {
  it('3 views ahead, 1 behind, nearest first', () => {
    expect(prefetchPages(views(20), 5)).toEqual([6, 7, 8, 4]);
    expect(prefetchPages(views(20), 0)).toEqual([1, 2, 3]);
    expect(prefetchPages(views(20), 19)).toEqual([18]);
    // double page: views of two
    expect(prefetchPages(views(20, 'double'), 1)).toEqual([3, 4, 5, 6, 7, 8, 0]);
  });

  it('starts what enters the window and cancels what leaves it (a jump)', () => {
    const started: string[] = [];
    const cancelled: string[] = [];
    const prefetcher = new Prefetcher((url) => {
      started.push(url);
      return { cancel: () => cancelled.push(url) };
    });
    prefetcher.setWindow(['p2', 'p3', 'p4', 'p1']);
    prefetcher.setWindow(['p3', 'p4', 'p5', 'p2']); // one page on: only p5 is new, p1 goes
    expect(started).toEqual(['p2', 'p3', 'p4', 'p1', 'p5']);
    expect(cancelled).toEqual(['p1']);
    prefetcher.setWindow(['p81', 'p82', 'p83', 'p79']); // a jump: everything old is cancelled
    expect(cancelled.sort()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(prefetcher.urls).toEqual(['p81', 'p82', 'p83', 'p79']);
    prefetcher.clear();
    expect(prefetcher.urls).toEqual([]);
    expect(cancelled).toHaveLength(9);
  });
});
