// Multi-select over a result set that is loaded page by page: pure functions, no React, no store.
//
// A selection is held by comic id (ids survive refetches and new generations), with two additions
// that keep it cheap at 100,000 rows:
// - `all` (Ctrl+A): every row of the view, however many are loaded, minus the ids in `ids`;
// - `pending`: index ranges a Shift-click covered whose rows were not loaded then (the virtualizer
//   never rendered them). They are in the view's sort order, so they are still "rows 120–4,000" of
//   this result set; `resolvePending` turns them into ids as pages arrive, and the bulk actions fetch
//   whatever is still unknown (selection-targets.ts).

export interface IndexRange {
  /** Inclusive. */
  start: number;
  end: number;
}

export interface MultiSelection {
  /** Every row of the view, except `ids`. */
  all: boolean;
  /** The selected comics (with `all`: the ones taken out). */
  ids: ReadonlySet<number>;
  /** Selected rows not loaded when they were selected, by index in the view's order; sorted, disjoint. */
  pending: readonly IndexRange[];
  /** Where a Shift range starts: the last plain or Ctrl click (-1: none). */
  anchor: number;
}

/** The id of the row at an index when that row is loaded. */
export type IdAt = (index: number) => number | undefined;

export const EMPTY_SELECTION: MultiSelection = Object.freeze({ all: false, ids: new Set<number>(), pending: [], anchor: -1 });

/** A plain click: only this comic. */
export function selectOne(index: number, id: number): MultiSelection {
  return { all: false, ids: new Set([id]), pending: [], anchor: index };
}

/** Ctrl/Cmd-click: this comic in or out, the rest as it was. */
export function toggle(sel: MultiSelection, index: number, id: number): MultiSelection {
  if (inRanges(sel.pending, index)) {
    // Selected by a Shift range before it was loaded: taking it out splits the range.
    return { ...sel, pending: removeIndex(sel.pending, index), anchor: index };
  }
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ...sel, ids, anchor: index };
}

/**
 * Shift-click: the rows from the anchor to `index`, in the view's order, loaded or not. It replaces
 * the selection; with `additive` (Ctrl+Shift) it adds to it. The anchor stays where it was.
 */
export function selectRange(sel: MultiSelection, index: number, idAt: IdAt, options: { additive?: boolean } = {}): MultiSelection {
  const anchor = sel.anchor >= 0 ? sel.anchor : index;
  const lo = Math.min(anchor, index);
  const hi = Math.max(anchor, index);
  if (sel.all && options.additive) {
    // Everything is selected already: the range only takes back the rows that had been taken out.
    const ids = new Set(sel.ids);
    for (let i = lo; i <= hi; i++) {
      const id = idAt(i);
      if (id !== undefined) ids.delete(id);
    }
    return { ...sel, ids };
  }
  const base = options.additive ? sel : EMPTY_SELECTION;
  const ids = new Set(base.ids);
  const pending: IndexRange[] = [...base.pending];
  let open: IndexRange | null = null;
  for (let i = lo; i <= hi; i++) {
    const id = idAt(i);
    if (id !== undefined) {
      ids.add(id);
      open = null;
    } else if (open && open.end === i - 1) {
      open.end = i;
    } else {
      open = { start: i, end: i };
      pending.push(open);
    }
  }
  return { all: false, ids, pending: normalize(pending), anchor };
}

/** Ctrl+A: all rows of the view (`total`, not only the loaded ones). */
export function selectAll(sel: MultiSelection): MultiSelection {
  return { all: true, ids: new Set(), pending: [], anchor: sel.anchor };
}

export function clearSelection(): MultiSelection {
  return EMPTY_SELECTION;
}

export function isSelected(sel: MultiSelection, index: number, id: number): boolean {
  if (sel.all) return !sel.ids.has(id);
  return sel.ids.has(id) || inRanges(sel.pending, index);
}

/** How many comics are selected in a view of `total` rows. */
export function selectedCount(sel: MultiSelection, total: number): number {
  if (sel.all) return Math.max(0, total - sel.ids.size);
  let pending = 0;
  for (const r of sel.pending) pending += Math.max(0, Math.min(r.end, total - 1) - r.start + 1);
  return sel.ids.size + pending;
}

export function isEmptySelection(sel: MultiSelection): boolean {
  return !sel.all && sel.ids.size === 0 && sel.pending.length === 0;
}

/** Pending rows that are loaded now become ids (the same comics, known by what survives a swap). */
export function resolvePending(sel: MultiSelection, idAt: IdAt): MultiSelection {
  if (sel.pending.length === 0) return sel;
  let ids: Set<number> | null = null;
  const pending: IndexRange[] = [];
  for (const r of sel.pending) {
    let open: IndexRange | null = null;
    for (let i = r.start; i <= r.end; i++) {
      const id = idAt(i);
      if (id !== undefined) {
        ids ??= new Set(sel.ids);
        ids.add(id);
        open = null;
      } else if (open) {
        open.end = i;
      } else {
        open = { start: i, end: i };
        pending.push(open);
      }
    }
  }
  if (!ids) return sel;
  return { ...sel, ids, pending };
}

/** The rows of a view of `total` whose ids are not known yet (pending ranges clipped to the view). */
export function pendingWithin(sel: MultiSelection, total: number): IndexRange[] {
  return sel.pending.filter((r) => r.start < total).map((r) => ({ start: r.start, end: Math.min(r.end, total - 1) }));
}

function inRanges(ranges: readonly IndexRange[], index: number): boolean {
  // Few ranges (one per Shift-click over unloaded rows): a scan is enough.
  return ranges.some((r) => index >= r.start && index <= r.end);
}

function removeIndex(ranges: readonly IndexRange[], index: number): IndexRange[] {
  const out: IndexRange[] = [];
  for (const r of ranges) {
    if (index < r.start || index > r.end) out.push(r);
    else {
      if (r.start < index) out.push({ start: r.start, end: index - 1 });
      if (index < r.end) out.push({ start: index + 1, end: r.end });
    }
  }
  return out;
}

function normalize(ranges: IndexRange[]): IndexRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: IndexRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}
