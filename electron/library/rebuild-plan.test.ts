import { describe, expect, it } from 'vitest';
import { isNoChange, planRebuild, planRebuildColumns, PlanAction } from './rebuild-plan.js';
import { WalkedFiles, type WalkedFile } from './scan/walk.js';
import type { LiveKey } from './store/generation-writer.js';

function file(path: string, size: number, mtimeMs: number, ino: number): WalkedFile {
  return { path, size, mtimeMs, ino, ext: path.slice(path.lastIndexOf('.')) };
}
function row(id: number, path: string, size: number, mtime_ms: number, inode: number, error_kind: LiveKey['error_kind'] = null): LiveKey {
  return { id, path, size, mtime_ms, inode, error_kind, added_at: 1 };
}

describe('planRebuild', () => {
  it('reuses unchanged rows, follows a move by (size, mtime, inode), reads new and changed files, counts removals', () => {
    const live = [
      row(1, 'a.cbz', 10, 100, 1),
      row(2, 'old/b.cbz', 20, 200, 2),
      row(3, 'c.cbz', 30, 300, 3),
      row(4, 'gone.cbz', 40, 400, 4),
    ];
    const walk = {
      files: [file('a.cbz', 10, 100, 1), file('new/b.cbz', 20, 200, 2), file('c.cbz', 31, 301, 3), file('d.cbz', 50, 500, 5)],
      skipped: [],
    };
    const plan = planRebuild(live, walk, { force: false });
    expect(plan.kept).toEqual([
      { index: 0, id: 1, file: walk.files[0], isMove: false, inodeChanged: false },
      { index: 1, id: 2, file: walk.files[1], isMove: true, inodeChanged: false },
    ]);
    expect(plan.toRead.map((t) => [t.index, t.file.path, t.previous?.id])).toEqual([
      [2, 'c.cbz', 3],
      [3, 'd.cbz', undefined],
    ]);
    expect({ reused: plan.reused, moved: plan.moved, removed: plan.removed, inodesChanged: plan.inodesChanged }).toEqual({ reused: 1, moved: 1, removed: 1, inodesChanged: 0 });
    expect(plan.removedIds).toEqual([4]);
    expect(isNoChange(plan)).toBe(false);
  });

  it('a file that comes back under another name keeps its row but is read again (its name is a metadata source)', () => {
    const live = [row(1, 'Saga 001.cbz', 10, 100, 1), row(2, 'old/Saga 002.cbz', 20, 200, 2)];
    const walk = { files: [file('Saga v01 001 (2012).cbz', 10, 100, 1), file('new/Saga 002.cbz', 20, 200, 2)], skipped: [] };
    const plan = planRebuild(live, walk, { force: false });
    expect(plan.toRead.map((t) => [t.file.path, t.previous?.id])).toEqual([['Saga v01 001 (2012).cbz', 1]]);
    expect(plan.kept.map((k) => [k.id, k.isMove])).toEqual([[2, true]]);
    expect({ moved: plan.moved, removed: plan.removed, removedIds: plan.removedIds }).toEqual({ moved: 1, removed: 0, removedIds: [] });
    const columns = planRebuildColumns(live, { files: WalkedFiles.of(walk.files), skipped: [] }, { force: false });
    expect([...columns.previousAddedAt]).toEqual([1, NaN]);
  });

  it('carries the rows of a folder the walk could not list instead of removing them', () => {
    const live = [row(1, 'locked/x.cbz', 10, 100, 1), row(2, 'open/y.cbz', 20, 200, 2)];
    const plan = planRebuild(live, { files: [file('open/y.cbz', 20, 200, 2)], skipped: [{ path: 'locked', reason: 'EACCES' }] }, { force: false });
    expect(plan.carried.map((r) => r.id)).toEqual([1]);
    expect(plan.removed).toBe(0);
    expect(plan.reused).toBe(2);
    expect(isNoChange(plan)).toBe(true);
  });

  it('retries rows that failed for a passing reason and files asked for again, rewrites a changed inode, and force re-reads everything', () => {
    const live = [row(1, 'slow.cbz', 10, 100, 1, 'timeout'), row(2, 'restored.cbz', 20, 200, 2), row(3, 'bad.cbz', 30, 300, 3, 'corrupt')];
    const walk = { files: [file('slow.cbz', 10, 100, 1), file('restored.cbz', 20, 200, 9), file('bad.cbz', 30, 300, 3)], skipped: [] };
    const plan = planRebuild(live, walk, { force: false });
    expect(plan.toRead.map((t) => t.file.path)).toEqual(['slow.cbz']);
    expect(plan.inodesChanged).toBe(1);
    expect(plan.kept.map((k) => k.id)).toEqual([2, 3]);

    const retried = planRebuild(live, walk, { force: false, reread: ['bad.cbz'] });
    expect(retried.toRead.map((t) => t.file.path)).toEqual(['slow.cbz', 'bad.cbz']);

    const forced = planRebuild(live, walk, { force: true });
    expect(forced.toRead.map((t) => t.file.path)).toEqual(['slow.cbz', 'restored.cbz', 'bad.cbz']);
    expect(forced.kept).toEqual([]);
  });

  it('an unchanged walk is no change', () => {
    const live = [row(1, 'a.cbz', 10, 100, 1)];
    expect(isNoChange(planRebuild(live, { files: [file('a.cbz', 10, 100, 1)], skipped: [] }, { force: false }))).toBe(true);
  });
});

