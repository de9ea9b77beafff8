// The sample library both hosts offer (the desktop's "Open the sample library", `longbox serve`
// without a folder): one options constant, generated once into its folder.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { silentLogger, type Logger } from '../logger.js';

/** What the sample library holds: 300 comics and 3 broken files, the same bytes every time (seed 1). */
export const SAMPLE_LIBRARY = { files: 300, broken: 3, seed: 1 } as const;

/** Writes the sample library into `out` (a fresh, empty folder). */
export type SampleGenerator = (out: string) => Promise<void>;

/** The product's generator: SAMPLE_LIBRARY, CBZ only. Loaded on first use (sharp and the drawing code). */
export const generateSampleLibrary: SampleGenerator = async (out) => {
  const { generateLibrary } = await import('./generate-library.js');
  await generateLibrary({ out, ...SAMPLE_LIBRARY });
};

/**
 * The sample library in `dir`, generated on first use: into a `.partial-<pid>` folder beside it that
 * is renamed into place, so a crash half-way never leaves a half library that would be used from then
 * on. When another process wins the race its library is used. Resolves with `dir`.
 */
export async function ensureSampleLibrary(
  dir: string,
  options: { generate?: SampleGenerator; logger?: Logger } = {},
): Promise<string> {
  if (existsSync(dir)) return dir;
  const logger = options.logger ?? silentLogger;
  const generate = options.generate ?? generateSampleLibrary;
  logger.info(`generating the sample library (${SAMPLE_LIBRARY.files} files) in ${dir}`);
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await generate(partial);
    await rename(partial, dir);
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
    if (existsSync(dir)) return dir; // another process won the race
    throw err;
  }
  return dir;
}
