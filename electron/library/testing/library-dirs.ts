// The folders of a library test inside its temp folder: the library itself, the cache's data dir and the
// user's home (where user.db and the per-library data dirs go).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface LibraryDirs {
  /** The temp folder holding the others. */
  dir: string;
  /** `dir/library`, made empty: the library root. */
  root: string;
  /** `dir/data` (not made: the service makes it). */
  dataDir: string;
  /** `dir/home` (not made). */
  home: string;
}

export function libraryDirsIn(dir: string): LibraryDirs {
  const root = join(dir, 'library');
  mkdirSync(root);
  return { dir, root, dataDir: join(dir, 'data'), home: join(dir, 'home') };
}
