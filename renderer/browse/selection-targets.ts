// What a bulk action on a multi-selection sends: as few `POST /api/state` targets as it takes.
// "All of this view" is one request by the view's own filter when there is one that names exactly its
// rows (a series page, an unfiltered All comics = the root folder, a folder with no sub-folders);
// otherwise the ids, taken from the loaded rows and, for the rows never loaded, paged in from the
// view's query in its order — never 100,000 ids in one go (MAX_BULK_IDS per request).
import { MAX_BULK_IDS } from '../../shared/browse-query.js';
import type { ReadStateTarget } from '../../shared/types.js';
import { pendingWithin, type IdAt, type IndexRange, type MultiSelection } from './multi-select.js';

/** Rows per request when ids must be paged in (the list query's maximum page). */
export const ID_PAGE = 500;

export interface SelectionView {
  /** Rows in the view. */
  total: number;
  /** The target that names exactly the view's rows, when there is one. */
  whole: ReadStateTarget | null;
  idAt: IdAt;
  /** Ids of the view's rows [offset, offset + limit), in its order. */
  fetchIds(offset: number, limit: number): Promise<number[]>;
}

/** The whole-view target of a view, or null when its rows are not exactly a series or a folder. */
export function wholeViewTarget(view: {
  scope: { series?: string; folder?: string };
  narrowed: boolean;
  isProblems: boolean;
  /** For a folder scope: whether the folder has sub-folders (the view lists only its own comics). */
  folderHasSubfolders: boolean | null;
}): ReadStateTarget | null {
  if (view.narrowed || view.isProblems) return null;
  if (view.scope.series !== undefined) return { series: view.scope.series };
  if (view.scope.folder !== undefined) return view.folderHasSubfolders === false ? { folder: view.scope.folder } : null;
  // All comics, unfiltered: everything under the library root.
  return { folder: '' };
}

export async function selectionTargets(sel: MultiSelection, view: SelectionView): Promise<ReadStateTarget[]> {
  if (sel.all && sel.ids.size === 0 && view.whole) return [view.whole];
  const ids: number[] = [];
  if (sel.all) {
    const excluded = sel.ids;
    for (const id of await idsOf([{ start: 0, end: view.total - 1 }], view)) if (!excluded.has(id)) ids.push(id);
  } else {
    const seen = new Set(sel.ids);
    ids.push(...sel.ids);
    for (const id of await idsOf(pendingWithin(sel, view.total), view)) {
      if (!seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  const targets: ReadStateTarget[] = [];
  for (let i = 0; i < ids.length; i += MAX_BULK_IDS) targets.push({ ids: ids.slice(i, i + MAX_BULK_IDS) });
  return targets;
}

/** The ids of these rows: loaded ones as they are, the others fetched a page at a time. */
async function idsOf(ranges: readonly IndexRange[], view: SelectionView): Promise<number[]> {
  const out: number[] = [];
  for (const range of ranges) {
    for (let pageStart = range.start; pageStart <= range.end; pageStart += ID_PAGE) {
      const pageEnd = Math.min(range.end, pageStart + ID_PAGE - 1);
      const known: number[] = [];
      for (let i = pageStart; i <= pageEnd; i++) {
        const id = view.idAt(i);
        if (id === undefined) break;
        known.push(id);
      }
      if (known.length === pageEnd - pageStart + 1) out.push(...known);
      else out.push(...(await view.fetchIds(pageStart, pageEnd - pageStart + 1)));
    }
  }
  return out;
}

/** The one comic selected, when exactly one is (Show in folder, Open with default app). */
export function singleSelectedId(sel: MultiSelection): number | null {
  if (sel.all || sel.pending.length > 0 || sel.ids.size !== 1) return null;
  return sel.ids.values().next().value ?? null;
}
