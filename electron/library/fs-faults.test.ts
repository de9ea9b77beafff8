// File-system faults during a rebuild, through the real engine: the rebuild job in process where the
// fault must land between the walk and the read (the job's onOpen hook runs just before enrichFile),
// and a LibraryService with its worker process everywhere else. The assertions are what the user sees:
// the row's error, getStatus(), the list still holding the old rows, user state kept.
import { fork, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComicQuery } from '../../shared/types.js';
import { openLibraryService, type LibraryService } from './library-service.js';
import { workerEntryPath } from './node-launcher.js';
import { runRebuild, type RebuildInput } from './rebuild-job.js';
import type { LibraryServiceOptions } from './service-options.js';
import { openDatabase } from './store/open-database.js';
import { closeAfterEach } from './testing/close-after-each.js';
import { comicZip, writeComic, writeLibrary } from './testing/fixtures.js';
import { listedRows } from './testing/library-db.js';
import { libraryDirsIn } from './testing/library-dirs.js';
import { tempDirForEach } from './testing/temp-dir.js';
import { isWorkerMessage, type WorkerHandle, type WorkerLauncher, type WorkerMessage } from './worker-protocol.js';

const ALL: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };

let dir: string;
let root: string;
let dataDir: string;
let dbPath: string;
const services: LibraryService[] = [];

tempDirForEach('lb-fsfault-', (made) => {
  ({ dir, root, dataDir } = libraryDirsIn(made));
  dbPath = join(dataDir, 'library.db');
  mkdirSync(dataDir);
  openDatabase(dbPath).close(); // the service migrates before the worker runs
});
closeAfterEach({ services });

async function rebuild(extra: Partial<RebuildInput> = {}) {
  return runRebuild({ root, dbPath, options: { concurrency: 1, maxFileMs: 10_000, force: false }, ...extra });
}

const rows = () => listedRows(dbPath, ALL);
const byPath = () => new Map(rows().map((r) => [r.path, r]));

async function start(options: Partial<LibraryServiceOptions> = {}): Promise<LibraryService> {
  const service = await openLibraryService({ root, dataDir, watch: false, concurrency: 2, prefetchCovers: false, ...options });
  services.push(service);
  return service;
}

/** Makes the files look changed, so the next rebuild opens them again. */
function touchAll(paths: string[], at = Date.now() + 10_000): void {
  for (const p of paths) utimesSync(join(root, p), new Date(at), new Date(at));
}

