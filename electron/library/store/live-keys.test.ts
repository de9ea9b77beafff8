import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db.js';
import { iterateLiveKeys } from './generation-writer.js';
import { testRow } from '../testing/store-rows.js';
import { openTempLibraryDb, publishGeneration, removeTempLibraryDb } from '../testing/library-db.js';

let dir: string;
let db: Db;
beforeEach(() => ({ dir, db } = openTempLibraryDb('lb-live-keys-')));
afterEach(() => removeTempLibraryDb({ dir, db }));

describe('iterateLiveKeys', () => {
  it('yields every live key once, in id order, across chunk boundaries', () => {
    const ids = [7, 3, 12, 1, 9, 4, 20];
    publishGeneration(db, ids.map((id) => testRow(id, { error_kind: id === 9 ? 'corrupt' : null })), 1);
    for (const chunk of [1, 2, 3, 7, 100]) {
      const keys = [...iterateLiveKeys(db, chunk)];
      expect(keys.map((k) => k.id)).toEqual([...ids].sort((a, b) => a - b));
      expect(keys.find((k) => k.id === 9)).toEqual({ id: 9, path: 'Folder/Comic 9.cbz', size: 1009, mtime_ms: 1_600_000_000_009, inode: 9, error_kind: 'corrupt', added_at: 1009 });
    }
    expect([...iterateLiveKeys(db)].length).toBe(ids.length);
  });

  it('yields nothing for an empty generation', () => {
    expect([...iterateLiveKeys(db, 2)]).toEqual([]);
  });
});
