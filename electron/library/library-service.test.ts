import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ComicQuery, LibraryEvent } from '../../shared/types.js';
import { openLibraryService, type LibraryService } from './library-service.js';
import { createNodeLauncher } from './node-launcher.js';
import type { LibraryServiceOptions } from './service-options.js';
import { closeAfterEach } from './testing/close-after-each.js';
import { writeComic, writeLibrary } from './testing/fixtures.js';
import { libraryDirsIn } from './testing/library-dirs.js';
import { tempDirForEach } from './testing/temp-dir.js';
import type { WorkerHandle } from './worker-protocol.js';

const ALL: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };

let dir: string;
let root: string;
let dataDir: string;
const open: LibraryService[] = [];
const children: ChildProcess[] = [];

tempDirForEach('lb-svc-', (made) => ({ dir, root, dataDir } = libraryDirsIn(made)));
closeAfterEach({ children, services: open });

async function start(options: Partial<LibraryServiceOptions> = {}): Promise<LibraryService> {
  const service = await openLibraryService({ root, dataDir, watch: false, concurrency: 4, ...options });
  open.push(service);
  return service;
}

function recordEvents(service: LibraryService): LibraryEvent[] {
  const events: LibraryEvent[] = [];
  service.subscribe((e) => events.push(e));
  return events;
}

function waitFor(service: LibraryService, predicate: (e: LibraryEvent) => boolean, timeoutMs = 20_000): Promise<LibraryEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('timed out waiting for an event'));
    }, timeoutMs);
    const stop = service.subscribe((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      stop();
      resolve(e);
    });
  });
}

const isChanged = (e: LibraryEvent) => e.type === 'library-changed';

