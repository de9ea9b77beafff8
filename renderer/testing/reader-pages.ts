// Test helpers for the reader: page lists with sizes and spreads for the fake LibraryApi.
import type { PageInfo } from '../../shared/types.js';

export function portraitPages(count: number, spreads: number[] = []): PageInfo[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    name: `p${String(index).padStart(3, '0')}.jpg`,
    size: 1000,
    width: spreads.includes(index) ? 2000 : 1000,
    height: 1500,
    spread: spreads.includes(index),
  }));
}
