// The "physical floor" of a cold index, measured in the same run with minimal hand-written pipelines
// (docs/architecture.md §8): a raw walk + stat, one tail read per ZIP with 16 reads in flight and no
// database, and a bulk insert of as many rows into an empty SQLite table.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Raw walk: readdirSync(withFileTypes) + statSync of every file. Returns the absolute file paths. */
export function rawWalk(root: string): { files: string[]; sizes: number[] } {
  const files: string[] = [];
  const sizes: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) stack.push(abs);
      else if (entry.isFile()) {
        const st = statSync(abs);
        files.push(abs);
        sizes.push(st.size);
      }
    }
  }
  return { files, sizes };
}

const TAIL_BYTES = 64 * 1024;
const EOCD_LENGTH = 22;

/**
 * Reads one ZIP's central directory the cheapest way: a single read of the last 64 KiB, a backwards
 * scan for the end record, and a walk of the central headers in that buffer. Returns the number of
 * entries, or -1 when no end record was found (broken files) or the directory is not in the tail.
 */
export async function readTail(path: string, size: number, buffer: Buffer): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const length = Math.min(size, TAIL_BYTES);
    const start = size - length;
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    for (let i = bytesRead - EOCD_LENGTH; i >= 0; i--) {
      if (buffer[i] === 0x50 && buffer.readUInt32LE(i) === 0x06054b50) {
        const count = buffer.readUInt16LE(i + 10);
        const cdSize = buffer.readUInt32LE(i + 12);
        const cdOffset = buffer.readUInt32LE(i + 16) - start;
        if (cdOffset < 0 || cdOffset + cdSize > i) return -1;
        // Walk the central headers so the work includes touching every entry, like an index pass.
        let p = cdOffset;
        let seen = 0;
        while (seen < count && p + 46 <= i && buffer.readUInt32LE(p) === 0x02014b50) {
          p += 46 + buffer.readUInt16LE(p + 28) + buffer.readUInt16LE(p + 30) + buffer.readUInt16LE(p + 32);
          seen++;
        }
        return seen;
      }
    }
    return -1;
  } finally {
    await handle.close();
  }
}

/** Tail reads of every file with `inFlight` reads at once. */
export async function tailReadAll(files: readonly string[], sizes: readonly number[], inFlight = 16): Promise<{ ms: number; failures: number; entries: number }> {
  const started = performance.now();
  let next = 0;
  let failures = 0;
  let entries = 0;
  const lanes = Array.from({ length: Math.min(inFlight, files.length) }, async () => {
    const buffer = Buffer.allocUnsafe(TAIL_BYTES);
    while (next < files.length) {
      const i = next++;
      const n = await readTail(files[i]!, sizes[i]!, buffer);
      if (n < 0) failures++;
      else entries += n;
    }
  });
  await Promise.all(lanes);
  return { ms: performance.now() - started, failures, entries };
}

/**
 * Reads every file whole, untimed, so the index (which reads each file's head, its central directory
 * and ComicInfo.xml) and the floor (tails only) start from the same page cache: before this, the
 * untimed pass read tails only, and at 100k (11 GB, half this machine's RAM) the heads were often no
 * longer cached when the index ran: that was most of the "3.7× gap" to `longbox scan` (bench/README.md).
 */
export async function warmWholeFiles(files: readonly string[], inFlight = 8): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lanes = Array.from({ length: Math.min(inFlight, files.length) }, async () => {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    while (next < files.length) {
      const handle = await open(files[next++]!, 'r').catch(() => null);
      if (!handle) continue;
      try {
        while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0);
      } finally {
        await handle.close();
      }
    }
  });
  await Promise.all(lanes);
  return performance.now() - started;
}

/**
 * Fraction of the bytes of (a sample of) `files` that the page cache holds, from util-linux `fincore`;
 * null where it is missing.
 */
export function pageCacheResidency(files: readonly string[], sample = 1000): number | null {
  const step = Math.max(1, Math.floor(files.length / sample));
  const picked = files.filter((_, i) => i % step === 0).slice(0, sample);
  try {
    const out = execFileSync('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'RES,SIZE', ...picked], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    let resident = 0;
    let total = 0;
    for (const line of out.trim().split('\n')) {
      const [res, size] = line.trim().split(/\s+/).map(Number);
      if (Number.isFinite(res) && Number.isFinite(size)) {
        resident += Math.min(res!, size!);
        total += size!;
      }
    }
    return total > 0 ? resident / total : null;
  } catch {
    return null;
  }
}

/**
 * Bulk insert of `paths.length` rows shaped like the cache's rows (path, folder, name, sizes, a
 * handful of metadata columns) into an empty table: one transaction, one prepared statement.
 */
export function bulkInsert(paths: readonly string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'longbox-bench-insert-'));
  try {
    const db = new Database(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE comics (id INTEGER PRIMARY KEY, path TEXT NOT NULL, folder TEXT NOT NULL, file_name TEXT NOT NULL,
      ext TEXT NOT NULL, size INTEGER NOT NULL, mtime_ms REAL NOT NULL, inode INTEGER NOT NULL, page_count INTEGER NOT NULL,
      series TEXT, number TEXT, title TEXT, year INTEGER, writer TEXT, publisher TEXT, fingerprint TEXT NOT NULL) STRICT`);
    const insert = db.prepare(
      'INSERT INTO comics (path, folder, file_name, ext, size, mtime_ms, inode, page_count, series, number, title, year, writer, publisher, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const started = performance.now();
    db.transaction(() => {
      paths.forEach((path, i) => {
        const slash = path.lastIndexOf('/');
        const name = path.slice(slash + 1);
        insert.run(path, path.slice(0, Math.max(0, slash)), name, '.cbz', 100_000 + i, 1_600_000_000_000 + i, i + 1, 24, name.slice(0, 20), String(i % 500), null, 2000 + (i % 25), 'Alex Walker', 'Apex Comics', (i * 2654435761).toString(16).padStart(40, '0'));
      });
    })();
    const ms = performance.now() - started;
    db.close();
    return ms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tries to drop the page cache (needs root and a writable /proc/sys). */
export function tryDropCaches(): { attempted: boolean; worked: boolean; note: string } {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return { attempted: true, worked: true, note: 'page cache dropped before each size (echo 3 > /proc/sys/vm/drop_caches)' };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return {
      attempted: true,
      worked: false,
      note: `WARM page cache: dropping it failed (${code} writing /proc/sys/vm/drop_caches), so every figure is warm-cache`,
    };
  }
}
