// The answers kept per snapshot (answer-cache.ts): the same read in the same snapshot answers from
// memory; a user-state write by another connection (the UserStore), a new generation, or a write on the
// reading connection itself gives a fresh answer; a caller changing an answer does not change the next.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUserStore, type UserStore } from '../user/user-store.js';
import { openTempLibraryDb, publishGeneration, removeTempLibraryDb } from '../testing/library-db.js';
import { testRow } from '../testing/store-rows.js';
import { answerCacheEnabled, MAX_ANSWERS } from './answer-cache.js';
import { openDatabase, type Db } from './open-database.js';
import { openReadSide, runRead, type ReadSide } from './read-methods.js';
import type { ComicQuery } from '../../../shared/types.js';

let dir: string;
let writer: Db;
let readDb: Db;
let store: UserStore;
let side: ReadSide;

const firstPage: ComicQuery = { offset: 0, limit: 10, sort: 'series', order: 'asc' };
const rows = (n: number, series = 'Saga') => Array.from({ length: n }, (_, i) => testRow(i + 1, { series, number: String(i + 1), number_sort: i + 1 }));

beforeEach(async () => {
  ({ dir, db: writer } = openTempLibraryDb('lb-answers-'));
  publishGeneration(writer, rows(5), 1);
  store = await openUserStore({ dir, backupTimer: false });
  readDb = openDatabase(join(dir, 'library.db'), { readonly: true });
  side = openReadSide(readDb, store.file, { answerCache: true });
});
afterEach(async () => {
  readDb.close();
  await store.close();
  removeTempLibraryDb({ dir, db: writer });
});

describe('answers kept per snapshot', () => {
  it('the same read answers from memory until the user state or the generation changes', () => {
    const first = runRead(side, 'listComicsJson', [firstPage]);
    expect(runRead(side, 'listComicsJson', [firstPage])).toEqual(first);
    expect(side.answers!.hits).toBe(1);
    // Another read is its own answer.
    expect(runRead(side, 'listComicsJson', [{ ...firstPage, order: 'desc' }]).itemsJson).not.toBe(first.itemsJson);

    store.updateState({ fingerprint: 'fp2', root: '/lib', path: 'Folder/Comic 2.cbz', series: 'Saga', number: '2' }, { read: true });
    const afterWrite = runRead(side, 'listComics', [firstPage]);
    expect(afterWrite.items.map((c) => c.read)).toEqual([false, true, false, false, false]);
    expect(JSON.parse(runRead(side, 'listComicsJson', [firstPage]).itemsJson)).toEqual(afterWrite.items);

    publishGeneration(writer, rows(3, 'Monstress'), 2);
    const next = runRead(side, 'listComics', [firstPage]);
    expect(next.generation).toBe(2);
    expect(next.items.map((c) => c.series)).toEqual(['Monstress', 'Monstress', 'Monstress']);
    expect(runRead(side, 'listSeries', [{ offset: 0, limit: 10, sort: 'name', order: 'asc' }]).items.map((s) => s.name)).toEqual(['Monstress']);
  });

  it('a write on the reading connection itself is seen (store tests write state there)', () => {
    const local = openReadSide(writer, undefined, { answerCache: true });
    expect(runRead(local, 'listComics', [firstPage]).items[0]!.read).toBe(false);
    writer.prepare(`INSERT INTO temp.comic_state (fingerprint, read) VALUES ('fp1', 1)`).run();
    expect(runRead(local, 'listComics', [firstPage]).items[0]!.read).toBe(true);
  });

  it('a caller changing an answer does not change the next one; at most MAX_ANSWERS are kept', () => {
    const page = runRead(side, 'listComics', [firstPage]);
    page.items[0]!.title = 'changed';
    page.items.pop();
    const again = runRead(side, 'listComics', [firstPage]);
    expect(again.items).toHaveLength(5);
    expect(again.items[0]!.title).not.toBe('changed');
    const kept = runRead(side, 'listComics', [firstPage]);
    kept.items.length = 0;
    expect(runRead(side, 'listComics', [firstPage]).items).toHaveLength(5);
    for (let offset = 0; offset < MAX_ANSWERS + 10; offset++) runRead(side, 'listComics', [{ ...firstPage, offset }]);
    expect(side.answers!.size).toBe(MAX_ANSWERS);
  });

  it('LONGBOX_ANSWER_CACHE=0 turns it off', () => {
    expect(answerCacheEnabled({ LONGBOX_ANSWER_CACHE: '0' })).toBe(false);
    expect(answerCacheEnabled({})).toBe(true);
    expect(openReadSide(readDb, undefined, { answerCache: false }).answers).toBeNull();
  });
});
