import { configDefaults, defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Fuzz tests (*.fuzz.test.ts) live in their own project so that `npm run fuzz` (vitest run --project fuzz)
// runs only them, long: 20,000 runs per property. A plain `vitest run` (npm test, CI) runs every project,
// the fuzz one included, briefly: 200 runs per property, a few seconds. FUZZ_RUNS overrides both.
const fuzzOnly = process.argv.some((arg, i, all) => arg === '--project=fuzz' || (arg === '--project' && all[i + 1] === 'fuzz'));
const fuzzRuns = process.env.FUZZ_RUNS ?? (fuzzOnly ? '20000' : '200');

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: [...configDefaults.exclude, '**/*.fuzz.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'fuzz',
          environment: 'node',
          include: ['shared/**/*.fuzz.test.ts', 'electron/**/*.fuzz.test.ts', 'scripts/**/*.fuzz.test.ts'],
          env: { FUZZ_RUNS: fuzzRuns },
          testTimeout: 600_000,
          pool: 'forks',
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
        },
      },
    ],
  },
});
