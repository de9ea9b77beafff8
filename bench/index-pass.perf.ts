// Perf sanity check for the archive layer (not a test): generates CBZ files in a temp dir, then times
// the index pass (readArchiveIndex + listPages + fingerprint) and the ComicInfo.xml read, with 16 files
// in flight as the scanner does. Page cache is warm (the files were just written).
//   npx tsx bench/index-pass.perf.ts [files=2000] [pages=30]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildZip } from '../scripts/testing/zip-writer.js';
import { readArchiveEntry } from '../electron/library/archive/extract.js';
import { fingerprintFromIndex } from '../electron/library/archive/fingerprint.js';
import { findComicInfo, listPages } from '../electron/library/archive/pages.js';
import { readArchiveIndex } from '../electron/library/archive/read-index.js';
import { readZipEntryWithYauzl } from '../electron/library/archive/zip-entry.js';

const FILES = Number(process.argv[2] ?? 2000);
const PAGES = Number(process.argv[3] ?? 30);
const IN_FLIGHT = 16;

async function pool<T>(items: T[], worker: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await worker(items[next++]);
    }),
  );
}

async function timed(label: string, paths: string[], worker: (path: string) => Promise<unknown>): Promise<void> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await pool(paths, worker);
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (performance.now() - start) / 1000;
  const cpuMicros = (cpu.user + cpu.system) / paths.length;
  // CPU per file is the steadier figure on a shared machine; wall-clock files/s includes I/O waits.
  console.log(`${label.padEnd(48)} ${(paths.length / seconds).toFixed(0).padStart(7)} files/s  ${cpuMicros.toFixed(0).padStart(5)} µs CPU/file`);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'longbox-perf-'));
  try {
    // Pages are small so generation is quick, but one 96 KiB page makes every file larger than the
    // 64 KiB tail window: head and tail are separate reads, as with real comics.
    const filler = Buffer.alloc(96 * 1024, 1);
    const xml = Buffer.from('<?xml version="1.0"?><ComicInfo><Series>Perf</Series><Number>1</Number></ComicInfo>');
    const paths: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const entries = [{ name: 'cover.jpg', data: filler }];
      for (let p = 1; p <= PAGES; p++) entries.push({ name: `Series ${i}/page${String(p).padStart(3, '0')}.jpg`, data: Buffer.from(`page ${p} of ${i}`) });
      entries.push({ name: 'ComicInfo.xml', data: xml });
      const path = join(dir, `comic-${i}.cbz`);
      await writeFile(path, buildZip(entries));
      paths.push(path);
    }
    console.log(`${FILES} CBZ files, ${PAGES + 2} entries each, ${IN_FLIGHT} in flight, warm page cache`);
    await timed('readArchiveIndex only', paths, (path) => readArchiveIndex(path));
    await timed('index pass (index + pages + fingerprint)', paths, async (path) => {
      const index = await readArchiveIndex(path);
      listPages(index.entries);
      findComicInfo(index.entries);
      fingerprintFromIndex(0, index.entries);
    });
    await timed('index pass + ComicInfo.xml via readEntry option', paths, async (path) => {
      const index = await readArchiveIndex(path, { readEntry: findComicInfo, readEntryMaxBytes: 1 << 20 });
      if (index.entry?.data === undefined) throw new Error('ComicInfo.xml missing');
      listPages(index.entries);
      fingerprintFromIndex(0, index.entries);
    });
    await timed('ComicInfo.xml via readArchiveEntry (fast path)', paths, (path) => readArchiveEntry(path, 'zip', 'ComicInfo.xml', { maxBytes: 1 << 20 }));
    await timed('ComicInfo.xml via yauzl', paths, (path) => readZipEntryWithYauzl(path, 'ComicInfo.xml', 1 << 20));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