describe('planRebuildColumns (the form the rebuild holds)', () => {
  it('reads the live keys once as a stream and answers in columns: an action, a row id and a previous added_at per file', () => {
    let reads = 0;
    function* live(): Generator<LiveKey> {
      reads++;
      yield { ...row(1, 'a.cbz', 10, 100, 1), added_at: 11 };
      yield { ...row(2, 'old/b.cbz', 20, 200, 2), added_at: 22 };
      yield { ...row(3, 'c.cbz', 30, 300, 3), added_at: 33 };
      yield { ...row(4, 'restored.cbz', 40, 400, 4), added_at: 44 };
      yield { ...row(5, 'gone.cbz', 50, 500, 5), added_at: 55 };
    }
    const walk = {
      files: WalkedFiles.of([
        file('a.cbz', 10, 100, 1),
        file('new/b.cbz', 20, 200, 2),
        file('c.cbz', 31, 301, 3),
        file('restored.cbz', 40, 400, 9),
        file('d.cbz', 60, 600, 6),
      ]),
      skipped: [],
    };
    const plan = planRebuildColumns(live(), walk, { force: false });
    expect(reads).toBe(1);
    expect([...plan.action]).toEqual([PlanAction.keep, PlanAction.move, PlanAction.read, PlanAction.keepNewInode, PlanAction.read]);
    expect([...plan.rowId]).toEqual([1, 2, 3, 4, -1]);
    expect([...plan.previousAddedAt]).toEqual([NaN, NaN, 33, NaN, NaN]);
    expect(plan.toRead).toBeInstanceOf(Uint32Array);
    expect([...plan.toRead]).toEqual([2, 4]);
    expect({ liveCount: plan.liveCount, reused: plan.reused, moved: plan.moved, removed: plan.removed, inodesChanged: plan.inodesChanged }).toEqual({
      liveCount: 5,
      reused: 2,
      moved: 1,
      removed: 1,
      inodesChanged: 1,
    });
    expect(plan.removedIds).toEqual([5]);
  });

  it('keeps the walk as columns: grows past its first capacity, filters, and gives each file back as it was walked', () => {
    const walked = Array.from({ length: 3000 }, (_, i) => file(`f${i}.${i % 3 === 0 ? 'cb7' : 'cbz'}`, i, 1_700_000_000_000 + i, 2 ** 40 + i));
    const files = WalkedFiles.of(walked);
    expect(files.length).toBe(3000);
    expect(files.toArray()).toEqual(walked);
    expect(files.file(2999)).toEqual(walked[2999]);
    expect(files.ext(3)).toBe('.cb7');
    const odd = files.filter((i) => i % 2 === 1);
    expect(odd.paths).toEqual(walked.filter((_, i) => i % 2 === 1).map((f) => f.path));
    expect(odd.ino(0)).toBe(2 ** 40 + 1);
  });
});
