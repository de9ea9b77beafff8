// Generated benchmark libraries, cached between runs in `.cache/bench-libraries/<files>-<seed>/`
// (git-ignored). Generation is never timed. A marker file (hidden, so the walk skips it) records the
// options a folder was made with; a folder without a matching marker is regenerated from scratch.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateLibrary } from '../scripts/lib/dev-library.js';

export const BENCH_SEED = 1;
const MARKER = '.bench-library.json';
const MARKER_VERSION = 1;

export interface BenchLibrary {
  root: string;
  files: number;
  seed: number;
  /** Readable comics plus broken ones (every one becomes a row). */
  total: number;
  broken: number;
  bytes: number;
  /** Paths relative to root of every generated file, readable first. */
  paths: string[];
  generatedNow: boolean;
  generationMs: number;
}

interface Marker {
  version: number;
  files: number;
  seed: number;
  broken: number;
  bytes: number;
  paths: string[];
}

/** One broken file per thousand (at least one): the index pass must survive them, as in a real library. */
export function brokenCountFor(files: number): number {
  return Math.max(1, Math.round(files / 1000));
}

export function libraryDir(repoRoot: string, files: number, seed: number): string {
  return resolve(repoRoot, '.cache', 'bench-libraries', `${files}-${seed}`);
}

function readMarker(dir: string): Marker | null {
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
    return marker.version === MARKER_VERSION ? marker : null;
  } catch {
    return null;
  }
}

export async function ensureLibrary(
  repoRoot: string,
  files: number,
  seed: number = BENCH_SEED,
  onProgress?: (done: number, total: number) => void,
): Promise<BenchLibrary> {
  const root = libraryDir(repoRoot, files, seed);
  const broken = brokenCountFor(files);
  const marker = readMarker(root);
  if (marker && marker.files === files && marker.seed === seed && marker.broken === broken) {
    return { root, files, seed, broken, total: marker.paths.length, bytes: marker.bytes, paths: marker.paths, generatedNow: false, generationMs: 0 };
  }
  if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  const started = performance.now();
  // CBZ only (cbrEvery 0): docs/architecture.md §8's floors and targets are for a CBZ library.
  const result = await generateLibrary({ out: root, files, broken, seed, cbrEvery: 0, ...(onProgress ? { onProgress } : {}) });
  const paths = [...result.files, ...result.broken];
  const next: Marker = { version: MARKER_VERSION, files, seed, broken, bytes: result.bytes, paths };
  writeFileSync(join(root, MARKER), JSON.stringify(next));
  return { root, files, seed, broken, total: paths.length, bytes: result.bytes, paths, generatedNow: true, generationMs: performance.now() - started };
}
