// Pages through the real LibraryService (and the HTTP host in front of it): served from the live
// generation while a rebuild runs, and with clear errors while the library folder is offline.
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComicQuery, ComicSummary } from '../../../shared/types.js';
import { buildZip } from '../../../scripts/testing/zip-writer.js';
import type { HttpHost } from '../../server/http-server.js';
import { rawRequest } from '../../server/testing/raw-http.js';
import { closeServedLibrary, serveLibrary } from '../../server/testing/served-library.js';
import type { LibraryService } from '../library-service.js';
import { writeLibrary } from '../testing/fixtures.js';

const ALL: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };

let dir: string;
let root: string;
let service: LibraryService;
let host: HttpHost;
let port: number;
let pages: Buffer[];
let manga: ComicSummary;
let locked: ComicSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-pages-int-'));
  root = join(dir, 'library');
  mkdirSync(root);
  writeLibrary(root, 120);
  const make = (w: number, h: number, hue: number) => sharp({ create: { width: w, height: h, channels: 3, background: { r: hue, g: 80, b: 160 } } }).jpeg().toBuffer();
  pages = [await make(600, 900, 10), await make(610, 910, 90), await make(1300, 900, 170)];
  const xml = '<?xml version="1.0"?><ComicInfo><Series>Manga Test</Series><Manga>YesAndRightToLeft</Manga></ComicInfo>';
  writeFileSync(
    join(root, 'Manga Test 001.cbz'),
    buildZip([...pages.map((data, i) => ({ name: `${i + 1}.jpg`, data })), { name: 'ComicInfo.xml', data: Buffer.from(xml) }]),
  );
  writeFileSync(join(root, 'Locked 001.cbz'), buildZip(pages.map((data, i) => ({ name: `${i + 1}.jpg`, data, encrypted: true }))));
  ({ service, host, port } = await serveLibrary({ root, dataDir: join(dir, 'data'), watch: false, concurrency: 4 }));
  const items = (await service.listComics(ALL)).items;
  manga = items.find((c) => c.fileName === 'Manga Test 001.cbz')!;
  locked = items.find((c) => c.fileName === 'Locked 001.cbz')!;
}, 60_000);

afterAll(async () => {
  await closeServedLibrary({ host, service });
  rmSync(dir, { recursive: true, force: true });
});

describe('pages through the LibraryService', () => {
  it('lists pages with sizes, spreads and the manga direction, and serves their bytes', async () => {
    const list = await service.listPages(manga.id);
    expect(list.direction).toBe('rtl');
    expect(list.pages.map((p) => [p.name, p.width, p.height, p.spread])).toEqual([
      ['1.jpg', 600, 900, false],
      ['2.jpg', 610, 910, false],
      ['3.jpg', 1300, 900, true],
    ]);
    for (const [i, data] of pages.entries()) expect((await service.getPage(manga.id, i)).data.equals(data)).toBe(true);
  });

  it('unknown ids, pages past the end and encrypted comics are clear errors', async () => {
    await expect(service.listPages(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.getPage(manga.id, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.listPages(locked.id)).rejects.toMatchObject({ code: 'ENCRYPTED' });
    await expect(service.getPage(locked.id, 0)).rejects.toMatchObject({ code: 'ENCRYPTED' });
  });

  it('serves pages while a rebuild runs (from the live generation)', async () => {
    // Every file changed: the rebuild reads them all again.
    const later = new Date(Date.now() + 60_000);
    for (const c of (await service.listComics(ALL)).items) utimesSync(join(root, c.path), later, later);
    service.refresh('test');
    expect(service.getStatus().rebuild_in_progress).toBe(true);
    let servedDuringRebuild = 0;
    while (service.getStatus().rebuild_in_progress) {
      const index = servedDuringRebuild % pages.length;
      const page = await service.getPage(manga.id, index);
      expect(page.data.equals(pages[index]!)).toBe(true);
      const list = await service.listPages(manga.id);
      expect(list.pages).toHaveLength(3);
      if (service.getStatus().rebuild_in_progress) servedDuringRebuild++;
    }
    await service.whenIdle();
    expect(servedDuringRebuild).toBeGreaterThan(0);
    expect(service.getStatus().last_error).toBeNull();
  }, 60_000);

  it('says ROOT_UNREADABLE while the library folder is offline, keeps the library browsable, and serves again once it is back', async () => {
    const offline = join(dir, 'library-unplugged');
    const other = (await service.listComics(ALL)).items.find((c) => c.fileName.startsWith('Series'))!;
    renameSync(root, offline);
    try {
      await expect(service.getPage(manga.id, 0)).rejects.toMatchObject({ code: 'ROOT_UNREADABLE' });
      await expect(service.listPages(other.id)).rejects.toMatchObject({ code: 'ROOT_UNREADABLE' });
      expect((await service.listComics(ALL)).total).toBeGreaterThan(100);
      const res = await rawRequest(port, { path: `/api/comics/${manga.id}/pages/0?v=${manga.fingerprint}` });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'ROOT_UNREADABLE' } });
    } finally {
      renameSync(offline, root);
    }
    expect((await service.getPage(manga.id, 0)).data.equals(pages[0]!)).toBe(true);
  });
});

describe('pages over HTTP from the real service', () => {
  it('GET …/pages answers the documented shape', async () => {
    const res = await rawRequest(port, { path: `/api/comics/${manga.id}/pages` });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { pages: unknown[]; direction: string };
    expect(body.direction).toBe('rtl');
    expect(body.pages[2]).toEqual({ index: 2, name: '3.jpg', size: pages[2]!.length, width: 1300, height: 900, spread: true });
  });

  it('GET …/pages/:index: bytes, ETag, immutable cache, 304, ?w=', async () => {
    const url = `/api/comics/${manga.id}/pages/1?v=${encodeURIComponent(manga.fingerprint)}`;
    const res = await rawRequest(port, { path: url });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(res.body.equals(pages[1]!)).toBe(true);
    const etag = res.headers.etag!;
    expect(etag).toBe(`"${manga.fingerprint}"`);
    const again = await rawRequest(port, { path: url, headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const small = await rawRequest(port, { path: `${url}&w=200` });
    expect(small.status).toBe(200);
    expect((await sharp(small.body).metadata()).width).toBe(200);
    expect(small.headers.etag).toBe(`"${manga.fingerprint}-w200"`);
    expect((await rawRequest(port, { path: `/api/comics/${manga.id}/pages/3` })).status).toBe(404);
    expect((await rawRequest(port, { path: `/api/comics/${manga.id}/pages/x` })).status).toBe(400);
    expect((await rawRequest(port, { path: `/api/comics/${locked.id}/pages/0` })).status).toBe(422);
  });
});
