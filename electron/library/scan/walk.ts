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

/**
 * The walked files as columns (issue 16.2: the rebuild holds the walk of the whole library for the
 * whole rebuild, so it costs one path string and 25 bytes per file instead of an object with two
 * boxed numbers). `file(i)` makes the object form of one file when it is needed (enrichment).
 */
export class WalkedFiles {
  #length = 0;
  #paths: string[] = [];
  #size = new Float64Array(1024);
  #mtimeMs = new Float64Array(1024);
  #ino = new Float64Array(1024);
  #ext = new Uint8Array(1024);
  readonly #exts: string[] = [];

  static of(files: readonly WalkedFile[]): WalkedFiles {
    const out = new WalkedFiles();
    for (const f of files) out.push(f.path, f.size, f.mtimeMs, f.ino, f.ext);
    return out.trim();
  }

  get length(): number {
    return this.#length;
  }
  /** Paths relative to the root, forward slashes, in walk order. */
  get paths(): readonly string[] {
    return this.#paths;
  }
  path(i: number): string {
    return this.#paths[i]!;
  }
  size(i: number): number {
    return this.#size[i]!;
  }
  mtimeMs(i: number): number {
    return this.#mtimeMs[i]!;
  }
  ino(i: number): number {
    return this.#ino[i]!;
  }
  ext(i: number): string {
    return this.#exts[this.#ext[i]!]!;
  }
  file(i: number): WalkedFile {
    return { path: this.#paths[i]!, size: this.#size[i]!, mtimeMs: this.#mtimeMs[i]!, ino: this.#ino[i]!, ext: this.ext(i) };
  }

  push(path: string, size: number, mtimeMs: number, ino: number, ext: string): void {
    const i = this.#length;
    if (i === this.#size.length) {
      const grow = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.#size = grow(this.#size, (n) => new Float64Array(n));
      this.#mtimeMs = grow(this.#mtimeMs, (n) => new Float64Array(n));
      this.#ino = grow(this.#ino, (n) => new Float64Array(n));
      this.#ext = grow(this.#ext, (n) => new Uint8Array(n));
    }
    let code = this.#exts.indexOf(ext);
    if (code < 0) {
      if (this.#exts.length === 255) throw new Error('more than 255 distinct extensions in one walk');
      code = this.#exts.push(ext) - 1;
    }
    this.#paths.push(path);
    this.#size[i] = size;
    this.#mtimeMs[i] = mtimeMs;
    this.#ino[i] = ino;
    this.#ext[i] = code;
    this.#length++;
  }

  /** Drops the columns' spare capacity (the walk is done). */
  trim(): this {
    const n = this.#length;
    this.#size = this.#size.slice(0, n);
    this.#mtimeMs = this.#mtimeMs.slice(0, n);
    this.#ino = this.#ino.slice(0, n);
    this.#ext = this.#ext.slice(0, n);
    return this;
  }

  /** The files whose index passes `keep`, as new columns. */
  filter(keep: (i: number) => boolean): WalkedFiles {
    const out = new WalkedFiles();
    for (let i = 0; i < this.#length; i++) if (keep(i)) out.push(this.#paths[i]!, this.#size[i]!, this.#mtimeMs[i]!, this.#ino[i]!, this.ext(i));
    return out.trim();
  }

  toArray(): WalkedFile[] {
    return Array.from({ length: this.#length }, (_, i) => this.file(i));
  }
}

export interface WalkColumns {
  files: WalkedFiles;
  skipped: WalkResult['skipped'];
}

/** Walks `root` depth-first in name order (insertion in walk order keeps SQLite's B-tree writes local). */
export function walkLibrary(root: string, onProgress?: (found: number) => void): WalkResult {
  const { files, skipped } = walkLibraryColumns(root, onProgress);
  return { files: files.toArray(), skipped };
}

/** walkLibrary with the files as columns (what the rebuild holds). */
export function walkLibraryColumns(root: string, onProgress?: (found: number) => void): WalkColumns {
  const files = new WalkedFiles();
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
        files.push(childRel, st.size, Math.floor(st.mtimeMs), st.ino, ext);
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
  return { files: files.trim(), skipped };
}
