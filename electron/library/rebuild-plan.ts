// The pure half of a rebuild: given the live generation's keys and what the walk found, decide which
// rows are reused as they are, which moved (same size, mtime and inode at a new path), which files
// must be read, and how many rows are removed. No I/O, so it is tested on its own (rebuild-plan.test.ts);
// rebuild-job.ts does the reading and writing around it.
//
// The plan is held for the whole rebuild, so it is columns (issue 16.2, docs/architecture.md "The
// rebuild's memory"): one byte of action and two numbers per walked file, the files to read as one
// Uint32Array, and the live keys are consumed as a stream (store/live-rows.ts reads them in chunks): no
// object per live row or per file outlives the plan. `planRebuild` gives the same plan as objects (tests,
// reading).
import { WalkedFiles, type WalkColumns, type WalkResult, type WalkedFile } from './scan/walk.js';
import type { LiveKey } from './store/generation-writer.js';

/** What the rebuild does with a walked file (`CompactPlan.action`). */
export const PlanAction = {
  /** Opened and read (a new file, a changed one, a retry, or every file when forced). */
  read: 0,
  /** Its live row is kept as it is. */
  keep: 1,
  /** Same path, size and mtime but another inode (a restore from backup): the row is rewritten, not re-read. */
  keepNewInode: 2,
  /** A vanished row's file at a new path (same size, mtime and inode) under the same file name: the row moves. */
  move: 3,
} as const;
const UNMATCHED = 255;

export interface CompactPlan {
  /** The walked files that become rows, in walk order (files in unlisted folders excluded). */
  files: WalkedFiles;
  /** Rows in folders the walk could not list: carried over unchanged (not a deletion). */
  carried: LiveKey[];
  /** Per file (its index in `files`): a PlanAction. */
  action: Uint8Array;
  /**
   * Per file: the live row it keeps or moves, or the one it replaces when read (same path, or a
   * vanished row whose file came back renamed: read again, the row's id and added date kept); -1 for none.
   */
  rowId: Float64Array;
  /** Per file read that replaces a live row: that row's added_at (NaN otherwise). */
  previousAddedAt: Float64Array;
  /** Indices (in `files`) of the files to read, in walk order. */
  toRead: Uint32Array;
  /** Rows of the live generation. */
  liveCount: number;
  reused: number;
  moved: number;
  removed: number;
  /** Ids of the removed rows (their files are gone and were not found moved), in the live keys' order. */
  removedIds: number[];
  /** Reused rows whose inode changed (a restore from backup): the row is rewritten, not re-read. */
  inodesChanged: number;
}

const moveKey = (size: number, mtimeMs: number, inode: number) => `${size}:${mtimeMs}:${inode}`;
const fileNameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A live row whose path the walk did not find: a file at a new path with its move key takes it over. */
interface VanishedRow {
  id: number;
  name: string;
  addedAt: number;
}

/** True when the plan changes nothing: the live generation is still exact. */
export function isNoChange(plan: Pick<CompactPlan, 'moved' | 'removed' | 'inodesChanged'> & { toRead: ArrayLike<unknown> }): boolean {
  return plan.toRead.length === 0 && plan.moved === 0 && plan.removed === 0 && plan.inodesChanged === 0;
}