describe('a file changes between the walk and the read (rebuild job, fault injected in onOpen)', () => {
  it('deleted → one "unreadable" row saying it vanished; the others are read; the next rebuild drops it', async () => {
    const paths = writeLibrary(root, 6);
    const victim = paths[2]!;
    const result = await rebuild({ onOpen: (p) => p === victim && unlinkSync(join(root, p)) });
    expect(result.fileCount).toBe(6);
    const row = byPath().get(victim)!;
    expect(row).toMatchObject({ error_kind: 'unreadable', page_count: 0 });
    expect(row.error_message).toMatch(/vanished|disappeared/);
    expect(rows().filter((r) => r.error_kind === null)).toHaveLength(5);
    const next = await rebuild();
    expect(next.fileCount).toBe(5);
    expect(byPath().has(victim)).toBe(false);
  });

  it('truncated → a "truncated" row, and the complete file is read again once it is whole', async () => {
    const paths = writeLibrary(root, 4);
    const victim = paths[1]!;
    const full = comicZip({ series: 'Victim', pages: 5 });
    writeFileSync(join(root, victim), full);
    await rebuild({ onOpen: (p) => p === victim && truncateSync(join(root, p), Math.floor(full.length / 2)) });
    const broken = byPath().get(victim)!;
    expect(broken.error_kind).toMatch(/truncated|corrupt/);
    expect(broken.error_message).toBeTruthy();
    writeFileSync(join(root, victim), full);
    touchAll([victim]);
    await rebuild();
    expect(byPath().get(victim)).toMatchObject({ id: broken.id, error_kind: null, page_count: 5, series: 'Victim' });
  });

  it('a file still being written is read as truncated, then re-read when it is complete (same row)', async () => {
    writeLibrary(root, 2);
    const growing = comicZip({ series: 'Growing', pages: 4 });
    writeFileSync(join(root, 'growing.cbz'), growing.subarray(0, 300));
    await rebuild();
    const partial = byPath().get('growing.cbz')!;
    expect(partial.error_kind).toMatch(/truncated|not-archive|corrupt/);
    writeFileSync(join(root, 'growing.cbz'), growing);
    touchAll(['growing.cbz']);
    const result = await rebuild();
    expect(result.stats.opened).toBe(1);
    expect(byPath().get('growing.cbz')).toMatchObject({ id: partial.id, error_kind: null, page_count: 4, series: 'Growing' });
  });

  it('root emptied before a rebuild (service): generation kept, status shows ROOT_UNREADABLE, the list still has the rows', async () => {
    writeLibrary(root, 7);
    const service = await start();
    await service.listComics(ALL);
    await service.whenIdle();
    for (const name of readdirSync(root)) rmSync(join(root, name), { recursive: true });
    service.refresh();
    await service.whenIdle();
    const status = service.getStatus();
    expect(status).toMatchObject({ generation: 1, file_count: 7, rebuild_in_progress: false, phase: 'idle' });
    expect(status.last_error).toMatchObject({ code: 'ROOT_UNREADABLE', message: expect.stringMatching(/empty|mounted/) });
    expect((await service.listComics(ALL)).total).toBe(7);
  });

  // The drive going away DURING a rebuild (after the walk) must not turn the library into error rows:
  // the job re-checks the root when files became unreadable and keeps the live generation.
  it('root unmounted mid-rebuild: the rebuild fails ROOT_UNREADABLE and the old rows stay', async () => {
    const paths = writeLibrary(root, 12);
    await rebuild();
    const before = byPath();
    touchAll(paths); // e.g. a restore that changed the mtimes: every file is read again
    let opened = 0;
    const away = join(dir, 'unmounted');
    const pending = rebuild({
      onOpen: () => {
        if (++opened === 3) renameSync(root, away);
      },
    });
    await expect(pending).rejects.toMatchObject({ code: 'ROOT_UNREADABLE' });
    for (const [path, row] of byPath()) expect(row.error_kind, path).toBe(before.get(path)!.error_kind);
  });

  it('rows that were unreadable for a passing reason are read again once the files are back', async () => {
    const paths = writeLibrary(root, 12);
    await rebuild();
    const victim = join(root, paths[5]!);
    const hidden = join(dir, 'hidden.cbz');
    touchAll(paths);
    // The file vanishes just before it is read (a flaky share), then comes back unchanged.
    await rebuild({ onOpen: (p) => p === paths[5] && renameSync(victim, hidden) });
    renameSync(hidden, victim);
    expect(rows().filter((r) => r.error_kind === 'unreadable').map((r) => r.path)).toEqual([paths[5]]);
    // Same path, size and mtime as the error row: still opened again, because the error was transient.
    await rebuild();
    expect(rows().filter((r) => r.error_kind === 'unreadable')).toHaveLength(0);
    expect(rows()).toHaveLength(12);
  });
});

