// Sizes of the pages of one view on the stage, in CSS px, for a fit mode and zoom. Pure.
// The pages of a pair are scaled to the same height (a book's pages are), then the pair as a whole
// is fitted: width → the stage's width, height → its height, screen → both, original → 1:1.
import type { FitMode } from './settings.js';

export interface Size {
  width: number;
  height: number;
}

/** Assumed while a page's size is unknown (the image arrives with its real one). */
export const FALLBACK_SIZE: Size = { width: 1000, height: 1500 };

export function fitView(pages: readonly Size[], stage: Size, fit: FitMode, zoom: number): Size[] {
  if (pages.length === 0) return [];
  const safe = pages.map((p) => (p.width > 0 && p.height > 0 ? p : FALLBACK_SIZE));
  const height = Math.max(...safe.map((p) => p.height));
  // Every page at the pair's common height.
  const atHeight = safe.map((p) => ({ width: (p.width * height) / p.height, height }));
  const totalWidth = atHeight.reduce((sum, p) => sum + p.width, 0);
  let scale: number;
  switch (fit) {
    case 'width':
      scale = stage.width / totalWidth;
      break;
    case 'height':
      scale = stage.height / height;
      break;
    case 'screen':
      scale = Math.min(stage.width / totalWidth, stage.height / height);
      break;
    case 'original':
      // 1:1 with the largest page's real pixels.
      scale = Math.max(...safe.map((p) => p.height)) / height;
      break;
  }
  if (!Number.isFinite(scale) || scale <= 0) scale = 1;
  scale *= zoom;
  return atHeight.map((p) => ({ width: Math.round(p.width * scale), height: Math.round(p.height * scale) }));
}
