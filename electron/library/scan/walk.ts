// The walk: readdirSync(withFileTypes) + statSync, the fastest way Node has here (docs/architecture.md §8:
// ≈ find's speed; recursive opendir is 15–20× slower). It runs in the rebuild worker only.
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { COMIC_EXTENSIONS, extensionOf, isIgnoredName } from './library-files.js';

export { COMIC_EXTENSIONS, extensionOf } from './library-files.js';


export interface WalkedFile {
  /** Relative to the root, forward slashes. */
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  ext: string;
}

export interface WalkResult {
  files: WalkedFile[];
  /** Folders that could not be listed (permission denied, vanished, loops), with the reason. */
  skipped: Array<{ path: string; reason: string }>;
}


/** Walks `root` depth-first in name order (insertion in walk order keeps SQLite's B-tree writes local). */
export function walkLibrary(root: string, onProgress?: (found: number) => void): WalkResult {
  const files: WalkedFile[] = [];
  const skipped: WalkResult['skipped'] = [];
  // Directories already entered, by real path, so symlinked folders never loop.
  const seen = new Set<string>();
  const stack: string[] = [''];
  let lastReport = 0;
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const abs = rel === '' ? root : join(root, rel);
    let entries: Dirent[];
    try {
      const real = realpathSync(abs);
      if (seen.has(real)) {
        skipped.push({ path: rel, reason: 'symbolic link loop (folder already scanned)' });
        continue;
      }
      seen.add(real);
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw err;
      skipped.push({ path: rel, reason: (err as NodeJS.ErrnoException).code ?? String(err) });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(join(abs, entry.name));
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        subdirs.push(childRel);
        continue;
      }
      const ext = extensionOf(entry.name);
      if (!COMIC_EXTENSIONS.has(ext)) continue;
      if (!isFile) continue;
      try {
        const st = statSync(join(abs, entry.name), { bigint: false });
        files.push({ path: childRel, size: st.size, mtimeMs: Math.floor(st.mtimeMs), ino: st.ino, ext });
      } catch {
        // Vanished between readdir and stat: it is simply not part of this generation.
      }
      if (onProgress && files.length - lastReport >= 1000) {
        lastReport = files.length;
        onProgress(files.length);
      }
    }
    // Reverse so that popping visits folders in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return { files, skipped };
}
