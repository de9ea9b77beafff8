// Locators and small helpers for the Longbox UI in the specs.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { REPO_ROOT } from './serve.js';

/** The few browser globals the in-page helpers use (tsconfig.json has no DOM lib: it is the Node program). */
export interface PageElement {
  getAttribute(name: string): string | null;
}
export interface PageGlobals {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): { length: number };
    documentElement: { dataset: Record<string, string | undefined> };
  };
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: object): void };
  performance: { now(): number };
  __badgeLog: BadgeLogEntry[];
  __marker?: number;
}
export interface BadgeLogEntry {
  visible: boolean;
  rows: number;
  t: number;
}
/** `globalThis` inside page.evaluate, typed. */
export const pageGlobals = (): PageGlobals => globalThis as unknown as PageGlobals;

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots');

export const rows = (page: Page): Locator => page.locator('[data-testid="results"] [role="option"]');
export const badge = (page: Page): Locator => page.getByTestId('rebuild-badge').getByText('Rebuilding…');
export const resultCount = (page: Page): Locator => page.getByTestId('result-count');
/** A grid cell by its title (its accessible name may go on: ", unread", " · subtitle"). */
export const cellByTitle = (page: Page, title: string): Locator =>
  page.getByRole('option', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|,| ·)`) });

/** "1,234 comics" → 1234; "12 of 20,000" → 12. */
export async function countShown(page: Page): Promise<number> {
  const text = (await resultCount(page).textContent()) ?? '';
  const match = /^([\d,]+)/.exec(text.trim());
  return match ? Number(match[1].replace(/,/g, '')) : NaN;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let lazy covers that are already on their way finish, so the picture shows the real thing.
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  // Let colour transitions (theme switches) settle.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  return file;
}

/** `<name>-light.png`, then `<name>-dark.png` in the dark colour scheme (the page stays dark). */
export async function screenshotLightAndDark(page: Page, name: string): Promise<void> {
  await screenshot(page, `${name}-light`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, `${name}-dark`);
}

/**
 * Records, inside the page, every change of the rebuild badge together with how many rows were on
 * screen at that moment, so a rebuild that lasts only a few frames is still observed.
 */
export async function recordBadge(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    const { document, MutationObserver, performance } = w;
    w.__badgeLog = [];
    const el = document.querySelector('[data-testid="rebuild-badge"]');
    if (!el) throw new Error('no rebuild badge in the page');
    const note = () =>
      w.__badgeLog.push({
        visible: el.getAttribute('data-visible') === 'true',
        rows: document.querySelectorAll('[data-testid="results"] [role="option"]').length,
        t: performance.now(),
      });
    note();
    new MutationObserver(note).observe(el, { attributes: true, attributeFilter: ['data-visible'] });
  });
}

export async function badgeLog(page: Page): Promise<BadgeLogEntry[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__badgeLog);
}

/** axe-core (WCAG 2.1 A/AA) over the page as it is: no serious or critical violations. */
export async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.html.slice(0, 300)}`).join('\n  ')}`);
  expect(summary, `axe on ${what}`).toEqual([]);
}
