// Blocking and thread-pool reads give the same rows (readable, broken of every kind, empty, a folder, a
// FIFO, a vanished file); the read mode switches to the thread pool after enough slow files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrichFile } from './enrich.js';
import { IndexIo, SLOW_FILE_MS, WINDOW_FILES } from './index-io.js';
import { walkLibrary, type WalkedFile } from './scan/walk.js';
import { generateLibrary } from '../../scripts/lib/dev-library.js';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lb-index-io-'));
  await generateLibrary({ out: root, files: 24, broken: 12, seed: 3, cbrEvery: 5, cb7Every: 0, pdfEvery: 0 });
  writeFileSync(join(root, 'empty.cbz'), '');
  mkdirSync(join(root, 'folder.cbz'));
  if (process.platform !== 'win32') execFileSync('mkfifo', [join(root, 'fifo.cbz')]);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('index-pass reads', () => {
  it('blocking reads give exactly the rows thread-pool reads give', async () => {
    const files: WalkedFile[] = [
      ...walkLibrary(root).files,
      { path: 'folder.cbz', size: 0, mtimeMs: 0, ino: 1, ext: '.cbz' },
      { path: 'vanished.cbz', size: 10, mtimeMs: 0, ino: 2, ext: '.cbz' },
      ...(process.platform !== 'win32' ? [{ path: 'fifo.cbz', size: 0, mtimeMs: 0, ino: 3, ext: '.cbz' }] : []),
    ];
    const io = new IndexIo({});
    for (const file of files) {
      const sync = await enrichFile(root, file, io);
      expect(io.sync).toBe(true);
      expect(sync).toEqual(await enrichFile(root, file));
    }
    const kinds = new Set((await Promise.all(files.map((f) => enrichFile(root, f, io)))).map((row) => row.error_kind));
    expect(kinds).toContain('empty');
    expect(kinds).toContain('unreadable');
    expect(kinds).toContain(null);
  }, 60_000);

  it('switches to thread-pool reads when half the files of a window are slow, not for a few preempted ones; LONGBOX_SYNC_IO=0 never reads blocking', () => {
    const io = new IndexIo({});
    // A busy machine: one file in four loses the CPU for a while, for thousands of files.
    for (let i = 0; i < 4000; i++) io.record(i % 4 === 0 ? SLOW_FILE_MS * 3 : 0.3);
    expect(io.sync).toBe(true);
    // A slow disk: every file waits.
    for (let i = 0; i < WINDOW_FILES && io.sync; i++) io.record(SLOW_FILE_MS);
    expect(io.sync).toBe(false);
    expect(new IndexIo({ LONGBOX_SYNC_IO: '0' }).sync).toBe(false);
  });
});
