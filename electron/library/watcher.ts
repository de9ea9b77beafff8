// The library watcher: tells the LibraryService which paths under the library root changed, debounced,
// after files being copied have stopped growing. Over 400 lines: nearly all of it is one DirectoryWatcher
// whose two strategies (below) share the debounce, the stability check and the root-loss check;
// splitting the strategies into their own modules is a follow-up.
//
// Why not chokidar: chokidar 5 in "directory-only" mode (an `ignored` function that ignores every
// non-directory by its stats) does get down to one inotify watch per directory, and the files created or
// removed inside a watched directory are visible through its 'raw' events. But its initial scan still
// lstat()s and filters every file (readdirp with alwaysStat): measured on a 2,000 × 50 tree (100k files)
// it took 2.3–2.6 s to be ready and added 160–210 MB of RSS, against targets of ≤ 1 s and ≤ 50 MB — and
// the events we need come through an event chokidar documents as internal. So this module uses `fs.watch`
// directly:
//   - Linux (and any platform without native recursive watching): one non-recursive `fs.watch` per
//     directory, found by an async directory walk (readdir withFileTypes, no per-file stat). With inotify a
//     file created, written, renamed or removed inside a directory is an event on that directory, so one
//     watch per directory sees every file. New subdirectories are walked and watched, removed ones closed.
//   - macOS and Windows: a single `fs.watch(root, { recursive: true })` (FSEvents / ReadDirectoryChangesW
//     watch a whole tree natively); the walk only records the directories that exist.
// Measured with bench/watcher-measure.ts on the same 100k-file tree (2-vCPU VM, Node 20, shared with other
// jobs, load 10-18): ready in 0.37-1.2 s (0.5-0.6 s when quieter), +7-13 MB RSS, 2,001 inotify watches
// (one per folder), 0 after close(); event-loop delay while starting p99 4-32 ms, max 16-96 ms (too noisy
// under that load to judge; each fs.watch() call costs ~24 µs on the main thread). chokidar in
// directory-only mode measured 2.3-2.6 s quiet and 8.8 s under the same load, with +160-210 MB.
//
// What a notification means: "these paths (relative to the root, forward slashes; files with a comic
// extension or directories) were touched; rescan them". `paths: ['']` means the root itself went away,
// came back or was replaced (an unmount or remount); it never means "everything was deleted".
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, toLogFormat, type Logger } from './logger.js';
import { messageOf } from '../../shared/errors.js';
import { COMIC_EXTENSIONS, isComicFileName, isIgnoredName } from './scan/library-files.js';

/** The walk's extensions (scan/library-files.ts): a change to any other file wakes no rebuild. */
export const WATCHED_EXTENSIONS: ReadonlySet<string> = COMIC_EXTENSIONS;

export type WatchStrategy = 'per-directory' | 'recursive';

export interface LibraryWatcherOptions {
  root: string;
  logger?: Logger;
  /** Quiet time after the last event before a notification (default 1000 ms). */
  debounceMs?: number;
  /** How long a file's size and mtime must stay unchanged before it counts as written (default 2000 ms). */
  stableMs?: number;
  /** How often the root's identity is checked, to notice an unmount/remount without events (default 2000 ms). */
  rootCheckMs?: number;
  /** Defaults to 'recursive' on macOS and Windows, 'per-directory' elsewhere. Tests may force either. */
  strategy?: WatchStrategy;
  onChange: (change: { paths: string[] }) => void;
}

export interface LibraryWatcher {
  /** Resolves once every directory is watched (or once the root was found missing; it is then polled). */
  ready: Promise<void>;
  /** Releases every watch and timer; no notification is delivered after it resolves. */
  close(): Promise<void>;
}

export function createLibraryWatcher(options: LibraryWatcherOptions): LibraryWatcher {
  const watcher = new DirectoryWatcher(options);
  return { ready: watcher.ready, close: () => watcher.close() };
}

/** Directory and file names that are never watched nor reported. */
export { isIgnoredName };

export function hasComicExtension(name: string): boolean {
  return isComicFileName(name);
}

interface DirState {
  dev: number;
  ino: number;
  watcher: FSWatcher | null;
  children: Set<string>;
}

interface Tracker {
  size: number;
  mtimeMs: number;
  changedAt: number;
}

