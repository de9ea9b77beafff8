// user.db migration 2: the Continue reading index. It must appear on a user.db written by the
// previous version (keeping every row), and the Home query must actually walk it.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { continueReadingSql, BrowseReader } from '../store/browse-reader.js';
import { swapInNextGeneration, writeNextGeneration } from '../store/generation-writer.js';
import { openDatabase, type Db } from '../store/open-database.js';
import { attachUserDb, USER_SCHEMA } from '../store/user-state-access.js';
import { testRow as row } from '../testing/store-rows.js';
import { tempDirForEach } from '../testing/temp-dir.js';
import { CONTINUE_READING_INDEX, latestVersion, USER_MIGRATIONS } from './user-migrations.js';
import type { ComicIdentity } from './comic-state.js';
import { openUserStore, type UserStore } from './user-store.js';

let dir: string;
const opened: Array<{ close(): unknown }> = [];

tempDirForEach('lb-user-mig-', (made) => (dir = made));
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});

async function openStore(migrations = USER_MIGRATIONS, now = () => 1000): Promise<UserStore> {
  const store = await openUserStore({ dir, backupTimer: false, migrations, now });
  opened.push(store);
  return store;
}

const identity = (n: number): ComicIdentity => ({ fingerprint: `fp${n}`, root: '/lib', path: `Folder/Comic ${n}.cbz`, series: null, number: null });

function indexesOf(db: Database.Database): Array<{ name: string; sql: string }> {
  return db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'comic_state' AND sql IS NOT NULL ORDER BY name`).all() as Array<{
    name: string;
    sql: string;
  }>;
}

describe('user.db migration 2: the Continue reading index', () => {
  it('runs on a user.db of the previous version: the index is there, every row is kept, a backup was taken first', async () => {
    const old = await openStore(USER_MIGRATIONS.filter((m) => m.version === 1));
    expect(old.db.pragma('user_version', { simple: true })).toBe(1);
    expect(indexesOf(old.db).map((i) => i.name)).not.toContain(CONTINUE_READING_INDEX);
    old.updateState(identity(1), { read: true });
    old.updateState(identity(2), { lastPage: 5, favourite: true });
    opened.splice(opened.indexOf(old), 1);
    await old.close();

    const store = await openStore();
    expect(store.db.pragma('user_version', { simple: true })).toBe(latestVersion());
    const index = indexesOf(store.db).find((i) => i.name === CONTINUE_READING_INDEX);
    expect(index?.sql).toMatch(/ON comic_state\s*\(last_read_at\)\s+WHERE read = 0 AND last_page IS NOT NULL/);
    expect(store.getState('fp1')).toMatchObject({ read: true, lastPage: null });
    expect(store.getState('fp2')).toMatchObject({ read: false, lastPage: 5, favourite: true, lastReadAt: 1000 });
    const backups = store.backups().filter((b) => b.kind === 'migration');
    expect(backups).toHaveLength(1);
    const copy = new Database(backups[0]!.file, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    copy.close();
  });

  it('a new user.db has it too, and Home walks it for Continue reading (no sort of every state row)', async () => {
    let now = 1000;
    const store = await openStore(USER_MIGRATIONS, () => now);
    expect(indexesOf(store.db).map((i) => i.name)).toContain(CONTINUE_READING_INDEX);

    const db: Db = openDatabase(path.join(dir, 'library.db'));
    opened.push(db);
    // Comic 3 and 4 are duplicates (one fingerprint): one card, the first copy.
    const rows = [row(1), row(2), row(3, { fingerprint: 'fp3' }), row(4, { fingerprint: 'fp3' }), row(5, { error_kind: 'corrupt' })];
    writeNextGeneration(db, rows, 1);
    swapInNextGeneration(db, { generation: 1, nextId: 6, builtAt: 1, durationMs: 1 }, { fileCount: rows.length, errorCount: 1 });
    attachUserDb(db, store.file);

    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${continueReadingSql(`${USER_SCHEMA}.comic_state`)}`).all(20) as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan.join(' | ')).toContain(`USING INDEX ${CONTINUE_READING_INDEX}`);
    expect(plan.join(' | ')).not.toContain('TEMP B-TREE');

    for (const [n, at] of [[1, 2000], [3, 3000], [2, 4000], [5, 5000]] as const) {
      now = at;
      store.updateState(identity(n), { lastPage: 2 });
    }
    now = 6000;
    store.updateState(identity(2), { read: true }); // finished: leaves the shelf
    const reader = new BrowseReader(db);
    // Most recently read first; the broken file has nothing to continue; the duplicates once.
    expect(reader.home().continue.map((c) => c.id)).toEqual([3, 1]);
  });
});
