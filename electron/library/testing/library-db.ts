// A library.db of its own for each store test, a generation published into it the way a rebuild does,
// and the rows a query lists from one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import type { ComicQuery } from '../../../shared/types.js';
import type { EnrichedRow, SummaryRow } from '../store/comic-row.js';
import { swapInNextGeneration, writeNextGeneration } from '../store/generation-writer.js';
import { LibraryReader } from '../store/library-reader.js';
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

/** The rows `query` lists from the library.db at `dbPath`, through a read-only connection closed after. */
export function listedRows(dbPath: string, query: ComicQuery): SummaryRow[] {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    return new LibraryReader(db).list(query).rows;
  } finally {
    db.close();
  }
}
