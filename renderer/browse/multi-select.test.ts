import { describe, expect, it } from 'vitest';
import { MAX_BULK_IDS } from '../../shared/browse-query.js';
import {
  EMPTY_SELECTION,
  clearSelection,
  isEmptySelection,
  isSelected,
  resolvePending,
  selectAll,
  selectOne,
  selectRange,
  selectedCount,
  toggle,
  type IdAt,
  type MultiSelection,
} from './multi-select.js';
import { ID_PAGE, selectionTargets, singleSelectedId, wholeViewTarget, type SelectionView } from './selection-targets.js';

/** A view of `total` rows whose id is index + 1000; only the rows in `loaded` are loaded. */
function rows(total: number, loaded: (index: number) => boolean) {
  const idAt: IdAt = (i) => (i >= 0 && i < total && loaded(i) ? i + 1000 : undefined);
  const fetched: Array<[number, number]> = [];
  const view = (whole: SelectionView['whole'] = null): SelectionView => ({
    total,
    whole,
    idAt,
    async fetchIds(offset, limit) {
      fetched.push([offset, limit]);
      return Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, k) => offset + k + 1000);
    },
  });
  return { idAt, view, fetched };
}

const selectedIndexes = (sel: MultiSelection, total: number) =>
  Array.from({ length: total }, (_, i) => i).filter((i) => isSelected(sel, i, i + 1000));

describe('multi-select: clicks', () => {
  it('a click selects one; Ctrl-click toggles; the anchor follows the last plain or Ctrl click', () => {
    let sel = selectOne(3, 1003);
    expect(selectedIndexes(sel, 10)).toEqual([3]);
    sel = toggle(sel, 7, 1007);
    sel = toggle(sel, 5, 1005);
    expect(selectedIndexes(sel, 10)).toEqual([3, 5, 7]);
    expect(sel.anchor).toBe(5);
    sel = toggle(sel, 3, 1003);
    expect(selectedIndexes(sel, 10)).toEqual([5, 7]);
    expect(selectedCount(sel, 10)).toBe(2);
    // A plain click again: only that one.
    expect(selectedIndexes(selectOne(1, 1001), 10)).toEqual([1]);
  });

  it('Shift-click selects the range from the anchor, either way, replacing the selection; Ctrl+Shift adds', () => {
    const { idAt } = rows(20, () => true);
    let sel = selectOne(4, 1004);
    sel = selectRange(sel, 8, idAt);
    expect(selectedIndexes(sel, 20)).toEqual([4, 5, 6, 7, 8]);
    // Again from the same anchor, the other way: the range is replaced, not grown.
    sel = selectRange(sel, 2, idAt);
    expect(selectedIndexes(sel, 20)).toEqual([2, 3, 4]);
    expect(sel.anchor).toBe(4);
    // Ctrl-click elsewhere, then Ctrl+Shift: a second range next to the first.
    sel = toggle(sel, 12, 1012);
    sel = selectRange(sel, 14, idAt, { additive: true });
    expect(selectedIndexes(sel, 20)).toEqual([2, 3, 4, 12, 13, 14]);
    // Without an anchor, Shift-click selects just the row.
    expect(selectedIndexes(selectRange(EMPTY_SELECTION, 9, idAt), 20)).toEqual([9]);
  });

  it('a Shift range over rows not loaded yet is kept by index (in the view order) and becomes ids when they load', () => {
    // 100,000 rows, only the first 100 and rows 50,000–50,099 loaded.
    const total = 100_000;
    let loaded = (i: number) => i < 100 || (i >= 50_000 && i < 50_100);
    const { idAt } = rows(total, (i) => loaded(i));
    let sel = selectOne(10, 1010);
    sel = selectRange(sel, 90_000, idAt);
    expect(selectedCount(sel, total)).toBe(90_000 - 10 + 1);
    expect(sel.ids.size).toBe(90 + 100);
    expect(sel.pending).toEqual([
      { start: 100, end: 49_999 },
      { start: 50_100, end: 90_000 },
    ]);
    expect(isSelected(sel, 70_000, 71_000)).toBe(true);
    expect(isSelected(sel, 90_001, 91_001)).toBe(false);
    // Ctrl-click on a row of a pending range takes just it out (the range splits).
    sel = toggle(sel, 60_000, 61_000);
    expect(isSelected(sel, 60_000, 61_000)).toBe(false);
    expect(isSelected(sel, 60_001, 61_001)).toBe(true);
    expect(selectedCount(sel, total)).toBe(90_000 - 10);
    // Rows 100–199 arrive: they are ids now, the count is unchanged.
    loaded = (i) => i < 200 || (i >= 50_000 && i < 50_100);
    const resolved = resolvePending(sel, idAt);
    expect(resolved.pending[0]).toEqual({ start: 200, end: 49_999 });
    expect(resolved.ids.has(1150)).toBe(true);
    expect(selectedCount(resolved, total)).toBe(selectedCount(sel, total));
    // Nothing new loaded: the same object (no store update).
    expect(resolvePending(resolved, idAt)).toBe(resolved);
  });

  it('Ctrl+A is every row of the view (total, not the loaded ones); Ctrl-click takes some out; Escape clears', () => {
    let sel = selectAll(selectOne(2, 1002));
    expect(selectedCount(sel, 100_000)).toBe(100_000);
    expect(isSelected(sel, 99_999, 100_999)).toBe(true);
    sel = toggle(sel, 5, 1005);
    expect(isSelected(sel, 5, 1005)).toBe(false);
    expect(selectedCount(sel, 100_000)).toBe(99_999);
    sel = toggle(sel, 5, 1005);
    expect(selectedCount(sel, 100_000)).toBe(100_000);
    sel = clearSelection();
    expect(isEmptySelection(sel)).toBe(true);
    expect(selectedCount(sel, 100_000)).toBe(0);
  });
});

