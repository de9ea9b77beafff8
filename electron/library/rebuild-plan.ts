// The pure half of a rebuild: given the live generation's keys and what the walk found, decide which
// rows are reused as they are, which moved (same size, mtime and inode at a new path), which files
// must be read, and how many rows are removed. No I/O, so it is tested on its own (rebuild-plan.test.ts);
// rebuild-job.ts does the reading and writing around it.
import type { WalkResult, WalkedFile } from './scan/walk.js';
import type { LiveKey } from './store/generation-writer.js';

/** A walked file whose row is kept: `index` is its place in `PlannedRebuild.files`. */
export interface KeptFile {
  index: number;
  id: number;
  file: WalkedFile;
  isMove: boolean;
  /** Same path, size and mtime but another inode (a restore from backup): the row is rewritten, not re-read. */
  inodeChanged: boolean;
}

/** A walked file that is opened and read; `previous` is the row it replaces (same path), if any. */
export interface FileToRead {
  index: number;
  file: WalkedFile;
  previous: LiveKey | undefined;
}

export interface PlannedRebuild {
  /** The walked files that become rows, in walk order (files in unlisted folders excluded). */
  files: WalkedFile[];
  /** Rows in folders the walk could not list: carried over unchanged (not a deletion). */
  carried: LiveKey[];
  kept: KeptFile[];
  toRead: FileToRead[];
  reused: number;
  moved: number;
  removed: number;
  /** Ids of the removed rows (their files are gone and were not found moved). */
  removedIds: number[];
  /** Reused rows whose inode changed (a restore from backup): the row is rewritten, not re-read. */
  inodesChanged: number;
}

const moveKey = (size: number, mtimeMs: number, inode: number) => `${size}:${mtimeMs}:${inode}`;

/** True when the plan changes nothing: the live generation is still exact. */
export function isNoChange(plan: PlannedRebuild): boolean {
  return plan.toRead.length === 0 && plan.moved === 0 && plan.removed === 0 && plan.inodesChanged === 0;
}

export function planRebuild(
  live: readonly LiveKey[],
  walk: Pick<WalkResult, 'files' | 'skipped'>,
  options: { force: boolean; reread?: readonly string[] },
): PlannedRebuild {
  // A folder that could not be listed (permission changed, a sub-mount flapped) is not a deletion:
  // its rows are carried over unchanged.
  const unlisted = walk.skipped.map((s) => s.path + '/');
  const isUnlisted = (path: string) => unlisted.some((prefix) => path.startsWith(prefix));
  const carried = unlisted.length > 0 ? live.filter((row) => isUnlisted(row.path)) : [];
  const files = carried.length > 0 ? walk.files.filter((f) => !isUnlisted(f.path)) : walk.files;

  const byPath = new Map<string, LiveKey>(live.map((row) => [row.path, row]));
  const walkedPaths = new Set(files.map((f) => f.path));
  for (const row of carried) walkedPaths.add(row.path);
  // Rows whose path vanished, by (size, mtime, inode): a new path with the same triple is a move.
  const vanished = new Map<string, LiveKey>();
  for (const row of live) {
    if (!walkedPaths.has(row.path)) vanished.set(moveKey(row.size, row.mtime_ms, row.inode), row);
  }

  const kept: KeptFile[] = [];
  const toRead: FileToRead[] = [];
  let reused = carried.length;
  let moved = 0;
  let inodesChanged = 0;
  const reread = new Set(options.reread ?? []);
  files.forEach((file, index) => {
    const previous = byPath.get(file.path);
    // Rows that failed for a passing reason (unreadable, timeout) are always tried again, and so is
    // a file the user asked to retry.
    const isRetryable = previous?.error_kind === 'unreadable' || previous?.error_kind === 'timeout' || reread.has(file.path);
    if (previous && !options.force && !isRetryable && previous.size === file.size && previous.mtime_ms === file.mtimeMs) {
      if (previous.inode !== file.ino) inodesChanged++;
      kept.push({ index, id: previous.id, file, isMove: false, inodeChanged: previous.inode !== file.ino });
      reused++;
      return;
    }
    const key = moveKey(file.size, file.mtimeMs, file.ino);
    const movedRow = previous ? undefined : vanished.get(key);
    if (movedRow && !options.force) {
      vanished.delete(key);
      kept.push({ index, id: movedRow.id, file, isMove: true, inodeChanged: false });
      moved++;
      return;
    }
    toRead.push({ file, index, previous });
  });
  // Every live row whose path is gone and that did not move (two vanished rows may share a move key).
  const movedIds = new Set(kept.filter((k) => k.isMove).map((k) => k.id));
  const removedIds = live.filter((row) => !walkedPaths.has(row.path) && !movedIds.has(row.id)).map((row) => row.id);
  return { files, carried, kept, toRead, reused, moved, removed: removedIds.length, removedIds, inodesChanged };
}
