// The context menu of one comic: the same actions as the details panel (comic-actions.ts); for
// several selected comics, the bulk actions (renderer/browse/selection-actions.ts).
import { useCallback } from 'react';
import { displayTitle, plural } from '../lib/format.js';
import { selectedCount } from '../browse/multi-select.js';
import { useSelectionMenuItems } from '../browse/selection-actions.js';
import { useSelection, useStores } from '../store/context.js';
import { useComicActions, type ComicActionId } from './comic-actions.js';
import { ContextMenu, type MenuItem } from './ContextMenu.js';

/** Separators fall between these groups. */
const GROUP: Record<ComicActionId, number> = { details: 0, open: 1, reveal: 1, 'copy-path': 1, retry: 2, 'toggle-read': 2, 'toggle-favourite': 2, 'show-copies': 3 };

export function ComicMenu() {
  const { selection, results } = useStores();
  const menu = useSelection((s) => s.menu);
  const actionsFor = useComicActions();
  const selectionItems = useSelectionMenuItems();
  const close = useCallback(() => selection.getState().closeMenu(), [selection]);
  if (!menu) return null;
  if (menu.forSelection) {
    const count = selectedCount(selection.getState().multi, results.getState().total ?? 0);
    return <ContextMenu x={menu.x} y={menu.y} label={`Actions for ${plural(count, 'selected comic', 'selected comics')}`} items={selectionItems()} onClose={close} />;
  }
  const actions = actionsFor(menu.comic, { includeDetails: true });
  const items: MenuItem[] = actions.map((action, index) => ({
    id: action.id,
    label: action.label,
    shortcut: action.shortcut,
    separated: index > 0 && GROUP[action.id] !== GROUP[actions[index - 1]!.id],
    run: () => void action.run(),
  }));
  return <ContextMenu x={menu.x} y={menu.y} label={`Actions for ${displayTitle(menu.comic)}`} items={items} onClose={close} />;
}
