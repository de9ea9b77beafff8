// Generates the shared 20,000-file library once per run (reused across runs when it already exists).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateLibrary } from '../scripts/lib/dev-library.js';
import { REPO_ROOT, assertBuilt } from './testing/serve.js';

export const LARGE_FILES = Number(process.env.LONGBOX_E2E_LARGE_FILES ?? 20_000);

export default async function globalSetup(): Promise<void> {
  assertBuilt();
  // Keyed by the generator's content, so checkouts with the same generator share one library and a
  // changed generator gets its own folder (never regenerating another checkout's library under it).
  const generator = await generatorHash();
  const dir = path.join(os.tmpdir(), `longbox-e2e-large-${LARGE_FILES}-${generator}`);
  const root = path.join(dir, 'Comics');
  const marker = path.join(dir, 'complete.json');
  let isComplete = false;
  if (existsSync(marker)) {
    const info = JSON.parse(await readFile(marker, 'utf8')) as { files: number; generator?: string };
    isComplete = info.files === LARGE_FILES && info.generator === generator;
  }
  if (!isComplete) {
    const started = Date.now();
    await rm(dir, { recursive: true, force: true });
    const result = await generateLibrary({ out: root, files: LARGE_FILES, broken: 0, seed: 2024 });
    await writeFile(marker, JSON.stringify({ files: result.files.length, generator, ms: Date.now() - started }));
    console.log(`generated ${result.files.length} comics in ${Date.now() - started} ms at ${root}`);
  }
  process.env.LONGBOX_E2E_LARGE_LIBRARY = root;
  process.env.LONGBOX_E2E_LARGE_FILES = String(LARGE_FILES);
}

async function generatorHash(): Promise<string> {
  const hash = createHash('sha1');
  for (const file of ['electron/library/sample/generate-library.ts', 'electron/library/sample/library-plan.ts', 'electron/library/sample/cover-art.ts', 'electron/library/sample/cbz-writer.ts', 'scripts/lib/dev-library.ts']) {
    if (existsSync(path.join(REPO_ROOT, file))) hash.update(await readFile(path.join(REPO_ROOT, file)));
  }
  return hash.digest('hex').slice(0, 10);
}
