// Renderer end-to-end tests in real Chromium against the headless host (`longbox serve`).
// Needs `npm run build` first. Playwright's own browsers are not downloaded: Debian's Chromium is used.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  // Electron specs (e2e/electron*.spec.ts) are another project's; they skip themselves without a binary.
  outputDir: 'test-results/',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: 'list',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    headless: true,
    viewport: { width: 1360, height: 860 },
    launchOptions: {
      executablePath: process.env.LONGBOX_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'off',
  },
});
