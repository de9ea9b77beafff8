// The context menu of a multi-selection: Mark read, Mark unread, Add to / Remove from favourites, sent
// as bulk requests (selection-targets.ts decides which: the view's own filter, or the ids).
import { useCallback } from 'react';
import type { BulkStateChange } from '../../shared/types.js';
import type { MenuItem } from '../components/ContextMenu.js';
import { ACTION_LABELS } from '../components/comic-actions.js';
import { useStores } from '../store/context.js';
import { isNarrowed } from '../store/query.js';
import { itemAt } from '../store/results.js';
import { useBrowseStore } from './BrowseProvider.js';
import { selectionTargets, wholeViewTarget, type SelectionView } from './selection-targets.js';

/** Returns `itemsFor()`: the menu items for what is selected now. */
export function useSelectionMenuItems(): () => MenuItem[] {
  const { api, results, selection, query, status } = useStores();
  const browse = useBrowseStore();

  const view = useCallback((): SelectionView => {
    const r = results.getState();
    const q = query.getState();
    const folder = browse.getState().folder;
    const scope = q.scope;
    return {
      total: r.total ?? 0,
      whole: wholeViewTarget({
        scope,
        narrowed: isNarrowed(r.query),
        isProblems: q.view === 'problems',
        folderHasSubfolders: scope.folder !== undefined && folder?.path === scope.folder ? folder.folders.length > 0 : null,
      }),
      idAt: (index) => itemAt(results.getState(), index)?.id,
      // The query the rows on screen came from, so the ids are those rows in that order.
      fetchIds: async (offset, limit) => (await api.listComics({ ...r.query, offset, limit })).items.map((c) => c.id),
    };
  }, [api, results, query, browse]);

  return useCallback(() => {
    const apply = (change: BulkStateChange) => async () => {
      try {
        const targets = await selectionTargets(selection.getState().multi, view());
        await browse.getState().applyState(targets, change);
      } catch (err) {
        status.getState().reportActionError(err);
      }
    };
    const items: MenuItem[] = [
      { id: 'sel-read', label: ACTION_LABELS.markRead, run: () => void apply({ read: true })() },
      { id: 'sel-unread', label: ACTION_LABELS.markUnread, run: () => void apply({ read: false })() },
      { id: 'sel-favourite', label: ACTION_LABELS.addFavourite, separated: true, run: () => void apply({ favourite: true })() },
      { id: 'sel-unfavourite', label: ACTION_LABELS.removeFavourite, run: () => void apply({ favourite: false })() },
      { id: 'sel-clear', label: 'Clear selection', shortcut: 'Esc', separated: true, run: () => selection.getState().clearAll() },
    ];
    return items;
  }, [selection, view, browse, status]);
}
