// The theme tokens live in renderer/styles/theme.css; the desktop window's background before the first paint
// (shared/theme.ts) must be the same --bg in both themes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WINDOW_BACKGROUND } from '../shared/theme.js';

const css = readFileSync(new URL('../renderer/styles/theme.css', import.meta.url), 'utf8');

/** --bg of one theme: theme.css writes each colour once, in :root, as light-dark(light, dark). */
function bgIn(scheme: 'light' | 'dark'): string | undefined {
  const at = css.indexOf(':root {');
  const block = css.slice(at, css.indexOf('}', at));
  const values = /--bg:\s*light-dark\(\s*([^,]+?)\s*,\s*([^)]+?)\s*\)\s*;/.exec(block);
  return values?.[scheme === 'light' ? 1 : 2];
}

describe('theme tokens', () => {
  it('the window background is the page background, light and dark', () => {
    expect(bgIn('light')).toBe(WINDOW_BACKGROUND.light);
    expect(bgIn('dark')).toBe(WINDOW_BACKGROUND.dark);
    // The data-theme override and the system's dark theme take that same --bg: none other is written.
    expect(css.match(/--bg\s*:/g)).toHaveLength(1);
  });

  it('the component styles hold no tokens of their own: every custom property is defined in theme.css', () => {
    const files = ['base.css', 'frame.css', 'header.css', 'subbar.css', 'error-banner.css', 'results.css', 'details.css', 'status-bar.css', 'screens.css'];
    for (const file of files) {
      const text = readFileSync(new URL(`../renderer/styles/${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/^\s*--[a-z0-9-]+\s*:/m);
    }
  });
});
