// What can be done with one comic: the details panel's buttons and the context menu show the same
// list, in the same order, with the same names (one table, no drift between the two).
import { useCallback } from 'react';
import type { ComicSummary } from '../../shared/types.js';
import { absolutePath, copyText } from '../lib/clipboard.js';
import { useStatus, useStores } from '../store/context.js';

export type ComicActionId = 'details' | 'open' | 'reveal' | 'copy-path' | 'retry' | 'toggle-read' | 'toggle-favourite' | 'show-copies';

export interface ComicAction {
  id: ComicActionId;
  label: string;
  /** Shown next to the label in menus ("Enter"). */
  shortcut?: string;
  run(): Promise<void> | void;
}

export const ACTION_LABELS = {
  details: 'Show details',
  open: 'Open with default app',
  reveal: 'Show in folder',
  copyPath: 'Copy path',
  retry: 'Retry this file',
  markRead: 'Mark as read',
  markUnread: 'Mark as unread',
  showCopies: 'Show the other copies',
  addFavourite: 'Add to favourites',
  removeFavourite: 'Remove from favourites',
} as const;

/** Returns `actionsFor(comic, options)`: the actions that apply to that comic on this host. */
export function useComicActions() {
  const { api, status, selection, results, detail } = useStores();
  const capabilities = useStatus((s) => s.capabilities);
  const root = useStatus((s) => s.status?.library_root ?? s.library?.root ?? null);

  return useCallback(
    (comic: ComicSummary, options: { includeDetails?: boolean } = {}): ComicAction[] => {
      const fail = (err: unknown) => status.getState().reportActionError(err);
      const actions: ComicAction[] = [];
      if (options.includeDetails) {
        actions.push({ id: 'details', label: ACTION_LABELS.details, shortcut: 'Enter', run: () => {
          selection.getState().select(comic.id);
          selection.getState().openDetails();
        } });
      }
      if (capabilities.openFile && !comic.errorKind) {
        actions.push({ id: 'open', label: ACTION_LABELS.open, run: () => api.openComic(comic.id).catch(fail) });
      }
      if (capabilities.revealFile) {
        actions.push({ id: 'reveal', label: ACTION_LABELS.reveal, run: () => api.revealComic(comic.id).catch(fail) });
      }
      actions.push({
        id: 'copy-path',
        label: ACTION_LABELS.copyPath,
        run: () =>
          copyText(absolutePath(root, comic.path)).then(
            () => status.getState().notify('Path copied'),
            fail,
          ),
      });
      if (comic.errorKind) {
        actions.push({
          id: 'retry',
          label: ACTION_LABELS.retry,
          run: () =>
            api.retryComic(comic.id).then(
              () => status.getState().notify(`Reading ${comic.fileName} again…`),
              fail,
            ),
        });
      } else {
        actions.push({
          id: 'toggle-read',
          label: comic.read ? ACTION_LABELS.markUnread : ACTION_LABELS.markRead,
          run: async () => {
            try {
              // Marking unread forgets the page too: the comic is "not started" again.
              const state = await api.setUserState(comic.id, comic.read ? { read: false, lastPage: null } : { read: true });
              results.getState().patchItem(comic.id, { read: state.read, lastPage: state.lastPage });
              if (detail.getState().detail?.id === comic.id) void detail.getState().reload();
            } catch (err) {
              fail(err);
            }
          },
        });
      }
      actions.push({
        id: 'toggle-favourite',
        label: comic.favourite ? ACTION_LABELS.removeFavourite : ACTION_LABELS.addFavourite,
        run: async () => {
          try {
            const state = await api.setUserState(comic.id, { favourite: !comic.favourite });
            results.getState().patchFavourite(comic.id, state.favourite);
            if (detail.getState().detail?.id === comic.id) void detail.getState().reload();
          } catch (err) {
            fail(err);
          }
        },
      });
      if (comic.duplicateCount > 1) {
        actions.push({
          id: 'show-copies',
          label: ACTION_LABELS.showCopies,
          run: () => {
            selection.getState().select(comic.id);
            selection.getState().openDetails();
            selection.getState().requestFocus('duplicates');
          },
        });
      }
      return actions;
    },
    [api, status, selection, results, detail, capabilities, root],
  );
}