/** Plans a rebuild from the live keys (read once, in order, as a stream) and the walk's columns. */
export function planRebuildColumns(live: Iterable<LiveKey>, walk: WalkColumns, options: { force: boolean; reread?: readonly string[] }): CompactPlan {
  // A folder that could not be listed (permission changed, a sub-mount flapped) is not a deletion:
  // its rows are carried over unchanged.
  const unlisted = walk.skipped.map((s) => s.path + '/');
  const isUnlisted = (path: string) => unlisted.some((prefix) => path.startsWith(prefix));
  const files = unlisted.length > 0 ? walk.files.filter((i) => !isUnlisted(walk.files.path(i))) : walk.files;
  const n = files.length;

  // Path → file index, for this function only (dropped before the files are read).
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) indexOf.set(files.path(i), i);
  const action = new Uint8Array(n).fill(UNMATCHED);
  const rowId = new Float64Array(n).fill(-1);
  const previousAddedAt = new Float64Array(n).fill(NaN);
  const reread = new Set(options.reread ?? []);
  const carried: LiveKey[] = [];
  // Rows whose path vanished, by (size, mtime, inode): a new path with the same triple is a move (the
  // last such row wins, as a Map built in live order), and their ids in live order.
  const vanished = new Map<string, VanishedRow>();
  const vanishedIds: number[] = [];
  let liveCount = 0;
  let kept = 0;
  let inodesChanged = 0;
  for (const row of live) {
    liveCount++;
    const i = indexOf.get(row.path);
    if (i === undefined) {
      if (unlisted.length > 0 && isUnlisted(row.path)) {
        carried.push({ id: row.id, path: row.path, size: row.size, mtime_ms: row.mtime_ms, inode: row.inode, error_kind: row.error_kind, added_at: row.added_at });
      } else {
        vanished.set(moveKey(row.size, row.mtime_ms, row.inode), { id: row.id, name: fileNameOf(row.path), addedAt: row.added_at });
        vanishedIds.push(row.id);
      }
      continue;
    }
    rowId[i] = row.id;
    // Rows that failed for a passing reason (unreadable, timeout) are always tried again, and so is
    // a file the user asked to retry.
    const isRetryable = row.error_kind === 'unreadable' || row.error_kind === 'timeout' || reread.has(row.path);
    if (!options.force && !isRetryable && row.size === files.size(i) && row.mtime_ms === files.mtimeMs(i)) {
      const inodeChanged = row.inode !== files.ino(i);
      if (inodeChanged) inodesChanged++;
      action[i] = inodeChanged ? PlanAction.keepNewInode : PlanAction.keep;
      kept++;
    } else {
      action[i] = PlanAction.read;
      previousAddedAt[i] = row.added_at;
    }
  }

  let moved = 0;
  const movedIds = new Set<number>();
  let readCount = 0;
  for (let i = 0; i < n; i++) {
    if (action[i] === UNMATCHED) {
      const key = options.force || vanished.size === 0 ? undefined : moveKey(files.size(i), files.mtimeMs(i), files.ino(i));
      const from = key === undefined ? undefined : vanished.get(key);
      if (key !== undefined && from !== undefined) {
        vanished.delete(key);
        movedIds.add(from.id);
        rowId[i] = from.id;
        if (from.name === fileNameOf(files.path(i))) {
          action[i] = PlanAction.move;
          moved++;
          continue;
        }
        // Renamed: the row (id, added date, user data) follows the file, but the name is one of the
        // enrichment's sources (series, number, year parsed from it), so the file is read again.
        action[i] = PlanAction.read;
        previousAddedAt[i] = from.addedAt;
      } else action[i] = PlanAction.read;
    }
    if (action[i] === PlanAction.read) readCount++;
  }
  const toRead = new Uint32Array(readCount);
  for (let i = 0, k = 0; i < n; i++) if (action[i] === PlanAction.read) toRead[k++] = i;
  // Every live row whose path is gone and that did not move (two vanished rows may share a move key).
  const removedIds = movedIds.size === 0 ? vanishedIds : vanishedIds.filter((id) => !movedIds.has(id));
  return {
    files,
    carried,
    action,
    rowId,
    previousAddedAt,
    toRead,
    liveCount,
    reused: carried.length + kept,
    moved,
    removed: removedIds.length,
    removedIds,
    inodesChanged,
  };
}

/** A walked file whose row is kept: `index` is its place in `PlannedRebuild.files`. */
export interface KeptFile {
  index: number;
  id: number;
  file: WalkedFile;
  isMove: boolean;
  /** Same path, size and mtime but another inode (a restore from backup): the row is rewritten, not re-read. */
  inodeChanged: boolean;
}

/** A walked file that is opened and read; `previous` is the row it replaces (same path, or the row of a file that came back renamed), if any. */
export interface FileToRead {
  index: number;
  file: WalkedFile;
  previous: LiveKey | undefined;
}

/** The plan as objects (planRebuild). */
export interface PlannedRebuild {
  files: WalkedFile[];
  carried: LiveKey[];
  kept: KeptFile[];
  toRead: FileToRead[];
  reused: number;
  moved: number;
  removed: number;
  removedIds: number[];
  inodesChanged: number;
}

/** planRebuildColumns over objects, with the plan as objects: the same decisions, easier to read and assert. */
export function planRebuild(
  live: readonly LiveKey[],
  walk: Pick<WalkResult, 'files' | 'skipped'>,
  options: { force: boolean; reread?: readonly string[] },
): PlannedRebuild {
  const plan = planRebuildColumns(live, { files: WalkedFiles.of(walk.files), skipped: walk.skipped }, options);
  const byId = new Map(live.map((row) => [row.id, row]));
  const files = plan.files.toArray();
  const kept: KeptFile[] = [];
  const toRead: FileToRead[] = [];
  files.forEach((file, index) => {
    const action = plan.action[index]!;
    const id = plan.rowId[index]!;
    if (action === PlanAction.read) toRead.push({ index, file, previous: id < 0 ? undefined : byId.get(id) });
    else kept.push({ index, id, file, isMove: action === PlanAction.move, inodeChanged: action === PlanAction.keepNewInode });
  });
  const { carried, reused, moved, removed, removedIds, inodesChanged } = plan;
  return { files, carried, kept, toRead, reused, moved, removed, removedIds, inodesChanged };
}
