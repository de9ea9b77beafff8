// The browse routes over the real engine: a real LibraryService (worker process) over a generated tree
// on disk, served by the HTTP host. Counts are checked against the files on disk, not against the code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkStateResult, ComicDetail, ComicPage, FolderListing, HomeShelves, SeriesPage } from '../../shared/types.js';
import type { LibraryService } from '../library/library-service.js';
import { writeComic } from '../library/testing/fixtures.js';
import type { HttpHost } from './http-server.js';
import { rawRequest } from './testing/raw-http.js';
import { closeServedLibrary, serveLibrary } from './testing/served-library.js';

let tmp: string;
let root: string;
let service: LibraryService;
let host: HttpHost;
let port: number;

/** Nested folders, empty folders, non-ASCII names, comics at the root and deep down. */
const TREE: Array<[string, { series: string; number: string }]> = [
  ['Loose 01.cbz', { series: 'Loose', number: '1' }],
  ['Marvel/Amazing Specter/Amazing Specter 001.cbz', { series: 'Amazing Specter', number: '1' }],
  ['Marvel/Amazing Specter/Amazing Specter 002.cbz', { series: 'Amazing Specter', number: '2' }],
  ['Marvel/Amazing Specter/Annuals/Amazing Specter Annual 01.cbz', { series: 'Amazing Specter Annual', number: '1' }],
  ['Marvel/X 10/X 10 01.cbz', { series: 'X 10', number: '1' }],
  ['Marvel/X 2/X 2 01.cbz', { series: 'X 2', number: '1' }],
  ['Ōkami Räume/大神 01.cbz', { series: '大神', number: '1' }],
  ['Ōkami Räume/大神 02.cbz', { series: '大神', number: '2' }],
  ['Deep/a/b/c/d/Deep 01.cbz', { series: 'Cyclone: Rebirth', number: '1' }],
  ['Deep/a/b/Deep 02.cbz', { series: 'Cyclone - Rebirth', number: '2' }],
];
const EMPTY_FOLDERS = ['Empty', 'Marvel/Empty Too', 'Deep/a/b/c/nothing'];

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await rawRequest(port, { path: url });
  return { status: res.status, body: JSON.parse(res.text) as T };
}

async function post<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await rawRequest(port, {
    method: 'POST',
    path: url,
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: JSON.parse(res.text) as T };
}

/** Comic files on disk in and below `dir` (relative to the root). */
function filesOnDisk(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.isDirectory()) n += filesOnDisk(path.join(dir, entry.name));
    else if (entry.name.endsWith('.cbz')) n++;
  }
  return n;
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-browse-http-'));
  root = path.join(tmp, 'library');
  for (const [rel, meta] of TREE) writeComic(root, rel, meta);
  for (const dir of EMPTY_FOLDERS) fs.mkdirSync(path.join(root, dir), { recursive: true });
  ({ service, host, port } = await serveLibrary({ root, dataDir: path.join(tmp, 'data'), watch: false, concurrency: 4, prefetchCovers: false }));
}, 60_000);

