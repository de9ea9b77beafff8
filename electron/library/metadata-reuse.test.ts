// Metadata reuse (enrich-signature.ts): a file read again whose listing is unchanged keeps its previous
// row's enrichment without reading its metadata entry, and the rows that gives are exactly those of a
// forced rebuild (which reads everything) of the same tree, whatever changed: touches, ComicInfo,
// MetronInfo and comment rewrites (same size too), pages added, removed or renamed, renames, CB7s,
// corrupt files. A touched CB7 costs no extract in the format worker; a forced rebuild reads it again.
import { mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runRebuild, type RebuildInput } from './rebuild-job.js';
import { openDatabase } from './store/open-database.js';
import { buildZip } from '../../scripts/testing/zip-writer.js';
import { TINY_PNG } from './testing/fixtures.js';
import { tempDirForEach } from './testing/temp-dir.js';
import { mulberry32 } from './sample/prng.js';
import { sevenZipCreate } from './archive/seven-zip-wasm.js';
import { WasmWorkerPool } from './archive/wasm-worker.js';

let dir: string;
let root: string;
tempDirForEach('lb-reuse-', (made) => {
  dir = made;
  root = join(dir, 'library');
  mkdirSync(root);
});
afterEach(() => vi.restoreAllMocks());

/** What a test file holds; written as a CBZ (with an optional comment) or a CB7. */
interface Book {
  kind: 'zip' | '7z';
  pages: string[];
  comicInfo: string | null;
  metronInfo: string | null;
  comment: string | null;
}

const comicInfo = (series: string, number: number, title: string) =>
  `<?xml version="1.0"?><ComicInfo><Series>${series}</Series><Number>${number}</Number><Title>${title}</Title><Writer>Ann Writer</Writer></ComicInfo>`;
const metronInfo = (series: string, number: number) => `<?xml version="1.0"?><MetronInfo><Series><Name>${series}</Name></Series><Number>${number}</Number></MetronInfo>`;
const cbiComment = (series: string, issue: number) => JSON.stringify({ appID: 'test', 'ComicBookInfo/1.0': { series, issue, publicationYear: 2000 + issue } });

let stamp = 1_600_000_000;
/** Every write and touch gets its own mtime, so a rewrite is always seen as a change. */
function setMtime(rel: string): void {
  stamp += 10;
  utimesSync(join(root, rel), stamp, stamp);
}

async function writeBook(rel: string, book: Book): Promise<void> {
  const entries = book.pages.map((name, i) => ({ name, data: Buffer.concat([TINY_PNG, Buffer.from([i])]) }));
  if (book.comicInfo !== null) entries.push({ name: 'ComicInfo.xml', data: Buffer.from(book.comicInfo) });
  if (book.metronInfo !== null) entries.push({ name: 'MetronInfo.xml', data: Buffer.from(book.metronInfo) });
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  if (book.kind === 'zip') writeFileSync(file, buildZip(entries, book.comment === null ? {} : { comment: book.comment }));
  else {
    const made = await sevenZipCreate(entries, 5);
    expect(made.rc).toBe(0);
    writeFileSync(file, made.archive);
  }
  setMtime(rel);
}

