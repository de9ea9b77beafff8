// Fault injection through real processes: `longbox serve` and the state commands run from source as
// child processes over HTTP, the way a user's host runs. What must hold each time: every write the
// host acknowledged is there after the fault, and nothing of the user's is lost to the cache's faults.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStatus, ComicSummary, UserState } from '../../../shared/types.js';
import { rawRequest } from '../../server/testing/raw-http.js';
import { writeLibrary } from '../testing/fixtures.js';
import { libraryDirsIn } from '../testing/library-dirs.js';
import { tempDirForEach } from '../testing/temp-dir.js';

const CLI = fileURLToPath(new URL('../testing/cli-process.ts', import.meta.url));

let dir: string;
let lib: string;
let home: string;
const children: ChildProcess[] = [];

tempDirForEach('lb-userproc-', (made) => ({ dir, root: lib, home } = libraryDirsIn(made)));
// Children still running: SIGKILLed, and waited for before the folder is removed.
afterEach(async () => {
  await Promise.all(
    children.splice(0).map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
    ),
  );
});

interface Host {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
  stderr: string[];
}

function serve(folder = lib): Promise<Host> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', folder, '--port', '0', '--data-dir', home, '--no-watch'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (t: string) => stderr.push(t));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "serving" line; stderr:\n${stderr.join('')}`)), 60_000);
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const m = /Longbox serving .+ at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, port: Number(m[1]), exited, stderr });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited before listening; stderr:\n${stderr.join('')}`));
    });
  });
}

async function stopGracefully(host: Host): Promise<void> {
  host.child.kill('SIGTERM');
  await host.exited;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function comics(port: number): Promise<ComicSummary[]> {
  const res = await rawRequest(port, { path: '/api/comics?offset=0&limit=500&sort=file' });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { items: ComicSummary[] }).items;
}

async function detail(port: number, id: number): Promise<UserState> {
  const res = await rawRequest(port, { path: `/api/comics/${id}` });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { userState: UserState }).userState;
}

async function status(port: number): Promise<CacheStatus> {
  const res = await rawRequest(port, { path: '/api/cache/stats' });
  return (JSON.parse(res.text) as { enriched_file_cache: CacheStatus }).enriched_file_cache;
}

async function setState(port: number, id: number, patch: Partial<UserState>): Promise<number> {
  const res = await rawRequest(port, {
    method: 'POST',
    path: `/api/comics/${id}/state`,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(patch),
  });
  return res.status;
}

/** Waits for the first generation, then for the rebuild started on open to finish. */
async function ready(port: number): Promise<ComicSummary[]> {
  await comics(port);
  const deadline = Date.now() + 60_000;
  while ((await status(port)).rebuild_in_progress) {
    if (Date.now() > deadline) throw new Error('rebuild did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  return comics(port);
}

/** `count` new comics in the library, a host serving it, and the comics once its first rebuild is done. */
async function serveNewLibrary(count: number): Promise<{ host: Host; list: ComicSummary[] }> {
  writeLibrary(lib, count);
  const host = await serve();
  return { host, list: await ready(host.port) };
}

describe('host killed with SIGKILL during a burst of state writes', () => {
  it('every write the host acknowledged is there after restart', async () => {
    const { host: first, list } = await serveNewLibrary(24);
    // One writer per comic, each sending page 1, 2, 3, … and waiting for the answer before the next.
    const acked = new Map<number, number>();
    const sent = new Map<number, number>();
    let acks = 0;
    let killed = false;
    const killAt = 150;
    const writer = async (id: number) => {
      for (let page = 1; !killed; page++) {
        sent.set(id, page);
        let code: number;
        try {
          code = await setState(first.port, id, { lastPage: page, read: page % 2 === 0 });
        } catch {
          return; // the connection died with the host
        }
        if (code !== 200) return;
        acked.set(id, page);
        if (++acks === killAt) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(list.map((c) => writer(c.id)));
    await first.exited;
    expect(acks).toBeGreaterThanOrEqual(killAt);

    const second = await serve();
    await ready(second.port);
    let inFlightLanded = 0;
    for (const c of list) {
      const state = await detail(second.port, c.id);
      const last = acked.get(c.id) ?? 0;
      // The acknowledged value, or the one that was in flight when the host died (committed, not yet answered).
      expect(state.lastPage ?? 0).toBeGreaterThanOrEqual(last);
      expect(state.lastPage ?? 0).toBeLessThanOrEqual(sent.get(c.id) ?? 0);
      expect(state.read).toBe((state.lastPage ?? 0) % 2 === 0 && state.lastPage !== null);
      if ((state.lastPage ?? 0) > last) inFlightLanded++;
    }
    console.log(`user-data-processes: ${acks} acknowledged writes before SIGKILL, all present; ${inFlightLanded} in-flight write(s) had landed`);
    await stopGracefully(second);
  });
});

describe('two hosts on one data dir', () => {
  it('marking the same and different comics at once loses no update', async () => {
    const { host: a, list } = await serveNewLibrary(20);
    const b = await serve();
    await ready(b.port);
    const half = list.length / 2;
    await Promise.all([
      // Same comics, different fields: A reads, B favourites. A read-modify-write outside one transaction would drop one.
      ...list.map((c) => setState(a.port, c.id, { read: true })),
      ...list.map((c) => setState(b.port, c.id, { favourite: true })),
      // Different comics, page positions from each host.
      ...list.slice(0, half).map((c, i) => setState(a.port, c.id, { lastPage: 100 + i })),
      ...list.slice(half).map((c, i) => setState(b.port, c.id, { lastPage: 200 + i })),
    ]).then((codes) => expect(codes.every((code) => code === 200)).toBe(true));
    for (const [i, c] of list.entries()) {
      const expected = { read: true, favourite: true, lastPage: i < half ? 100 + i : 200 + (i - half) };
      expect(await detail(a.port, c.id)).toMatchObject(expected);
      expect(await detail(b.port, c.id)).toMatchObject(expected);
    }
    // The list (joined through the attached user.db) agrees on both hosts.
    for (const host of [a, b]) expect((await comics(host.port)).every((c) => c.read)).toBe(true);
    await Promise.all([stopGracefully(a), stopGracefully(b)]);
  });
});

describe('the cache damaged or deleted', () => {
  it('library.db overwritten with garbage → the host rebuilds it; every read mark and page position is intact', async () => {
    const { host: first, list } = await serveNewLibrary(12);
    for (const [i, c] of list.entries()) expect(await setState(first.port, c.id, { read: i % 3 === 0, lastPage: i + 1 })).toBe(200);
    await stopGracefully(first);
    const dataDirs = fs.readdirSync(path.join(home, 'libraries'));
    expect(dataDirs).toHaveLength(1);
    const libraryDb = path.join(home, 'libraries', dataDirs[0]!, 'library.db');
    const size = fs.statSync(libraryDb).size;
    fs.writeFileSync(libraryDb, Buffer.alloc(size, 0xa5));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(libraryDb + suffix, { force: true });

    const second = await serve();
    const after = new Map((await ready(second.port)).map((c) => [c.path, c]));
    for (const [i, c] of list.entries()) expect(after.get(c.path)).toMatchObject({ read: i % 3 === 0, lastPage: i + 1 });
    await stopGracefully(second);
  });
});

describe('user.db damaged', () => {
  it.each([
    ['truncated', (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 3))],
    ['garbage', (file: string) => fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size, 0x47))],
  ])('%s → restored from its backup at the next start, with a notice in the status', async (_name, damage) => {
    const { host: first, list } = await serveNewLibrary(6);
    for (const c of list) expect(await setState(first.port, c.id, { read: true, lastPage: 2 })).toBe(200);
    await stopGracefully(first); // ends the session with a backup
    const file = path.join(home, 'user.db');
    damage(file);
    const second = await serve();
    await ready(second.port);
    const notice = (await status(second.port)).user_data_notice;
    expect(notice?.message).toMatch(/damaged.*restored from the backup of/);
    for (const c of list) expect(await detail(second.port, c.id)).toMatchObject({ read: true, lastPage: 2 });
    expect(fs.readdirSync(home).filter((n) => n.startsWith('user.db.corrupt-'))).toHaveLength(1);
    await stopGracefully(second);
  });
});

describe('export → wipe the data dir → rescan → import (the CLI commands)', () => {
  it('gives back the same state, and says how many comics matched', async () => {
    const { host, list } = await serveNewLibrary(9);
    for (const [i, c] of list.entries()) if (i % 2 === 0) expect(await setState(host.port, c.id, { read: true, lastPage: i })).toBe(200);
    await stopGracefully(host);
    const out = path.join(dir, 'state.json');
    const exported = await cli(['export-state', lib, '--data-dir', home, '--out', out]);
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.stdout).toMatch(/Exported the state of 5 comic\(s\)/);
    const before = JSON.parse(fs.readFileSync(out, 'utf8')) as { comics: unknown[] };

    fs.rmSync(home, { recursive: true, force: true });
    const imported = await cli(['import-state', lib, out, '--data-dir', home]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Matched 5 comic\(s\) by fingerprint and 0 by name/);
    const again = await cli(['export-state', lib, '--data-dir', home]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { comics: unknown[] }).comics).toEqual(before.comics);

    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"format":"nope"}');
    const refused = await cli(['import-state', lib, bad, '--data-dir', home]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not a Longbox state export/);
  });
});

describe('a library moved to a new root', () => {
  it('keeps its state: user.db is keyed by fingerprint and shared by the data home', async () => {
    const { host, list } = await serveNewLibrary(5);
    for (const c of list) expect(await setState(host.port, c.id, { lastPage: 3, favourite: true })).toBe(200);
    await stopGracefully(host);
    const moved = path.join(dir, 'moved', 'Comics');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(lib, moved);
    const again = await serve(moved);
    const after = await ready(again.port);
    expect(after.map((c) => c.path).sort()).toEqual(list.map((c) => c.path).sort());
    for (const c of after) expect(await detail(again.port, c.id)).toMatchObject({ lastPage: 3, favourite: true });
    expect(fs.readdirSync(path.join(home, 'libraries'))).toHaveLength(2); // a new cache for the new root
    await stopGracefully(again);
  });
});
