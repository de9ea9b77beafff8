// Comics whose files left the library. Their rows leave the list, but who they were (id, first-seen
// time) is kept by fingerprint in the `departed` table: when the same file shows up again (a folder
// moved back, a drive re-plugged under another name) it gets its old id and "Date added" back, and its
// reading state, keyed by fingerprint too, was never lost. Also: which folders went away whole, and
// how many comics each held, for the message the UI shows.
import type { Db } from './store/db.js';
import type { StoredRow } from './store/comic-row.js';

export interface DepartedIdentity {
  id: number;
  added_at: number;
}

/** What is remembered of a row that leaves. */
export type LeavingRow = Pick<StoredRow, 'id' | 'path' | 'fingerprint' | 'added_at' | 'error_kind'>;

export interface GoneFolder {
  /** Relative folder path (forward slashes); '' never appears (an empty walk is refused earlier). */
  folder: string;
  /** Comics it held. */
  count: number;
}

export function readDeparted(db: Db): Map<string, DepartedIdentity> {
  const rows = db.prepare('SELECT fingerprint, id, added_at FROM departed').all() as Array<DepartedIdentity & { fingerprint: string }>;
  return new Map(rows.map((r) => [r.fingerprint, { id: r.id, added_at: r.added_at }]));
}

/** Remembers removed rows (readable ones: an error row's fingerprint names no content) and forgets those that came back. */
export function updateDeparted(db: Db, removed: ReadonlyArray<LeavingRow>, returned: readonly string[], at: number): void {
  const insert = db.prepare('INSERT OR REPLACE INTO departed (fingerprint, id, added_at, path, departed_at) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM departed WHERE fingerprint = ?');
  db.transaction(() => {
    for (const fingerprint of returned) remove.run(fingerprint);
    for (const row of removed) if (row.error_kind === null) insert.run(row.fingerprint, row.id, row.added_at, row.path, at);
  })();
}

/**
 * The folders that are gone as a whole: for each removed path, its shallowest ancestor folder in which
 * the walk found nothing any more. Files removed from a folder that still has comics are not counted.
 */
export function goneFolders(removedPaths: readonly string[], walkedPaths: Iterable<string>): GoneFolder[] {
  const present = new Set<string>();
  for (const path of walkedPaths) {
    let slash = path.indexOf('/');
    while (slash >= 0) {
      present.add(path.slice(0, slash));
      slash = path.indexOf('/', slash + 1);
    }
  }
  const counts = new Map<string, number>();
  for (const path of removedPaths) {
    let slash = path.indexOf('/');
    while (slash >= 0) {
      const folder = path.slice(0, slash);
      if (!present.has(folder)) {
        counts.set(folder, (counts.get(folder) ?? 0) + 1);
        break;
      }
      slash = path.indexOf('/', slash + 1);
    }
  }
  return [...counts].map(([folder, count]) => ({ folder, count })).sort((a, b) => b.count - a.count || a.folder.localeCompare(b.folder));
}
