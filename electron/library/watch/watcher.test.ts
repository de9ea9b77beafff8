import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.js';
import { inotifyWatches } from '../testing/inotify-watches.js';
import { createLibraryWatcher, type LibraryWatcher, type WatchStrategy } from './watcher.js';

const DEBOUNCE = 100;
const STABLE = 200;
/** Longest a single change should take to be reported here (stable + debounce + slack for a busy CI box). */
const REPORT_WITHIN = 5_000;

let root: string;
const open: LibraryWatcher[] = [];

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'longbox-watch-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
  rmSync(root, { recursive: true, force: true });
});

interface Harness {
  watcher: LibraryWatcher;
  changes: string[][];
  /** Resolves with the next notification's paths (rejects after `ms`). */
  next(ms?: number): Promise<string[]>;
  /** Collects notifications until none arrives for `quietMs`. */
  settle(quietMs: number): Promise<string[][]>;
  errors: string[];
}

async function start(strategy?: WatchStrategy, dir = root, stableMs = STABLE): Promise<Harness> {
  const changes: string[][] = [];
  const errors: string[] = [];
  let waiter: ((paths: string[]) => void) | null = null;
  let consumed = 0;
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) };
  const watcher = createLibraryWatcher({
    root: dir,
    debounceMs: DEBOUNCE,
    stableMs,
    rootCheckMs: 100,
    strategy,
    logger,
    onChange: ({ paths }) => {
      changes.push(paths);
      if (waiter) {
        const w = waiter;
        waiter = null;
        consumed++;
        w(paths);
      }
    },
  });
  open.push(watcher);
  await watcher.ready;
  const next = (ms = REPORT_WITHIN) =>
    new Promise<string[]>((resolve, reject) => {
      if (consumed < changes.length) {
        resolve(changes[consumed++]);
        return;
      }
      const timer = setTimeout(() => reject(new Error(`no change within ${ms} ms`)), ms);
      waiter = (paths) => {
        clearTimeout(timer);
        resolve(paths);
      };
    });
  const settle = async (quietMs: number) => {
    const got: string[][] = [];
    for (;;) {
      try {
        got.push(await next(quietMs));
      } catch {
        return got;
      }
    }
  };
  return { watcher, changes, next, settle, errors };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const file = (...parts: string[]) => path.join(root, ...parts);

const strategies: WatchStrategy[] = ['per-directory', 'recursive'];

