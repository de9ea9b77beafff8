// The theme tokens live in renderer/styles/theme.css; the desktop window's background before the first paint
// (shared/theme.ts) must be the same --bg in both themes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND } from '../shared/theme.js';

const css = readFileSync(new URL('../renderer/styles/theme.css', import.meta.url), 'utf8');

function bgIn(selector: string): string | undefined {
  const at = css.indexOf(selector);
  if (at < 0) return undefined;
  const block = css.slice(at, css.indexOf('}', at));
  return /--bg:\s*([^;]+);/.exec(block)?.[1]?.trim();
}

describe('theme tokens', () => {
  it('the window background is the page background, light and dark', () => {
    expect(bgIn(':root {')).toBe(WINDOW_BACKGROUND.light);
    expect(bgIn(":root:not([data-theme='light'])")).toBe(WINDOW_BACKGROUND.dark);
    expect(bgIn(":root[data-theme='dark']")).toBe(WINDOW_BACKGROUND.dark);
  });

  it('the component styles hold no tokens of their own: every custom property is defined in theme.css', () => {
    const files = ['base.css', 'frame.css', 'header.css', 'subbar.css', 'error-banner.css', 'results.css', 'details.css', 'status-bar.css', 'screens.css'];
    for (const file of files) {
      const text = readFileSync(new URL(`../renderer/styles/${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/^\s*--[a-z0-9-]+\s*:/m);
    }
  });
});