/** Directories read at the same time during a walk. */
const WALK_CONCURRENCY = 4;
/** Files stat()ed at the same time by the stability poll. */
const POLL_BATCH = 64;

class DirectoryWatcher {
  readonly ready: Promise<void>;
  readonly #root: string;
  readonly #log: Logger;
  readonly #debounceMs: number;
  readonly #stableMs: number;
  readonly #maxWaitMs: number;
  readonly #maxHoldMs: number;
  readonly #strategy: WatchStrategy;
  readonly #onChange: (change: { paths: string[] }) => void;

  #closed = false;
  /** Known directories by relative path ('' is the root). */
  readonly #dirs = new Map<string, DirState>();
  #recursiveWatcher: FSWatcher | null = null;
  /** Identity of the root when it was last set up; null while it is missing. */
  #rootId: string | null = null;
  #rootChecking = false;
  readonly #rootTimer: NodeJS.Timeout;

  readonly #pending = new Set<string>();
  #firstPendingAt: number | null = null;
  #flushTimer: NodeJS.Timeout | null = null;

  readonly #trackers = new Map<string, Tracker>();
  #pollTimer: NodeJS.Timeout | null = null;
  #polling = false;
  /** Paths being stat()ed; true when another event arrived meanwhile and it must be checked again. */
  readonly #checking = new Map<string, boolean>();
  #watchLimitLogged = false;
  /** Directory walks in progress (a new folder is reported only once its files are known and settled). */
  #walks = 0;

