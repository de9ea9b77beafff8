// Small helpers of the watcher: root-relative paths (forward slashes, '' is the root) and the identity
// of a folder (dev:ino), by which an unmount, remount or replacement of the root is noticed.
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';

export function join(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

export function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** dev:ino of the folder at `root` (following a symlink), or null when it is missing or not a folder. */
export function rootIdentity(root: string): Promise<string | null> {
  return stat(root).then(
    (stats) => (stats.isDirectory() ? identity(stats) : null),
    () => null,
  );
}

export function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
