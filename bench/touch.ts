// Changing files' mtimes so a rescan has real work: utimes to a new, never-used time.
import { utimesSync } from 'node:fs';
import { join } from 'node:path';

let clock = Math.floor(Date.now() / 1000) - 86_400 * 365;

/** Sets a fresh mtime (whole seconds, distinct from every earlier call) on every `every`-th path. */
export function touchEvery(root: string, paths: readonly string[], every: number): number {
  const stamp = ++clock;
  let touched = 0;
  for (let i = 0; i < paths.length; i += every) {
    utimesSync(join(root, paths[i]!), stamp, stamp);
    touched++;
  }
  return touched;
}
