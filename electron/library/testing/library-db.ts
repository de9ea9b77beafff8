// A library.db of its own for each store test, and a generation published into it the way a rebuild does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import type { EnrichedRow } from '../store/comic-row.js';
import { swapInNextGeneration, writeNextGeneration } from '../store/generation-writer.js';
import { openDatabase } from '../store/open-database.js';

export interface TempLibraryDb {
  /** The temp folder; the database is `library.db` in it. */
  dir: string;
  db: Db;
}

/** A fresh temp folder with a migrated, empty `library.db` opened in it (for a beforeEach). */
export function openTempLibraryDb(prefix: string): TempLibraryDb {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, db: openDatabase(join(dir, 'library.db')) };
}

/** Closes the database (the one the test holds now: it may have reopened it) and removes its folder. */
export function removeTempLibraryDb({ dir, db }: TempLibraryDb): void {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Writes `rows` as generation `generation` and swaps it in, with the file and error counts of those rows. */
export function publishGeneration(db: Db, rows: EnrichedRow[], generation: number): void {
  writeNextGeneration(db, rows, generation);
  swapInNextGeneration(db, { generation, nextId: rows.length + 1, builtAt: Date.now(), durationMs: 5 }, {
    fileCount: rows.length,
    errorCount: rows.filter((r) => r.error_kind).length,
  });
}