  constructor(options: LibraryWatcherOptions) {
    this.#root = path.resolve(options.root);
    this.#log = options.logger ?? silentLogger;
    this.#debounceMs = Math.max(0, options.debounceMs ?? 1000);
    this.#stableMs = Math.max(1, options.stableMs ?? 2000);
    this.#maxWaitMs = Math.max(this.#debounceMs * 5, 1000);
    this.#maxHoldMs = Math.max(60_000, this.#stableMs * 10);
    this.#strategy = options.strategy ?? (process.platform === 'darwin' || process.platform === 'win32' ? 'recursive' : 'per-directory');
    this.#onChange = options.onChange;
    this.#rootTimer = setInterval(() => this.#checkRoot(), Math.max(50, options.rootCheckMs ?? 2000));
    this.#rootTimer.unref();
    this.ready = this.#setUp(false).then(
      () => undefined,
      (err: unknown) => this.#log.error(`watcher: could not start on ${this.#root}: ${toLogFormat(err)}`),
    );
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#rootTimer);
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#tearDown();
    await this.ready;
    this.#tearDown(); // anything a walk in flight registered before it saw #closed
  }

  // ---- set-up and tear-down ------------------------------------------------------------------

  /** Watches the whole tree. Returns false when the root is missing or not a directory. */
  async #setUp(afterRootChange: boolean): Promise<boolean> {
    let rootStats: Stats;
    try {
      rootStats = await stat(this.#root); // the root may be a symlink to the real folder
      if (!rootStats.isDirectory()) throw new Error('not a directory');
    } catch (err) {
      this.#rootId = null;
      this.#log.warn(`watcher: library root ${this.#root} is not available (${messageOf(err)}); checking again periodically`);
      return false;
    }
    if (this.#closed) return false;
    this.#rootId = identity(rootStats);
    if (this.#strategy === 'recursive') {
      try {
        this.#recursiveWatcher = watch(this.#root, { recursive: true, persistent: false }, (event, name) => this.#onEvent('', event, name));
        this.#recursiveWatcher.on('error', (err) => {
          this.#log.warn(`watcher: recursive watch on ${this.#root} failed: ${messageOf(err)}`);
          this.#checkRoot();
        });
      } catch (err) {
        this.#log.error(`watcher: cannot watch ${this.#root}: ${messageOf(err)}`);
      }
    }
    const started = performance.now();
    await this.#walk('', false);
    if (!this.#closed) {
      this.#log.info(`watcher: watching ${this.#dirs.size} folder(s) under ${this.#root} (${Math.round(performance.now() - started)} ms)`);
    }
    if (afterRootChange) this.#addPending('');
    return true;
  }

  #tearDown(): void {
    for (const dir of this.#dirs.values()) dir.watcher?.close();
    this.#dirs.clear();
    this.#recursiveWatcher?.close();
    this.#recursiveWatcher = null;
    this.#trackers.clear();
    if (this.#pollTimer) clearInterval(this.#pollTimer);
    this.#pollTimer = null;
  }

  /** Backstop for the root: missing, replaced or remounted (a remount over a mount point sends no event). */
  #checkRoot(): void {
    if (this.#closed || this.#rootChecking) return;
    this.#rootChecking = true;
    rootIdentity(this.#root)
      .then(async (id) => {
        if (this.#closed || id === this.#rootId) return;
        if (this.#rootId !== null) {
          this.#log.warn(`watcher: library root ${this.#root} ${id === null ? 'disappeared' : 'was replaced (remounted?)'}`);
          this.#tearDown();
          this.#rootId = null;
          this.#pending.clear();
          // Gone: report now. Replaced: #setUp reports [''] once the new tree is watched (one notification).
          if (id === null) this.#addPending('');
        }
        if (id !== null) await this.#setUp(true);
      })
      .catch((err: unknown) => this.#log.error(`watcher: root check failed: ${toLogFormat(err)}`))
      .finally(() => {
        this.#rootChecking = false;
      });
  }

  // ---- directories ---------------------------------------------------------------------------

  /** Walks `startRel` and everything under it, registering (and, per-directory, watching) each folder. */
  async #walk(startRel: string, trackFiles: boolean): Promise<void> {
    this.#walks++;
    try {
      await this.#walkTree(startRel, trackFiles);
    } finally {
      this.#walks--;
      if (this.#walks === 0 && this.#pending.size > 0) this.#scheduleFlush();
    }
  }

  async #walkTree(startRel: string, trackFiles: boolean): Promise<void> {
    const queue = [startRel];
    await new Promise<void>((resolve) => {
      let active = 0;
      const pump = (): void => {
        while (active < WALK_CONCURRENCY && queue.length > 0) {
          const rel = queue.pop() as string;
          active++;
          this.#visit(rel, trackFiles)
            .then((subdirs) => {
              if (!this.#closed) queue.push(...subdirs);
            })
            .catch((err: unknown) => this.#log.warn(`watcher: cannot read ${this.#abs(rel)}: ${messageOf(err)}`))
            .finally(() => {
              active--;
              if (queue.length === 0 && active === 0) resolve();
              else pump();
            });
        }
      };
      pump();
    });
  }

  /** Registers one directory, starts watching it, lists it; returns its subdirectories. */
  async #visit(rel: string, trackFiles: boolean): Promise<string[]> {
    if (this.#closed) return [];
    const abs = this.#abs(rel);
    // Folders below the root are not followed when they are symlinks (no loops, no escaping the root).
    const stats = await (rel === '' ? stat(abs) : lstat(abs)).catch(() => null);
    if (stats === null || !stats.isDirectory() || this.#closed) return [];
    const known = this.#dirs.get(rel);
    if (known && known.ino === stats.ino && known.dev === stats.dev) return [];
    if (known) this.#forgetDir(rel);
    this.#registerDir(rel, stats); // watch before listing, so nothing created in between is missed
    const entries = await readdir(abs, { withFileTypes: true });
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (isIgnoredName(entry.name)) continue;
      const child = join(rel, entry.name);
      if (entry.isDirectory()) subdirs.push(child);
      else if (trackFiles && hasComicExtension(entry.name)) this.#check(child);
    }
    return subdirs;
  }

  #registerDir(rel: string, stats: Stats): void {
    const state: DirState = { dev: stats.dev, ino: stats.ino, watcher: null, children: new Set() };
    this.#dirs.set(rel, state);
    if (rel !== '') this.#dirs.get(parentOf(rel))?.children.add(rel);
    if (this.#strategy !== 'per-directory') return;
    try {
      const fsWatcher = watch(this.#abs(rel), { persistent: false }, (event, name) => this.#onEvent(rel, event, name));
      fsWatcher.on('error', (err) => {
        this.#log.debug(`watcher: watch on ${this.#abs(rel)} ended: ${messageOf(err)}`);
        this.#checkDir(rel);
      });
      state.watcher = fsWatcher;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ENOSPC' || code === 'EMFILE') {
        if (!this.#watchLimitLogged) {
          this.#watchLimitLogged = true;
          this.#log.error(
            `watcher: out of file watches (${code}) at ${this.#abs(rel)}; some folders are not watched. ` +
              'On Linux raise fs.inotify.max_user_watches; Refresh still finds every change.',
          );
        }
      } else if (code !== 'ENOENT') {
        this.#log.warn(`watcher: cannot watch ${this.#abs(rel)}: ${messageOf(err)}`);
      }
    }
  }

  /** Stops watching `rel` and everything below it. */
  #forgetDir(rel: string): void {
    const state = this.#dirs.get(rel);
    if (!state) return;
    for (const child of state.children) this.#forgetDir(child);
    state.watcher?.close();
    this.#dirs.delete(rel);
    if (rel !== '') this.#dirs.get(parentOf(rel))?.children.delete(rel);
    const prefix = `${rel}/`;
    for (const file of this.#trackers.keys()) if (file.startsWith(prefix)) this.#trackers.delete(file);
  }

  /** A watch ended or reported an event about the directory itself: is it still the same directory? */
  #checkDir(rel: string): void {
    if (rel === '') {
      this.#checkRoot();
      return;
    }
    lstat(this.#abs(rel))
      .then(
        (stats) => this.#onStat(rel, stats),
        (err: unknown) => this.#onStat(rel, null, err),
      )
      .catch((err: unknown) => this.#log.error(`watcher: ${toLogFormat(err)}`));
  }

  // ---- events --------------------------------------------------------------------------------

  #onEvent(dirRel: string, _event: string, name: string | Buffer | null): void {
    try {
      if (this.#closed) return;
      if (name === null || name === undefined) {
        // No file name (possible on some platforms): rescan the directory itself.
        this.#addPending(dirRel);
        if (this.#strategy === 'per-directory') this.#checkDir(dirRel);
        return;
      }
      const relName = String(name).split(path.sep).join('/');
      if (this.#strategy === 'per-directory' && relName === path.basename(this.#abs(dirRel))) {
        // inotify reports events about the watched directory itself (deleted, moved, unmounted) under its
        // own name; the same name can also be a real child, so check both.
        this.#checkDir(dirRel);
      }
      const rel = join(dirRel, relName);
      if (rel.split('/').some(isIgnoredName)) return;
      this.#check(rel);
    } catch (err) {
      this.#log.error(`watcher: event handling failed: ${toLogFormat(err)}`);
    }
  }

  /** Looks at what is now at `rel` (coalescing concurrent events for the same path). */
  #check(rel: string): void {
    if (this.#closed) return;
    if (this.#checking.has(rel)) {
      this.#checking.set(rel, true);
      return;
    }
    const tracker = this.#trackers.get(rel);
    if (tracker) {
      tracker.changedAt = Date.now(); // still being written; the poll decides when it is done
      return;
    }
    this.#checking.set(rel, false);
    lstat(this.#abs(rel))
      .then(
        (stats) => this.#onStat(rel, stats),
        (err: unknown) => this.#onStat(rel, null, err),
      )
      .catch((err: unknown) => this.#log.error(`watcher: ${toLogFormat(err)}`))
      .finally(() => {
        const again = this.#checking.get(rel);
        this.#checking.delete(rel);
        if (again) this.#check(rel);
      });
  }

  #onStat(rel: string, stats: Stats | null, err?: unknown): void {
    if (this.#closed) return;
    const known = this.#dirs.get(rel);
    if (stats === null) {
      const code = errorCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.#log.debug(`watcher: cannot stat ${this.#abs(rel)}: ${messageOf(err)}`);
      if (known) {
        this.#forgetDir(rel);
        this.#addPending(rel);
      } else if (hasComicExtension(rel)) {
        this.#trackers.delete(rel);
        this.#addPending(rel);
      }
      return;
    }
    if (stats.isDirectory()) {
      if (known && known.ino === stats.ino && known.dev === stats.dev) return;
      // A new folder (or a folder replaced under the same name): watch it, wait for the files in it.
      if (known) this.#forgetDir(rel);
      this.#addPending(rel);
      this.#walk(rel, true).catch((e: unknown) => this.#log.warn(`watcher: walk of ${this.#abs(rel)} failed: ${messageOf(e)}`));
      return;
    }
    if (known) {
      this.#forgetDir(rel); // a folder replaced by a file
      this.#addPending(rel);
    }
    if (!hasComicExtension(rel)) return;
    this.#trackers.set(rel, { size: stats.size, mtimeMs: stats.mtimeMs, changedAt: Date.now() });
    if (this.#pollTimer === null) {
      this.#pollTimer = setInterval(() => this.#poll(), Math.max(10, Math.round(this.#stableMs / 4)));
      this.#pollTimer.unref();
    }
  }

  /** Stability poll: a file is reported once its size and mtime stayed the same for stableMs. */
  #poll(): void {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    this.#pollOnce()
      .catch((err: unknown) => this.#log.error(`watcher: poll failed: ${toLogFormat(err)}`))
      .finally(() => {
        this.#polling = false;
        if (this.#trackers.size === 0 && this.#pollTimer) {
          clearInterval(this.#pollTimer);
          this.#pollTimer = null;
        }
      });
  }

  async #pollOnce(): Promise<void> {
    const paths = [...this.#trackers.keys()];
    for (let i = 0; i < paths.length && !this.#closed; i += POLL_BATCH) {
      await Promise.all(
        paths.slice(i, i + POLL_BATCH).map(async (rel) => {
          const stats = await lstat(this.#abs(rel)).catch(() => null);
          const tracker = this.#trackers.get(rel);
          if (!tracker || this.#closed) return;
          const now = Date.now();
          if (stats === null) {
            this.#trackers.delete(rel);
            this.#addPending(rel);
          } else if (stats.size !== tracker.size || stats.mtimeMs !== tracker.mtimeMs) {
            tracker.size = stats.size;
            tracker.mtimeMs = stats.mtimeMs;
            tracker.changedAt = now;
          } else if (now - tracker.changedAt >= this.#stableMs) {
            this.#trackers.delete(rel);
            this.#addPending(rel);
          }
        }),
      );
    }
    if (this.#trackers.size === 0 && this.#pending.size > 0) this.#scheduleFlush();
  }

  // ---- notifications -------------------------------------------------------------------------

  #addPending(rel: string): void {
    if (this.#closed) return;
    if (this.#rootId === null && rel !== '') return; // the root is gone: only [''] is meaningful
    this.#pending.add(rel);
    this.#firstPendingAt ??= Date.now();
    this.#scheduleFlush();
  }

  /** Trailing debounce, but never later than maxWaitMs after the first pending path. */
  #scheduleFlush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    const waited = this.#firstPendingAt === null ? 0 : Date.now() - this.#firstPendingAt;
    const delay = Math.max(0, Math.min(this.#debounceMs, this.#maxWaitMs - waited));
    this.#flushTimer = setTimeout(() => this.#flush(), delay);
    this.#flushTimer.unref();
  }

  #flush(): void {
    this.#flushTimer = null;
    if (this.#closed || this.#pending.size === 0) return;
    const held = this.#firstPendingAt === null ? 0 : Date.now() - this.#firstPendingAt;
    if ((this.#trackers.size > 0 || this.#walks > 0) && held < this.#maxHoldMs) {
      // Files are still being written (e.g. a folder being copied in) or a new folder is still being
      // listed: hold everything until they are done, so the rebuild never reads a half-written file.
      // #pollOnce and #walk reschedule when they settle; this timer only bounds the hold for a file that
      // keeps growing for a very long time.
      this.#flushTimer = setTimeout(() => this.#flush(), this.#maxHoldMs - held);
      this.#flushTimer.unref();
      return;
    }
    // Before reporting, make sure the root is still the same folder: a deleted or unmounted root first
    // shows up as its contents vanishing, which must be reported as [''], never as deleted files.
    rootIdentity(this.#root)
      .then((id) => {
        if (this.#closed || this.#pending.size === 0) return;
        if (id !== this.#rootId) {
          this.#checkRoot(); // replaces the pending paths with [''] and reschedules
          return;
        }
        const paths = [...this.#pending].sort();
        this.#pending.clear();
        this.#firstPendingAt = null;
        try {
          this.#onChange({ paths });
        } catch (err) {
          this.#log.error(`watcher: onChange failed: ${toLogFormat(err)}`);
        }
      })
      .catch((err: unknown) => this.#log.error(`watcher: flush failed: ${toLogFormat(err)}`));
  }

  #abs(rel: string): string {
    return rel === '' ? this.#root : path.join(this.#root, ...rel.split('/'));
  }
}

function join(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** dev:ino of the folder at `root` (following a symlink), or null when it is missing or not a folder. */
function rootIdentity(root: string): Promise<string | null> {
  return stat(root).then(
    (stats) => (stats.isDirectory() ? identity(stats) : null),
    () => null,
  );
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