describe('symlinks, long names, case-only renames (service with its worker)', () => {
  it('symlink loops and dangling links neither hang nor duplicate rows', async () => {
    writeLibrary(root, 4);
    symlinkSync(root, join(root, 'loop-to-root'));
    symlinkSync('..', join(root, 'Series 0', 'loop-up'));
    symlinkSync(join(root, 'Series 1'), join(root, 'Series 0', 'sideways'));
    symlinkSync('self.cbz', join(root, 'self.cbz')); // ELOOP
    symlinkSync(join(dir, 'nowhere.cbz'), join(root, 'dangling.cbz'));
    const started = performance.now();
    const service = await start();
    const page = await service.listComics(ALL);
    await service.whenIdle();
    console.log(`fs-faults: symlink loops walked in ${Math.round(performance.now() - started)} ms`);
    expect(service.getStatus()).toMatchObject({ last_error: null, generation: 1 });
    // Each real folder is scanned once, whichever link reaches it first.
    expect(new Set(page.items.map((c) => c.fingerprint)).size).toBe(4);
    expect(page.items.filter((c) => c.errorKind === null)).toHaveLength(page.total);
    expect(page.items.some((c) => c.fileName === 'self.cbz' || c.fileName === 'dangling.cbz')).toBe(false);
  });

  it('255-byte names and 3,000-byte deep paths are read, listed, searched and covered', async () => {
    const longAscii = `${'L'.repeat(251)}.cbz`;
    const longUtf8 = `${'é'.repeat(125)}.cbz`; // 254 bytes
    expect(Buffer.byteLength(longAscii)).toBe(255);
    const deep = Array.from({ length: 30 }, (_, i) => `level-${String(i).padStart(2, '0')}-${'d'.repeat(90)}`).join('/');
    writeComic(root, longAscii, { series: 'Long Ascii' });
    writeComic(root, longUtf8, { series: 'Long Utf8' });
    writeComic(root, `${deep}/deep.cbz`, { series: 'Deep Down' });
    expect(Buffer.byteLength(join(root, deep))).toBeGreaterThan(2900);
    const service = await start();
    const page = await service.listComics(ALL);
    await service.whenIdle();
    expect(page.total).toBe(3);
    for (const item of page.items) {
      expect(item.errorKind, item.path.slice(0, 60)).toBeNull();
      const cover = await service.getCover(item.id);
      expect(cover.data.length).toBeGreaterThan(0);
      expect(await service.getComicPath(item.id)).toBe(join(root, item.path));
    }
    expect(page.items.find((c) => c.series === 'Deep Down')!.folder).toBe(deep);
    expect((await service.listComics({ ...ALL, q: 'deep' })).total).toBe(1);
  });

  it('a case-only rename (a.cbz → A.cbz) keeps the row, its id and its user state', async () => {
    writeLibrary(root, 3);
    writeComic(root, 'a.cbz', { series: 'Case' });
    const service = await start();
    const first = (await service.listComics(ALL)).items.find((c) => c.path === 'a.cbz')!;
    await service.whenIdle();
    await service.setUserState(first.id, { read: true, lastPage: 4, favourite: true });
    renameSync(join(root, 'a.cbz'), join(root, 'A.cbz'));
    service.refresh();
    await service.whenIdle();
    const items = (await service.listComics(ALL)).items;
    expect(items.map((c) => c.path)).not.toContain('a.cbz');
    const renamed = items.find((c) => c.path === 'A.cbz')!;
    expect(renamed).toMatchObject({ id: first.id, read: true, fingerprint: first.fingerprint, addedAt: first.addedAt });
    expect((await service.getComic(renamed.id)).userState).toMatchObject({ read: true, lastPage: 4, favourite: true });
  });
});

// ---- permission denied ------------------------------------------------------------------------------
// Root ignores file permissions, so as root the worker is started as `nobody` (fork with uid/gid): the
// real worker, refused by the OS. As any other user the normal worker already is.

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** As root: can `nobody` start the worker from this checkout (a clone under /root is not reachable)? */
function nobodyCannotRun(): string | null {
  if (!isRoot) return null;
  const entry = workerEntryPath();
  const probe = spawnSync(process.execPath, [...(entry.fromSource ? ['--import', 'tsx'] : []), '-e', `require('node:fs').accessSync(${JSON.stringify(entry.path)})`], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: process.cwd(),
    timeout: 30_000,
    encoding: 'utf8',
  });
  return probe.status === 0 ? null : `running as root and the worker cannot be started as nobody (${(probe.error?.message ?? probe.stderr ?? '').split('\n')[0]})`;
}
const permissionSkip = nobodyCannotRun();
if (permissionSkip) console.log(`fs-faults: permission-denied tests skipped: ${permissionSkip} (root ignores file permissions)`);

