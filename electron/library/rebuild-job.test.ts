import { mkdirSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRebuild, type RebuildInput } from './rebuild-job.js';
import { openDatabase } from './store/open-database.js';
import { writeComic, writeLibrary } from './testing/fixtures.js';
import { listedRows } from './testing/library-db.js';
import { libraryDirsIn } from './testing/library-dirs.js';
import { tempDirForEach } from './testing/temp-dir.js';
import { buildZip } from '../../scripts/testing/zip-writer.js';
import type { ComicQuery } from '../../shared/types.js';

let dir: string;
let root: string;
let dbPath: string;
const everything: ComicQuery = { offset: 0, limit: 500, sort: 'file', order: 'asc' };

tempDirForEach('lb-job-', (made) => {
  ({ dir, root } = libraryDirsIn(made));
  dbPath = join(dir, 'library.db');
  openDatabase(dbPath).close(); // the service migrates before the worker runs
});

async function rebuild(extra: Partial<RebuildInput> = {}) {
  const opened: string[] = [];
  const result = await runRebuild({
    root,
    dbPath,
    options: { concurrency: 4, maxFileMs: 10_000, force: false },
    onOpen: (p) => opened.push(p),
    ...extra,
  });
  return { ...result, opened };
}

const rows = () => listedRows(dbPath, everything);

/** 10 comics indexed and 40 more added since, so the next rebuild has work to cancel: returns its controller. */
async function tenIndexedFortyNew(): Promise<AbortController> {
  writeLibrary(root, 10);
  await rebuild();
  writeLibrary(root, 40, 'More');
  return new AbortController();
}

