// The library watcher: tells the LibraryService which paths under the library root changed, debounced,
// after files being copied have stopped growing. This module finds and watches the folders and turns
// fs.watch events into paths to look at; change-batch.ts debounces and delivers them, settling-files.ts
// waits for files being written, watch-paths.ts has the path and root-identity helpers.
//
// `fs.watch` directly, not chokidar (whose initial scan lstat()s every file: 2.3–2.6 s and +160–210 MB
// on 100k files, against ≤ 1 s and ≤ 50 MB; measured with bench/watcher-measure.ts, docs/architecture.md §5):
//   - Linux (and any platform without native recursive watching): one non-recursive `fs.watch` per
//     directory, found by an async directory walk (readdir withFileTypes, no per-file stat). With inotify a
//     file created, written, renamed or removed inside a directory is an event on that directory, so one
//     watch per directory sees every file. New subdirectories are walked and watched, removed ones closed.
//     100k files: ready in 0.37–1.2 s, +7–13 MB RSS, one inotify watch per folder, 0 after close().
//   - macOS and Windows: a single `fs.watch(root, { recursive: true })` (FSEvents / ReadDirectoryChangesW
//     watch a whole tree natively); the walk only records the directories that exist.
//
// What a notification means: "these paths (relative to the root, forward slashes; files with a comic
// extension or directories) were touched; rescan them". `paths: ['']` means the root itself went away,
// came back or was replaced (an unmount or remount); it never means "everything was deleted".
import { watch, type FSWatcher, type Stats } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, toLogFormat, type Logger } from '../logger.js';
import { messageOf } from '../../../shared/errors.js';
// The walk's rule (scan/library-files.ts): a change to any other file wakes no rebuild.
import { isComicFileName as hasComicExtension, isIgnoredName } from '../scan/library-files.js';
import { ChangeBatch } from './change-batch.js';
import { SettlingFiles } from './settling-files.js';
import { errorCode, identity, join, parentOf, rootIdentity } from './watch-paths.js';

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

interface DirState {
  dev: number;
  ino: number;
  watcher: FSWatcher | null;
  children: Set<string>;
}

/** Directories read at the same time during a walk. */
const WALK_CONCURRENCY = 4;

class DirectoryWatcher {
  readonly ready: Promise<void>;
  readonly #root: string;
  readonly #log: Logger;
  readonly #strategy: WatchStrategy;

  #closed = false;
  /** Known directories by relative path ('' is the root). */
  readonly #dirs = new Map<string, DirState>();
  #recursiveWatcher: FSWatcher | null = null;
  /** Identity of the root when it was last set up; null while it is missing. */
  #rootId: string | null = null;
  #rootChecking = false;
  readonly #rootTimer: NodeJS.Timeout;

  readonly #batch: ChangeBatch;
  readonly #settling: SettlingFiles;
  /** Paths being stat()ed; true when another event arrived meanwhile and it must be checked again. */
  readonly #checking = new Map<string, boolean>();
  #watchLimitLogged = false;
  /** Directory walks in progress (a new folder is reported only once its files are known and settled). */
  #walks = 0;

  constructor(options: LibraryWatcherOptions) {
    this.#root = path.resolve(options.root);
    this.#log = options.logger ?? silentLogger;
    const debounceMs = Math.max(0, options.debounceMs ?? 1000);
    const stableMs = Math.max(1, options.stableMs ?? 2000);
    this.#strategy = options.strategy ?? (process.platform === 'darwin' || process.platform === 'win32' ? 'recursive' : 'per-directory');
    this.#settling = new SettlingFiles({
      stableMs,
      statFile: (rel) => lstat(this.#abs(rel)).catch(() => null),
      report: (rel) => this.#addPending(rel),
      onIdle: () => this.#batch.wake(),
      log: this.#log,
    });
    this.#batch = new ChangeBatch({
      debounceMs,
      maxWaitMs: Math.max(debounceMs * 5, 1000),
      maxHoldMs: Math.max(60_000, stableMs * 10),
      isBusy: () => this.#settling.size > 0 || this.#walks > 0,
      // Before reporting, make sure the root is still the same folder: a deleted or unmounted root first
      // shows up as its contents vanishing, which must be reported as [''], never as deleted files.
      isSameRoot: async () => (await rootIdentity(this.#root)) === this.#rootId,
      onRootChanged: () => this.#checkRoot(), // replaces the pending paths with [''] and reschedules
      deliver: (paths) => options.onChange({ paths }),
      log: this.#log,
    });
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
    this.#batch.close();
    this.#settling.close();
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
    this.#settling.clear();
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
          this.#batch.clear();
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
      if (this.#walks === 0) this.#batch.wake();
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
    this.#settling.forgetUnder(rel);
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
    if (this.#settling.touch(rel)) return;
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
        this.#settling.delete(rel);
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
    if (hasComicExtension(rel)) this.#settling.track(rel, stats);
  }

  // ---- notifications -------------------------------------------------------------------------

  #addPending(rel: string): void {
    if (this.#closed) return;
    if (this.#rootId === null && rel !== '') return; // the root is gone: only [''] is meaningful
    this.#batch.add(rel);
  }

  #abs(rel: string): string {
    return rel === '' ? this.#root : path.join(this.#root, ...rel.split('/'));
  }
}