describe('multi-select: what a bulk action sends', () => {
  it('all of a series page, a folder without sub-folders or unfiltered All comics: one request by the view’s filter, no ids fetched', async () => {
    const { view, fetched } = rows(100_000, () => false);
    const series = wholeViewTarget({ scope: { series: 'saga' }, narrowed: false, isProblems: false, folderHasSubfolders: null });
    expect(await selectionTargets(selectAll(EMPTY_SELECTION), view(series))).toEqual([{ series: 'saga' }]);
    const all = wholeViewTarget({ scope: {}, narrowed: false, isProblems: false, folderHasSubfolders: null });
    expect(await selectionTargets(selectAll(EMPTY_SELECTION), view(all))).toEqual([{ folder: '' }]);
    expect(wholeViewTarget({ scope: { folder: 'Marvel/X' }, narrowed: false, isProblems: false, folderHasSubfolders: false })).toEqual({ folder: 'Marvel/X' });
    expect(fetched).toEqual([]);
    // A folder with sub-folders lists only its own comics (the folder target would take more), a
    // search or a filter narrows the rows, Problems is a filter: no whole target.
    expect(wholeViewTarget({ scope: { folder: 'Marvel' }, narrowed: false, isProblems: false, folderHasSubfolders: true })).toBeNull();
    expect(wholeViewTarget({ scope: { series: 'saga' }, narrowed: true, isProblems: false, folderHasSubfolders: null })).toBeNull();
    expect(wholeViewTarget({ scope: {}, narrowed: false, isProblems: true, folderHasSubfolders: null })).toBeNull();
  });

  it('all but some, or all of a narrowed view: the ids, paged in from the view, at most MAX_BULK_IDS per request', async () => {
    const total = 25_000;
    const { view, fetched } = rows(total, (i) => i < ID_PAGE);
    const sel = toggle(selectAll(EMPTY_SELECTION), 3, 1003);
    const targets = await selectionTargets(sel, view({ folder: '' }));
    const ids = targets.flatMap((t) => ('ids' in t ? t.ids : []));
    expect(ids).toHaveLength(total - 1);
    expect(ids).not.toContain(1003);
    expect(targets.every((t) => 'ids' in t && t.ids.length <= MAX_BULK_IDS)).toBe(true);
    expect(targets).toHaveLength(Math.ceil((total - 1) / MAX_BULK_IDS));
    // The loaded first page was not fetched again.
    expect(fetched[0]).toEqual([ID_PAGE, ID_PAGE]);
    expect(fetched).toHaveLength(total / ID_PAGE - 1);
  });

  it('a Shift range across rows never loaded: the loaded ids plus the rest fetched by index range, each once', async () => {
    const { view, fetched, idAt } = rows(5_000, (i) => i < 100);
    const sel = selectRange(selectOne(50, 1050), 1_200, idAt);
    const targets = await selectionTargets(sel, view());
    const ids = targets.flatMap((t) => ('ids' in t ? t.ids : []));
    expect(ids).toEqual(Array.from({ length: 1_151 }, (_, k) => 1050 + k));
    expect(fetched).toEqual([
      [100, 500],
      [600, 500],
      [1100, 101],
    ]);
  });

  it('one comic selected: its id (Show in folder, Open); several or all: none', () => {
    expect(singleSelectedId(selectOne(1, 1001))).toBe(1001);
    expect(singleSelectedId(toggle(selectOne(1, 1001), 2, 1002))).toBeNull();
    expect(singleSelectedId(selectAll(EMPTY_SELECTION))).toBeNull();
  });
});