describe('LibraryService', () => {
  it('cold start: the first list waits for the first complete generation', async () => {
    writeLibrary(root, 25);
    const service = await start();
    expect(service.getStatus().is_populated).toBe(false);
    const [a, b] = await Promise.all([service.listComics(ALL), service.listComics({ ...ALL, limit: 10 })]);
    expect(a.total).toBe(25);
    expect(a.items).toHaveLength(25);
    expect(b.items).toHaveLength(10);
    expect(b.total).toBe(25);
    await service.whenIdle();
    const status = service.getStatus();
    expect(status).toMatchObject({ is_populated: true, file_count: 25, rebuild_in_progress: false, generation: 1, last_error: null });
    expect(status.age_seconds).toBeGreaterThanOrEqual(0);
  });

  it('serves the complete old generation during a rebuild, then the complete new one', async () => {
    writeLibrary(root, 20);
    const first = await start();
    await first.listComics(ALL);
    await first.whenIdle();
    await first.close();
    open.length = 0;
    writeLibrary(root, 300, 'Extra');

    const service = await start({ rebuildOnOpen: false });
    const events = recordEvents(service);
    const seen: Array<{ total: number; items: number; stale: boolean; generation: number }> = [];
    service.refresh();
    expect(service.getStatus().rebuild_in_progress).toBe(true);
    const changed = waitFor(service, isChanged);
    let done = false;
    void changed.then(() => (done = true));
    while (!done) {
      const page = await service.listComics(ALL);
      seen.push({ total: page.total, items: page.items.length, stale: page.stale, generation: page.generation });
      await new Promise((r) => setTimeout(r, 5));
    }
    await service.whenIdle();
    const after = await service.listComics(ALL);
    expect(after).toMatchObject({ total: 320, generation: 2, stale: false });
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      // Never a partial list: either all of generation 1 or all of generation 2.
      if (s.generation === 1) expect(s).toMatchObject({ total: 20, items: 20, stale: true });
      else expect(s).toMatchObject({ generation: 2, total: 320, items: 320 });
    }
    expect(seen.some((s) => s.generation === 1)).toBe(true);
    const order = events.map((e) => (e.type === 'library-changed' ? 'changed' : e.status.rebuild_in_progress ? 'busy' : 'idle'));
    expect(order[0]).toBe('busy');
    expect(order.indexOf('changed')).toBeGreaterThan(0);
    expect(order.lastIndexOf('idle')).toBeGreaterThan(order.indexOf('changed'));
    const phases = new Set(events.flatMap((e) => (e.type === 'status' ? [e.status.phase] : [])));
    expect(phases).toContain('enriching');
  });

  it('coalesces many refreshes during a rebuild into exactly one more', async () => {
    writeLibrary(root, 150);
    const service = await start();
    await service.listComics(ALL);
    await service.whenIdle();
    expect(service.getStatus().generation).toBe(1);
    const events = recordEvents(service);
    service.refresh();
    for (let i = 0; i < 10; i++) service.refresh();
    await service.whenIdle();
    // Rebuild starts = transitions of rebuild_in_progress from false to true.
    let busy = false;
    let starts = 0;
    for (const e of events) {
      if (e.type !== 'status') continue;
      if (e.status.rebuild_in_progress && !busy) starts++;
      busy = e.status.rebuild_in_progress;
    }
    expect(starts).toBe(2);
    expect(busy).toBe(false);
    // Nothing changed on disk: both runs validated the generation without writing a new one.
    expect(service.getStatus().generation).toBe(1);
  });

  it('a killed worker keeps the old data, resets the state, records the error; the next refresh works', async () => {
    writeLibrary(root, 10);
    let worker: WorkerHandle | null = null;
    const nodeLauncher = createNodeLauncher();
    const service = await start({
      launcher: () => {
        worker = nodeLauncher();
        return worker;
      },
    });
    await service.listComics(ALL);
    await service.whenIdle();
    writeLibrary(root, 200, 'More');
    const enriching = waitFor(service, (e) => e.type === 'status' && e.status.phase === 'enriching');
    service.refresh();
    await enriching;
    worker!.kill();
    await service.whenIdle();
    const status = service.getStatus();
    expect(status).toMatchObject({ rebuild_in_progress: false, phase: 'idle', generation: 1, file_count: 10 });
    expect(status.last_error).toMatchObject({ code: 'ENGINE_EXITED' });
    expect((await service.listComics(ALL)).total).toBe(10);
    expect(existsSync(join(dataDir, 'rebuild.lock'))).toBe(false);

    service.refresh();
    await service.whenIdle();
    expect(service.getStatus()).toMatchObject({ generation: 2, file_count: 210, last_error: null });
  });

  it('an unavailable library folder keeps the cache and reports the error', async () => {
    writeLibrary(root, 8);
    const service = await start();
    await service.listComics(ALL);
    await service.whenIdle();
    renameSync(root, join(dir, 'away'));
    service.refresh();
    await service.whenIdle();
    expect(service.getStatus().last_error).toMatchObject({ code: 'ROOT_UNREADABLE' });
    const page = await service.listComics(ALL);
    expect(page.total).toBe(8);
    renameSync(join(dir, 'away'), root);
    service.refresh();
    await service.whenIdle();
    expect(service.getStatus().last_error).toBeNull();
  });

  it('refuses a database from a newer version without touching it', async () => {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'library.db'));
    db.pragma('user_version = 9999');
    db.close();
    await expect(start()).rejects.toMatchObject({ code: 'DB_FROM_FUTURE' });
    const check = new Database(join(dataDir, 'library.db'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(9999);
    check.close();
  });

  it('moves a corrupt database aside and rebuilds', async () => {
    writeLibrary(root, 5);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'library.db'), Buffer.alloc(4096, 0x41));
    const service = await start();
    expect((await service.listComics(ALL)).total).toBe(5);
  });

  it('takes over a stale lock left by a dead process', async () => {
    writeLibrary(root, 5);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'rebuild.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), token: 'dead', startedAt: 0, heartbeatAt: Date.now() }));
    const service = await start();
    expect((await service.listComics(ALL)).total).toBe(5);
    await service.whenIdle();
    expect(existsSync(join(dataDir, 'rebuild.lock'))).toBe(false);
  });

  it('user state survives rebuilds and a move of the file', async () => {
    const [first] = writeLibrary(root, 4);
    const service = await start();
    const page = await service.listComics(ALL);
    const comic = page.items.find((c) => c.path === first)!;
    await service.setUserState(comic.id, { read: true, lastPage: 2 });
    await service.whenIdle();
    renameSync(join(root, first!), join(root, 'moved here.cbz'));
    service.refresh();
    await service.whenIdle();
    const moved = (await service.listComics(ALL)).items.find((c) => c.path === 'moved here.cbz')!;
    expect(moved.read).toBe(true);
    expect((await service.getComic(moved.id)).userState).toMatchObject({ read: true, lastPage: 2 });
    const unread = await service.listComics({ ...ALL, filter: { unread: true } });
    expect(unread.total).toBe(3);
  });

  it('retryComic reads that one file again although its size and mtime did not change', async () => {
    const file = writeComic(root, 'Retry.cbz', { series: 'Aaaa', pages: 3 });
    // A whole-second mtime, so setting it again later gives exactly the same value.
    const mtime = new Date(1_700_000_000_000);
    utimesSync(file, mtime, mtime);
    const service = await start();
    const [item] = (await service.listComics(ALL)).items;
    expect(item!.series).toBe('Aaaa');
    // Same length, same mtime: a plain refresh keeps the old row.
    const { size } = statSync(file);
    writeComic(root, 'Retry.cbz', { series: 'Bbbb', pages: 3 });
    utimesSync(file, mtime, mtime);
    expect(statSync(file).size).toBe(size);
    service.refresh();
    await service.whenIdle();
    expect((await service.listComics(ALL)).items[0]!.series).toBe('Aaaa');
    await service.retryComic(item!.id);
    await service.whenIdle();
    const [after] = (await service.listComics(ALL)).items;
    expect(after).toMatchObject({ id: item!.id, series: 'Bbbb' });
    await expect(service.retryComic(999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads run in reader threads once they are ready (the same answers as in-thread); close() ends the threads', async () => {
    writeComic(root, 'One.cbz', { series: 'One', number: '1', pages: 4 });
    writeComic(root, 'Two.cbz', { series: 'One', number: '2', pages: 3 });
    const inThread = await start({ readThreads: 0 });
    expect(inThread.readPool).toBeNull();
    await inThread.whenIdle();
    const expected = await inThread.listComics(ALL);
    await inThread.close();
    const service = await start({ readThreads: 1, rebuildOnOpen: false });
    const pool = service.readPool!;
    await pool.whenReady();
    expect(pool.readyThreads).toBe(1);
    expect(await service.listComics(ALL)).toEqual(expected);
    // The HTTP host's form of the same page: the items as JSON text.
    const json = await service.listComicsJson(ALL);
    expect({ ...json, itemsJson: undefined, items: JSON.parse(json.itemsJson) as unknown }).toEqual({ ...expected, itemsJson: undefined });
    const [item] = expected.items;
    expect((await service.getComic(item!.id)).pages).toHaveLength(4);
    expect((await service.listSeries({ offset: 0, limit: 10, sort: 'name', order: 'asc' })).items[0]).toMatchObject({ issue_count: 2 });
    await expect(service.getComic(999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.close();
    expect(pool.liveThreads).toBe(0);
  });

  it('details, covers and paths only for known ids', async () => {
    writeComic(root, 'One.cbz', { series: 'One', number: '1', pages: 4 });
    const service = await start();
    const [item] = (await service.listComics(ALL)).items;
    const detail = await service.getComic(item!.id);
    expect(detail.pages).toHaveLength(4);
    expect(detail.sources.series).toBe('comicinfo');
    const cover = await service.getCover(item!.id);
    expect(cover.data.length).toBeGreaterThan(0);
    expect(cover.contentType).toMatch(/^image\//);
    expect(await service.getComicPath(item!.id)).toBe(join(root, 'One.cbz'));
    await expect(service.getComic(999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getCover(999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('close() during a rebuild stops it and releases the lock', async () => {
    writeLibrary(root, 200);
    const service = await start();
    await waitFor(service, (e) => e.type === 'status' && e.status.phase === 'enriching');
    await service.close();
    open.length = 0;
    expect(existsSync(join(dataDir, 'rebuild.lock'))).toBe(false);
  });

  it('watches the folder: added, changed and removed files reach the list', async () => {
    writeLibrary(root, 3);
    const service = await start({ watch: true });
    await service.listComics(ALL);
    await service.whenIdle();
    await new Promise((r) => setTimeout(r, 500)); // let the watcher settle
    writeComic(root, 'Series 0/New Arrival.cbz', { series: 'New Arrival' });
    await waitFor(service, isChanged);
    await service.whenIdle();
    expect((await service.listComics(ALL)).items.map((c) => c.fileName)).toContain('New Arrival.cbz');
    unlinkSync(join(root, 'Series 0/New Arrival.cbz'));
    await waitFor(service, isChanged);
    await service.whenIdle();
    expect((await service.listComics(ALL)).items.map((c) => c.fileName)).not.toContain('New Arrival.cbz');
  });
});

describe('two processes on one data dir', () => {
  it('run one rebuild; the other process reports it and serves the new generation', async () => {
    writeLibrary(root, 250);
    const script = fileURLToPath(new URL('./testing/service-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, root, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const childEvents: Array<{ type: string; status?: { rebuild_owner: string | null }; generation?: number }> = [];
    const childStarted = new Promise<void>((resolve) =>
      lines.on('line', (line) => {
        const event = JSON.parse(line);
        childEvents.push(event);
        if (event.type === 'status' && event.status.rebuild_owner === 'self') resolve();
      }),
    );
    await childStarted;
    const service = await start();
    const events = recordEvents(service);
    expect(service.getStatus()).toMatchObject({ rebuild_in_progress: true, rebuild_owner: 'other' });
    const page = await service.listComics(ALL); // cold: waits for the other process's generation
    expect(page.total).toBe(250);
    await service.whenIdle();
    expect(service.getStatus().generation).toBe(1);
    expect(events.some((e) => e.type === 'status' && e.status.rebuild_owner === 'self')).toBe(false);
    expect(childEvents.filter((e) => e.type === 'library-changed').map((e) => e.generation)).toEqual([1]);
    child.kill('SIGTERM');
  });
});