function launcherAs(uid: number, gid: number): WorkerLauncher {
  return () => {
    const entry = workerEntryPath();
    const child = fork(entry.path, [], {
      execArgv: entry.fromSource ? ['--import', 'tsx'] : [],
      cwd: process.cwd(),
      uid,
      gid,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const handle: WorkerHandle = {
      get pid() {
        return child.pid;
      },
      send(request) {
        if (child.connected) child.send(request);
      },
      onMessage(listener: (message: WorkerMessage) => void) {
        child.on('message', (message: unknown) => isWorkerMessage(message) && listener(message));
      },
      onExit(listener) {
        child.once('exit', (code, signal) => listener(code, signal));
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
    return handle;
  };
}

/** Lets `nobody` reach the temp dir and write the data dir (SQLite gives -wal/-shm the db's owner). */
function handOverToNobody(): void {
  chmodSync(dir, 0o755);
  chmodSync(root, 0o755);
  for (const p of [dataDir, ...readdirSync(dataDir).map((n) => join(dataDir, n))]) chownSync(p, NOBODY, NOBODY);
}

describe.skipIf(permissionSkip !== null)('permission denied', () => {
  if (isRoot) console.log('fs-faults: running as root, so the worker runs as nobody for the permission tests');

  async function startRefusable(): Promise<LibraryService> {
    if (!isRoot) return start();
    handOverToNobody();
    return start({ launcher: launcherAs(NOBODY, NOBODY) });
  }

  it('an unreadable file is one "unreadable" row saying permission denied; the rest is read', async () => {
    writeLibrary(root, 3);
    writeComic(root, 'locked.cbz', { series: 'Locked' });
    chmodSync(join(root, 'locked.cbz'), 0o000);
    const service = await startRefusable();
    const page = await service.listComics(ALL);
    await service.whenIdle();
    expect(service.getStatus()).toMatchObject({ last_error: null, generation: 1, file_count: 4, error_count: 1 });
    const locked = page.items.find((c) => c.path === 'locked.cbz')!;
    expect(locked).toMatchObject({ errorKind: 'unreadable' });
    expect(locked.errorMessage).toMatch(/permission denied/i);
    await expect(service.getCover(locked.id)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    // Readable again: the user fixes the permission, refreshes, and the file is read (the mode change
    // alone leaves size and mtime as they were, so touch it as a copy-back would).
    chmodSync(join(root, 'locked.cbz'), 0o644);
    touchAll(['locked.cbz']);
    service.refresh();
    await service.whenIdle();
    expect((await service.listComics(ALL)).items.find((c) => c.path === 'locked.cbz')).toMatchObject({ id: locked.id, errorKind: null, series: 'Locked' });
  });

  it('an unreadable folder fails nothing: the rebuild completes and the other folders are read', async () => {
    writeLibrary(root, 6);
    mkdirSync(join(root, 'Private'));
    writeComic(root, 'Private/secret.cbz');
    chmodSync(join(root, 'Private'), 0o000);
    const service = await startRefusable();
    const page = await service.listComics(ALL);
    await service.whenIdle();
    expect(service.getStatus()).toMatchObject({ last_error: null, generation: 1 });
    expect(page.total).toBe(6);
    chmodSync(join(root, 'Private'), 0o755);
  });

  // A folder that cannot be listed for a moment (permissions changed by a sync tool, a sub-mount
  // flapping) is not a deletion: its rows are carried over unchanged.
  it('a folder that becomes unreadable keeps its rows (it is not a deletion)', async () => {
    writeLibrary(root, 6);
    const service = await startRefusable();
    await service.listComics(ALL);
    await service.whenIdle();
    chmodSync(join(root, 'Series 1'), 0o000);
    try {
      service.refresh();
      await service.whenIdle();
      expect((await service.listComics(ALL)).total).toBe(6);
    } finally {
      chmodSync(join(root, 'Series 1'), 0o755);
    }
  });
});