const pageNames = (count: number, prefix = 'page') => Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}.png`);

function rebuild(dbPath: string, extra: Partial<RebuildInput> & { force?: boolean } = {}) {
  const { force = false, ...rest } = extra;
  // One read at a time: new ids are handed out in walk order, the same in both databases.
  return runRebuild({ root, dbPath, options: { concurrency: 1, maxFileMs: 20_000, force, enrichThreads: 0 }, now: () => 1_700_000_000_000, ...rest });
}

type Row = Record<string, unknown>;
function rows(dbPath: string): Map<string, Row> {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    // changed_at aside (a forced rebuild stamps every row it reads, an incremental one only the changed),
    // and the id (new files get theirs as their reads end: the 7z lane and the ZIP lane interleave).
    const all = db.prepare('SELECT * FROM comics ORDER BY path').all() as Row[];
    return new Map(all.map(({ changed_at: _changed, id: _id, ...row }) => [row.path as string, row]));
  } finally {
    db.close();
  }
}

/** The same ComicInfo with one digit of the title changed: same size, other bytes, so another CRC. */
function sameSizeOther(xml: string): string {
  const other = xml.replace(/<Title>Issue (\d)/, (_, d: string) => `<Title>Issue ${(Number(d) + 1) % 10}`);
  expect(other.length).toBe(xml.length);
  expect(crc32(other)).not.toBe(crc32(xml));
  return other;
}

describe('metadata reuse', () => {
  it('gives the rows of a forced rebuild for every kind of change, and reuses the touched files', async () => {
    const books = new Map<string, Book>();
    for (let i = 0; i < 36; i++) {
      const series = ['Saga', 'Paper Girls', 'Monstress'][i % 3]!;
      const kind = i % 6 === 5 ? '7z' : 'zip';
      const rel = `${series}/${series} ${String(i + 1).padStart(3, '0')}${i % 4 === 3 ? ' (2019)' : ''}.${kind === 'zip' ? 'cbz' : 'cb7'}`;
      const book: Book = {
        kind,
        pages: pageNames(2 + (i % 3)),
        // Some without ComicInfo (the file name and the comment say it all), some with MetronInfo too.
        comicInfo: i % 5 === 4 ? null : comicInfo(series, i + 1, `Issue ${i % 10} of ${series}`),
        metronInfo: i % 7 === 2 ? metronInfo(series, i + 100) : null,
        comment: kind === 'zip' && i % 4 === 1 ? cbiComment(series, i + 1) : null,
      };
      books.set(rel, book);
      await writeBook(rel, book);
    }
    const incremental = join(dir, 'incremental.db');
    const forced = join(dir, 'forced.db');
    await rebuild(incremental);
    await rebuild(forced, { force: true });
    expect(rows(incremental)).toEqual(rows(forced));

    const rng = mulberry32(16);
    const kinds = ['touch', 'touch', 'comicinfo', 'metroninfo', 'pages-added', 'pages-removed', 'pages-renamed', 'rename', 'move', 'comment', 'corrupt', 'repair'] as const;
    const seen = new Set<string>();
    let reusedAtAll = 0;
    for (let round = 0; round < 5; round++) {
      const touched = new Set<string>();
      for (let n = 0; n < 10; n++) {
        const paths = [...books.keys()].filter((p) => !touched.has(p));
        const rel = rng.pick(paths);
        const book = books.get(rel)!;
        const change = rng.pick(kinds);
        seen.add(change);
        touched.add(rel);
        switch (change) {
          case 'touch':
            setMtime(rel);
            break;
          case 'comicinfo':
            book.comicInfo = book.comicInfo === null ? comicInfo('Added', round, 'Issue 1 added') : sameSizeOther(book.comicInfo);
            await writeBook(rel, book);
            break;
          case 'metroninfo':
            book.metronInfo = metronInfo(`Metron ${round}`, n);
            await writeBook(rel, book);
            break;
          case 'pages-added':
            book.pages = pageNames(book.pages.length + 1);
            await writeBook(rel, book);
            break;
          case 'pages-removed':
            book.pages = pageNames(Math.max(1, book.pages.length - 1));
            await writeBook(rel, book);
            break;
          case 'pages-renamed':
            // Same sizes and CRCs (the fingerprint does not change), other names.
            book.pages = pageNames(book.pages.length, `r${round}-`);
            await writeBook(rel, book);
            break;
          case 'rename': {
            // Renamed and touched (a sync tool's copy): read again under the new name.
            const to = rel.replace(/(\.cb[z7])$/, ` v${round}$1`);
            renameSync(join(root, rel), join(root, to));
            setMtime(to);
            books.delete(rel);
            books.set(to, book);
            touched.add(to);
            break;
          }
          case 'move': {
            // To another folder, same name, not touched: a move (the row is kept); touched later, its
            // signature still holds (the folder plays no part in the enrichment).
            const to = `Moved ${round}/${rel.split('/').pop()!}`;
            mkdirSync(join(root, `Moved ${round}`), { recursive: true });
            renameSync(join(root, rel), join(root, to));
            books.delete(rel);
            books.set(to, book);
            touched.add(to);
            break;
          }
          case 'comment':
            if (book.kind === 'zip') book.comment = cbiComment(`Commented ${round}`, n + 1);
            await writeBook(rel, book);
            break;
          case 'corrupt': {
            // The directory's end overwritten: an error row (and no reuse the next time it is touched).
            const file = join(root, rel);
            const bytes = readFileSync(file);
            bytes.fill(0x55, Math.max(0, bytes.length - 40));
            writeFileSync(file, bytes);
            setMtime(rel);
            break;
          }
          case 'repair':
            await writeBook(rel, book);
            break;
        }
      }
      const a = await rebuild(incremental);
      const b = await rebuild(forced, { force: true });
      expect(b.stats.metadataReused).toBeUndefined();
      reusedAtAll += a.stats.metadataReused ?? 0;
      expect(a.fileCount).toBe(b.fileCount);
      expect(rows(incremental)).toEqual(rows(forced));
    }
    expect([...seen].sort()).toEqual([...new Set(kinds)].sort());
    expect(reusedAtAll).toBeGreaterThan(0);
  });

  it('a touched CB7 costs no format-worker request (its listing shows the same metadata); a forced rebuild extracts it', async () => {
    const rels = ['Saga/Saga 001.cb7', 'Saga/Saga 002.cb7', 'Saga/Saga 003.cb7'];
    for (const [i, rel] of rels.entries()) {
      await writeBook(rel, { kind: '7z', pages: pageNames(4), comicInfo: comicInfo('Saga', i + 1, `Issue ${i + 1}`), metronInfo: null, comment: null });
    }
    const dbPath = join(dir, 'library.db');
    await rebuild(dbPath);
    const before = rows(dbPath);
    expect([...before.values()].map((r) => r.series)).toEqual(['Saga', 'Saga', 'Saga']);

    const run = vi.spyOn(WasmWorkerPool.prototype, 'run');
    const extracts = () => run.mock.calls.filter(([request]) => request.op === '7z-extract').length;
    for (const rel of rels) setMtime(rel);
    const touched = await rebuild(dbPath);
    expect(touched.stats).toMatchObject({ opened: 3, metadataReused: 3 });
    // Listed from its headers in TypeScript, its ComicInfo not extracted: no format-worker request at all.
    expect(run.mock.calls.map(([request]) => request.op)).toEqual([]);
    const after = rows(dbPath);
    for (const rel of rels) expect(after.get(rel)).toEqual({ ...before.get(rel), mtime_ms: after.get(rel)!.mtime_ms });

    for (const rel of rels) setMtime(rel);
    const forced = await rebuild(dbPath, { force: true });
    expect(forced.stats.metadataReused).toBeUndefined();
    expect(extracts()).toBe(3);
    const reread = rows(dbPath);
    for (const rel of rels) expect(reread.get(rel)).toEqual({ ...after.get(rel), mtime_ms: reread.get(rel)!.mtime_ms });
  });

  it('reuses through the enrichment threads too', async () => {
    for (let i = 0; i < 6; i++) {
      await writeBook(`X/X ${i}.cbz`, { kind: 'zip', pages: pageNames(3), comicInfo: comicInfo('X', i, `Issue ${i}`), metronInfo: null, comment: null });
    }
    const dbPath = join(dir, 'library.db');
    const threads = { options: { concurrency: 2, maxFileMs: 20_000, force: false, enrichThreads: 1 }, poolMinFiles: 0 };
    await rebuild(dbPath, threads);
    const before = rows(dbPath);
    for (let i = 0; i < 6; i++) setMtime(`X/X ${i}.cbz`);
    const touched = await rebuild(dbPath, threads);
    expect(touched.stats).toMatchObject({ opened: 6, metadataReused: 6 });
    const after = rows(dbPath);
    for (const [path, row] of before) expect(after.get(path)).toEqual({ ...row, mtime_ms: after.get(path)!.mtime_ms });
  });
});