describe.each(strategies)('library watcher (%s)', (strategy) => {
  it('reports an added file once', async () => {
    const h = await start(strategy);
    writeFileSync(file('Saga 001.cbz'), 'data');
    expect(await h.next()).toEqual(['Saga 001.cbz']);
    expect(await h.settle(DEBOUNCE + STABLE * 2)).toEqual([]);
  });

  it('reports a removed file', async () => {
    writeFileSync(file('old.cbr'), 'data');
    const h = await start(strategy);
    rmSync(file('old.cbr'));
    expect(await h.next()).toEqual(['old.cbr']);
  });

  it('reports a change in place, again after the file was stable', async () => {
    writeFileSync(file('a.cbz'), 'one');
    const h = await start(strategy);
    appendFileSync(file('a.cbz'), 'two');
    expect(await h.next()).toEqual(['a.cbz']);
    writeFileSync(file('a.cbz'), 'three');
    expect(await h.next()).toEqual(['a.cbz']);
  });

  it('turns a burst of 50 files into one notification listing them', async () => {
    const h = await start(strategy);
    const names = Array.from({ length: 50 }, (_, i) => `Issue ${String(i).padStart(3, '0')}.cbz`);
    for (const name of names) writeFileSync(file(name), 'x');
    const batches = await h.settle(DEBOUNCE + STABLE * 3);
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(batches.flat().sort()).toEqual(names);
  });

  it('waits for a growing file to stop growing', async () => {
    // Appends every 200 ms; stableMs well above that so a slow CI timer cannot fake a pause.
    const stableMs = 700;
    const h = await start(strategy, root, stableMs);
    const target = file('Big Omnibus.cbz');
    writeFileSync(target, Buffer.alloc(1024));
    let lastWrite = Date.now();
    const writer = (async () => {
      for (let i = 0; i < 7; i++) {
        await sleep(200);
        appendFileSync(target, Buffer.alloc(64 * 1024));
        lastWrite = Date.now();
      }
    })();
    const paths = await h.next(REPORT_WITHIN + 2_000);
    const firedAt = Date.now();
    await writer;
    expect(paths).toEqual(['Big Omnibus.cbz']);
    expect(firedAt).toBeGreaterThanOrEqual(lastWrite + stableMs - 20);
    expect(await h.settle(DEBOUNCE + stableMs * 2)).toEqual([]);
  });

  it('watches a new subfolder: reports it (after its files settle) and later changes inside it', async () => {
    const h = await start(strategy);
    mkdirSync(file('New Series'));
    writeFileSync(file('New Series', '001.cbz'), 'x');
    writeFileSync(file('New Series', '002.cbz'), 'x');
    const first = (await h.settle(DEBOUNCE + STABLE * 3)).flat();
    expect(first).toContain('New Series');
    await sleep(50);
    writeFileSync(file('New Series', '003.cbz'), 'x');
    expect(await h.next()).toEqual(['New Series/003.cbz']);
    mkdirSync(file('New Series', 'Deeper'));
    await h.next();
    writeFileSync(file('New Series', 'Deeper', 'x.cb7'), 'x');
    expect(await h.next()).toEqual(['New Series/Deeper/x.cb7']);
  });

  it('reports a removed subfolder', async () => {
    mkdirSync(file('Gone', 'Inner'), { recursive: true });
    writeFileSync(file('Gone', 'Inner', 'a.cbz'), 'x');
    const h = await start(strategy);
    rmSync(file('Gone'), { recursive: true });
    const paths = (await h.settle(DEBOUNCE + STABLE * 3)).flat();
    expect(paths).toContain('Gone');
    expect(paths.every((p) => p === 'Gone' || p.startsWith('Gone/'))).toBe(true);
  });

  it('ignores hidden files and folders, __MACOSX and unsupported extensions', async () => {
    mkdirSync(file('.hidden'));
    const h = await start(strategy);
    writeFileSync(file('.partial.cbz'), 'x');
    writeFileSync(file('notes.txt'), 'x');
    writeFileSync(file('cover.jpg'), 'x');
    writeFileSync(file('.hidden', 'a.cbz'), 'x');
    mkdirSync(file('__MACOSX'));
    writeFileSync(file('__MACOSX', '._a.cbz'), 'x');
    mkdirSync(file('.git'));
    await sleep(DEBOUNCE + STABLE);
    writeFileSync(file('sentinel.pdf'), 'x');
    expect(await h.next()).toEqual(['sentinel.pdf']);
    expect(h.changes).toEqual([['sentinel.pdf']]);
  });

  it('reports the root going away as [""], not as deleted files', async () => {
    mkdirSync(file('Series'));
    writeFileSync(file('Series', 'a.cbz'), 'x');
    const h = await start(strategy);
    rmSync(root, { recursive: true });
    expect(await h.next()).toEqual(['']);
    // and its return
    mkdirSync(root);
    expect(await h.next()).toEqual(['']);
    writeFileSync(file('back.cbz'), 'x');
    expect(await h.next()).toEqual(['back.cbz']);
  });

  it('stops delivering after close()', async () => {
    const h = await start(strategy);
    await h.watcher.close();
    writeFileSync(file('late.cbz'), 'x');
    mkdirSync(file('late'));
    await sleep(DEBOUNCE + STABLE * 3);
    expect(h.changes).toEqual([]);
  });

  it('logs an onChange that throws and keeps going', async () => {
    const errors: string[] = [];
    let calls = 0;
    const watcher = createLibraryWatcher({
      root,
      debounceMs: DEBOUNCE,
      stableMs: STABLE,
      strategy,
      logger: { debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) },
      onChange: () => {
        calls++;
        throw new Error('service exploded');
      },
    });
    open.push(watcher);
    await watcher.ready;
    writeFileSync(file('a.cbz'), 'x');
    await expect.poll(() => calls, { timeout: REPORT_WITHIN }).toBe(1);
    writeFileSync(file('b.cbz'), 'x');
    await expect.poll(() => calls, { timeout: REPORT_WITHIN }).toBe(2);
    expect(errors.some((e) => e.includes('service exploded'))).toBe(true);
  });
});

describe.runIf(process.platform === 'linux')('library watcher on Linux (per-directory)', () => {
  it('uses one inotify watch per directory and releases them all on close()', async () => {
    for (let d = 0; d < 5; d++) {
      mkdirSync(file(`Series ${d}`, 'Extras'), { recursive: true });
      for (let f = 0; f < 20; f++) writeFileSync(file(`Series ${d}`, `${f}.cbz`), '');
    }
    mkdirSync(file('.cache'));
    const before = inotifyWatches();
    const h = await start('per-directory');
    expect(inotifyWatches() - before).toBe(11); // root + 5 series + 5 extras; no files, no hidden folder
    rmSync(file('Series 0'), { recursive: true });
    await h.next();
    expect(inotifyWatches() - before).toBe(9);
    await h.watcher.close();
    expect(inotifyWatches()).toBe(before);
  });

  it('resolves ready for a missing root and reports [""] when it appears', async () => {
    const missing = path.join(root, 'not-yet');
    const h = await start('per-directory', missing);
    mkdirSync(missing);
    expect(await h.next()).toEqual(['']);
    writeFileSync(path.join(missing, 'a.cbz'), 'x');
    expect(await h.next()).toEqual(['a.cbz']);
  });

  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    const probe = mkdtempSync(path.join(tmpdir(), 'longbox-mnt-probe-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', 'none', probe], { stdio: 'ignore' });
      execFileSync('umount', [probe], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  })();

  it.runIf(canMount)('reports an unmounted and remounted root (the mount point itself) as [""]', async () => {
    execFileSync('mount', ['-t', 'tmpfs', 'none', root]);
    try {
      mkdirSync(file('Series'));
      writeFileSync(file('Series', 'a.cbz'), 'x');
      const h = await start('per-directory');
      execFileSync('umount', ['-l', root]);
      expect(await h.next()).toEqual(['']);
      execFileSync('mount', ['-t', 'tmpfs', 'none', root]);
      expect(await h.next()).toEqual(['']);
      writeFileSync(file('b.cbz'), 'x');
      expect(await h.next()).toEqual(['b.cbz']);
    } finally {
      try {
        execFileSync('umount', ['-l', root], { stdio: 'ignore' });
      } catch {
        // already unmounted
      }
    }
  });
});