afterAll(async () => {
  await closeServedLibrary({ host, service });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('GET /api/folders', () => {
  it('walks the whole tree: every listed count equals the comic files on disk', async () => {
    const seen: string[] = [];
    const walk = async (folder: string): Promise<void> => {
      const { status, body } = await get<FolderListing>(`/api/folders?path=${encodeURIComponent(folder)}`);
      expect(status).toBe(200);
      expect(body.comic_count).toBe(filesOnDisk(folder));
      const direct = await get<ComicPage>(`/api/comics?folder=${encodeURIComponent(folder)}&limit=500`);
      expect(direct.body.total).toBe(body.direct_count);
      expect(direct.body.items.every((c) => c.folder === folder)).toBe(true);
      const below = await get<ComicPage>(`/api/comics?folder=${encodeURIComponent(folder)}&recursive=1&limit=500`);
      expect(below.body.total).toBe(filesOnDisk(folder));
      expect(below.body.items).toHaveLength(filesOnDisk(folder));
      for (const child of body.folders) {
        expect(child.comic_count).toBe(filesOnDisk(child.path));
        seen.push(child.path);
        await walk(child.path);
      }
    };
    await walk('');
    // Every folder with a comic in or below it was reached; empty ones are not listed.
    expect(seen).toContain('Ōkami Räume');
    expect(seen).toContain('Deep/a/b/c/d');
    for (const empty of EMPTY_FOLDERS) expect(seen).not.toContain(empty);
    const root = await get<FolderListing>('/api/folders');
    expect(root.body.folders.map((f) => f.name)).toEqual(['Deep', 'Marvel', 'Ōkami Räume']);
    const marvel = await get<FolderListing>('/api/folders?path=Marvel');
    expect(marvel.body.folders.map((f) => f.name)).toEqual(['Amazing Specter', 'X 2', 'X 10']);
  });

  it('refuses paths that are not plain relative paths (400) and unknown folders (404)', async () => {
    for (const bad of ['../etc', '/etc', 'Marvel//X 2', 'Marvel/./X 2', 'Marvel/', 'a\u0000b']) {
      expect((await get(`/api/folders?path=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
      expect((await get(`/api/comics?folder=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
    }
    expect((await get('/api/folders?path=Empty')).status).toBe(404);
    expect((await get('/api/folders?path=Nowhere')).status).toBe(404);
    expect((await get('/api/comics?folder=Nowhere')).status).toBe(404);
    expect((await get('/api/folders?path=Marvel&depth=2')).status).toBe(400);
    expect((await get('/api/comics?recursive=1')).status).toBe(400);
    expect((await get('/api/comics?folder=Marvel&recursive=yes')).status).toBe(400);
  });
});

describe('GET /api/series', () => {
  it('lists series with issue and unread counts; a series lists its issues in order; keys are validated', async () => {
    const { status, body } = await get<SeriesPage>('/api/series?limit=100');
    expect(status).toBe(200);
    const byName = new Map(body.items.map((s) => [s.name, s]));
    // "Cyclone: Rebirth" and "Cyclone - Rebirth" are one series, in two folders.
    expect(byName.get('Cyclone: Rebirth') ?? byName.get('Cyclone - Rebirth')).toMatchObject({ key: 'cyclone-rebirth', issue_count: 2, unread_count: 2 });
    expect(body.items.reduce((n, s) => n + s.issue_count, 0)).toBe(TREE.length);
    expect(body.total).toBe(body.items.length);
    const issues = await get<ComicPage>('/api/comics?series=amazing-specter');
    expect(issues.body.items.map((c) => c.number)).toEqual(['1', '2']);
    expect(issues.body.items.every((c) => c.seriesKey === 'amazing-specter')).toBe(true);
    // Combinable with the other parameters.
    expect((await get<ComicPage>('/api/comics?series=amazing-specter&order=desc&limit=1')).body.items[0]!.number).toBe('2');
    const searched = await get<SeriesPage>('/api/series?q=amaz');
    expect(searched.body.items.map((s) => s.key)).toEqual(['amazing-specter', 'amazing-specter-annual']);
    // Folder names are searchable in the comic list.
    expect((await get<ComicPage>('/api/comics?q=marvel')).body.total).toBe(5);
    expect((await get('/api/comics?series=no-such-series')).status).toBe(404);
    for (const bad of ['Has Spaces', 'a--b', '-a', 'a~b', 'a/b', '']) {
      expect((await get(`/api/comics?series=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
    }
    expect((await get('/api/series?sort=popularity')).status).toBe(400);
    expect((await get('/api/series?limit=0')).status).toBe(400);
    expect((await get('/api/series?offset=-1')).status).toBe(400);
  });
});

describe('POST /api/state and GET /api/home', () => {
  it('marks a series, a folder and a selection; unread badges and Home follow; bad bodies are 400, unknown targets 404', async () => {
    const mark = await post<BulkStateResult>('/api/state', { series: 'amazing-specter', read: true });
    expect(mark).toEqual({ status: 200, body: { count: 2, read: true } });
    const series = async (key: string) => (await get<SeriesPage>('/api/series?limit=100')).body.items.find((s) => s.key === key)!;
    expect((await series('amazing-specter')).unread_count).toBe(0);
    expect((await get<HomeShelves>('/api/home')).body.on_deck).toEqual([]); // nothing unread after #2

    expect((await post<BulkStateResult>('/api/state', { folder: 'Ōkami Räume', read: true })).body.count).toBe(2);
    expect((await series('大神')).unread_count).toBe(0);
    expect((await post<BulkStateResult>('/api/state', { folder: 'Ōkami Räume', read: false })).body.count).toBe(2);
    expect((await series('大神')).unread_count).toBe(2);

    const deep = (await get<ComicPage>('/api/comics?series=cyclone-rebirth')).body.items;
    expect((await post<BulkStateResult>('/api/state', { ids: [deep[0]!.id], read: true })).body.count).toBe(1);
    const home = (await get<HomeShelves>('/api/home')).body;
    expect(home.on_deck.map((c) => c.id)).toEqual([deep[1]!.id]);
    expect(home.recent.length).toBe(TREE.length);

    // Reading position through the existing route puts a comic on Continue reading.
    const okami = (await get<ComicPage>(`/api/comics?series=${encodeURIComponent('大神')}`)).body.items[0]!;
    expect((await post(`/api/comics/${okami.id}/state`, { lastPage: 3 })).status).toBe(200);
    expect((await get<HomeShelves>('/api/home')).body.continue.map((c) => [c.id, c.lastPage])).toEqual([[okami.id, 3]]);

    for (const bad of [{}, { read: true }, { ids: [], read: true }, { ids: [1], series: 'x', read: true }, { series: 'x', read: 'yes' }, { folder: '../x', read: true }, '{"ids":']) {
      expect((await post('/api/state', bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await post('/api/state', { series: 'no-such-series', read: true })).status).toBe(404);
    expect((await post('/api/state', { folder: 'Empty', read: true })).status).toBe(404);
    expect((await post('/api/state', { ids: [deep[0]!.id, 999_999], read: false })).status).toBe(404);
    // The 404 wrote nothing: the first id is still read.
    expect((await get<ComicPage>(`/api/comics?series=cyclone-rebirth`)).body.items[0]!.read).toBe(true);
    expect((await rawRequest(port, { path: '/api/state' })).status).toBe(405);
    expect((await get('/api/home?x=1')).status).toBe(400);
  });

  it('favourites in bulk: a selection, a series; the favourites filter lists them; read state is not touched', async () => {
    const loose = (await get<ComicPage>('/api/comics?series=loose')).body.items;
    expect(loose.map((c) => c.favourite)).toEqual([false]);
    expect(await post<BulkStateResult>('/api/state', { ids: [loose[0]!.id], favourite: true })).toEqual({ status: 200, body: { count: 1, favourite: true } });
    const okami = encodeURIComponent('大神');
    expect((await post<BulkStateResult>('/api/state', { series: '大神', favourite: true })).body.count).toBe(2);
    const favourites = (await get<ComicPage>('/api/comics?filter=favourites&sort=file')).body;
    expect(favourites.total).toBe(3);
    expect(favourites.items.every((c) => c.favourite && !c.read)).toBe(true);
    expect(favourites.items.map((c) => c.id)).toContain(loose[0]!.id);
    const detail = (await get<ComicDetail>(`/api/comics/${loose[0]!.id}`)).body;
    expect([detail.favourite, detail.userState.favourite, detail.userState.read]).toEqual([true, true, false]);
    // The page position (Continue reading) stays: a favourite change touches nothing else.
    expect((await get<ComicPage>(`/api/comics?series=${okami}`)).body.items.map((c) => [c.favourite, c.lastPage])).toEqual([[true, 3], [true, null]]);
    expect((await post<BulkStateResult>('/api/state', { series: '大神', favourite: false })).body).toEqual({ count: 2, favourite: false });
    expect((await get<ComicPage>('/api/comics?filter=favourites')).body.total).toBe(1);
    for (const bad of [{ ids: [1], favourite: 'yes' }, { ids: [1], read: true, favourite: true }, { favourite: true }]) {
      expect((await post('/api/state', bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('read state survives a rebuild and a move to another folder (keyed by fingerprint)', async () => {
    await post('/api/state', { series: 'x-2', read: true });
    fs.mkdirSync(path.join(root, 'Moved'));
    fs.renameSync(path.join(root, 'Marvel/X 2/X 2 01.cbz'), path.join(root, 'Moved/X 2 01.cbz'));
    service.refresh('test');
    await service.whenIdle();
    const moved = (await get<ComicPage>('/api/comics?folder=Moved')).body.items;
    expect(moved.map((c) => [c.fileName, c.read])).toEqual([['X 2 01.cbz', true]]);
    const series = (await get<SeriesPage>('/api/series?limit=100')).body.items.find((s) => s.key === 'x-2')!;
    expect(series.unread_count).toBe(0);
    expect((await get<SeriesPage>('/api/series?limit=100')).body.items.find((s) => s.key === 'amazing-specter')!.unread_count).toBe(0);
    expect((await get('/api/folders?path=Marvel%2FX%202')).status).toBe(404);
    expect((await get<FolderListing>('/api/folders?path=Moved')).body.comic_count).toBe(1);
  }, 30_000);
});