describe('rebuild job', () => {
  it('indexes comics with metadata from ComicInfo and the file name', async () => {
    writeComic(root, 'Image/Saga/Saga 054 (2018) (Digital).cbz', { series: 'Saga', number: '54', writer: 'Brian K. Vaughan', pages: 5 });
    writeFileSync(join(root, 'Image/Saga/notes.txt'), 'not a comic');
    writeFileSync(join(root, '.hidden.cbz'), 'hidden');
    const result = await rebuild();
    expect(result.generation).toBe(1);
    expect(result.fileCount).toBe(1);
    const [row] = rows();
    expect(row).toMatchObject({ series: 'Saga', number: '54', writer: 'Brian K. Vaughan', page_count: 5, format: 'zip', error_kind: null });
    expect(row!.path).toBe('Image/Saga/Saga 054 (2018) (Digital).cbz');
  });

  it('re-reads a file named in `reread` although it is unchanged (Retry this file), keeping its id', async () => {
    const paths = writeLibrary(root, 5);
    await rebuild();
    const before = rows().find((r) => r.path === paths[2])!;
    const again = await rebuild({ options: { concurrency: 4, maxFileMs: 10_000, force: false, reread: [paths[2]!] } });
    expect(again.opened).toEqual([paths[2]]);
    expect(again.stats).toMatchObject({ reused: 4, opened: 1 });
    expect(rows().find((r) => r.path === paths[2])!.id).toBe(before.id);
  });

  it('a folder that leaves is reported with its count; when it returns its comics get their ids and dates back', async () => {
    const paths = writeLibrary(root, 10); // Series 0 … Series 4, two comics each
    let clock = 1_000;
    await rebuild({ now: () => clock });
    const before = new Map(rows().map((r) => [r.path, { id: r.id, added_at: r.added_at }]));
    const away = join(dir, 'away');
    renameSync(join(root, 'Series 2'), away);
    clock = 2_000;
    const gone = await rebuild({ now: () => clock });
    expect(gone.stats.goneFolders).toEqual([{ folder: 'Series 2', count: 2 }]);
    expect(gone.stats.removed).toBe(2);
    expect(rows()).toHaveLength(8);

    // Comes back under another name (not a move inside one rebuild): found again by fingerprint.
    renameSync(away, join(root, 'Series 2 (restored)'));
    clock = 3_000;
    const back = await rebuild({ now: () => clock });
    expect(back.stats.returned).toBe(2);
    expect(back.stats.goneFolders).toBeUndefined();
    const after = rows();
    expect(after).toHaveLength(10);
    for (const path of paths.filter((p) => p.startsWith('Series 2/'))) {
      const row = after.find((r) => r.path === path.replace('Series 2/', 'Series 2 (restored)/'))!;
      expect({ id: row.id, added_at: row.added_at }).toEqual(before.get(path));
    }
    // Told once: the next rebuild has nothing to return.
    const again = await rebuild({ now: () => 4_000 });
    expect(again.stats.returned).toBeUndefined();
  });

  it('never re-reads unchanged files; re-reads changed ones; keeps ids', async () => {
    const paths = writeLibrary(root, 30);
    const first = await rebuild();
    expect(first.opened).toHaveLength(30);
    const idsBefore = new Map(rows().map((r) => [r.path, r.id]));

    const second = await rebuild();
    expect(second.opened).toEqual([]);
    expect(second.stats).toMatchObject({ reused: 30, opened: 0, removed: 0 });
    expect(second.generation).toBe(first.generation); // no change: nothing rewritten

    const changed = join(root, paths[3]!);
    writeComic(root, paths[3]!, { series: 'Changed', pages: 7 });
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    const third = await rebuild();
    expect(third.opened).toEqual([paths[3]]);
    const after = rows();
    expect(after.find((r) => r.path === paths[3])!.series).toBe('Changed');
    for (const r of after) expect(r.id).toBe(idsBefore.get(r.path));
  });

  it('keeps the row (id, added time) of a moved file without opening it', async () => {
    const [first] = writeLibrary(root, 3);
    await rebuild();
    const before = rows().find((r) => r.path === first)!;
    mkdirSync(join(root, 'Moved'));
    const name = first!.slice(first!.lastIndexOf('/') + 1);
    renameSync(join(root, first!), join(root, 'Moved', name));
    const result = await rebuild();
    expect(result.opened).toEqual([]);
    expect(result.stats.moved).toBe(1);
    const moved = rows().find((r) => r.path === `Moved/${name}`)!;
    expect(moved.id).toBe(before.id);
    expect(moved.fingerprint).toBe(before.fingerprint);
    expect(moved.added_at).toBe(before.added_at);
  });

  it('reads a renamed file again (the name gives series, number, year) and keeps its row (id, added time)', async () => {
    writeFileSync(join(root, 'Saga 001.cbz'), buildZip([{ name: 'p1.png', data: Buffer.from('png') }]));
    await rebuild();
    const before = rows().find((r) => r.path === 'Saga 001.cbz')!;
    expect([before.series, before.number]).toEqual(['Saga', '1']);
    mkdirSync(join(root, 'Moved'));
    renameSync(join(root, 'Saga 001.cbz'), join(root, 'Moved/Paper Girls 007 (2016).cbz'));
    const result = await rebuild();
    expect(result.opened).toEqual(['Moved/Paper Girls 007 (2016).cbz']);
    expect(rows()).toHaveLength(1);
    const renamed = rows()[0]!;
    expect([renamed.path, renamed.series, renamed.number, renamed.year]).toEqual(['Moved/Paper Girls 007 (2016).cbz', 'Paper Girls', '7', 2016]);
    expect(renamed.id).toBe(before.id);
    expect(renamed.fingerprint).toBe(before.fingerprint);
    expect(renamed.added_at).toBe(before.added_at);
  });

  it('turns each broken file into one error row and still completes', async () => {
    writeLibrary(root, 2);
    const good = buildZip([{ name: 'p1.png', data: Buffer.from('png') }]);
    writeFileSync(join(root, 'truncated.cbz'), good.subarray(0, good.length - 10));
    writeFileSync(join(root, 'empty.cbz'), Buffer.alloc(0));
    writeFileSync(join(root, 'text.cbz'), 'this is not an archive at all, just text');
    writeFileSync(join(root, 'noimages.cbz'), buildZip([{ name: 'readme.txt', data: Buffer.from('hi') }]));
    writeFileSync(join(root, 'encrypted.cbz'), buildZip([{ name: 'p1.jpg', data: Buffer.from('x'), encrypted: true }]));
    writeFileSync(join(root, 'sjis.cbz'), buildZip([{ name: 'x', rawName: Buffer.from([0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x2e, 0x6a, 0x70, 0x67]), data: Buffer.from('img') }]));
    mkdirSync(join(root, 'folder.cbz'));
    writeFileSync(join(root, 'book.pdf'), '%PDF-1.7\n');
    const result = await rebuild();
    expect(result.fileCount).toBe(9);
    const byName = new Map(rows().map((r) => [r.file_name, r]));
    expect(byName.get('truncated.cbz')!.error_kind).toMatch(/truncated|corrupt/);
    expect(byName.get('empty.cbz')!.error_kind).toBe('empty');
    expect(byName.get('text.cbz')!.error_kind).toBe('not-archive');
    expect(byName.get('noimages.cbz')!.error_kind).toBe('no-images');
    expect(byName.get('encrypted.cbz')!.error_kind).toMatch(/encrypted|no-images/);
    expect(byName.get('sjis.cbz')!.error_kind).toBeNull();
    expect(byName.get('sjis.cbz')!.page_count).toBe(1);
    expect(byName.get('book.pdf')!.error_kind).toBe('corrupt'); // a header and nothing else
    for (const name of ['truncated.cbz', 'empty.cbz', 'text.cbz']) expect(byName.get(name)!.error_message).toBeTruthy();
    expect(result.stats.errors).toBe(6);
  });

  it('refuses to replace a populated library with an empty or missing folder', async () => {
    writeLibrary(root, 4);
    await rebuild();
    const hidden = join(dir, 'unmounted');
    renameSync(root, hidden);
    await expect(rebuild()).rejects.toMatchObject({ code: 'ROOT_UNREADABLE' });
    mkdirSync(root); // the mount point is back, but empty
    await expect(rebuild()).rejects.toMatchObject({ code: 'ROOT_UNREADABLE', message: expect.stringMatching(/empty/) });
    expect(rows()).toHaveLength(4);
  });

  it('stops when cancelled and keeps the live generation', async () => {
    const controller = await tenIndexedFortyNew();
    const pending = rebuild({ signal: controller.signal, onProgress: (phase) => phase === 'enriching' && controller.abort() });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(rows()).toHaveLength(10);
  });

  it('stops for a cancel that arrives as an event (as the worker messages do), also when every read blocks', async () => {
    const controller = await tenIndexedFortyNew();
    // setImmediate stands in for the IPC message: it runs only when the job lets the event loop turn.
    const onProgress = (phase: string) => phase === 'enriching' && setImmediate(() => controller.abort());
    await expect(rebuild({ signal: controller.signal, onProgress })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(rows()).toHaveLength(10);
  });
});
