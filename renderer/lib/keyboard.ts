// Keyboard navigation over a virtualized list or grid: the next cursor index for a key, or null.

export interface NavGeometry {
  total: number;
  /** Items per row (1 for the list). */
  columns: number;
  /** Rows that fit on one screen (PageUp/PageDown). */
  pageRows: number;
}

export function nextIndex(key: string, index: number, geo: NavGeometry): number | null {
  const { total, columns, pageRows } = geo;
  if (total <= 0) return null;
  const last = total - 1;
  const from = index < 0 ? -1 : Math.min(index, last);
  const clamp = (i: number) => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowRight':
      return columns > 1 ? clamp(from + 1) : null;
    case 'ArrowLeft':
      return columns > 1 ? clamp(from < 0 ? 0 : from - 1) : null;
    case 'ArrowDown':
      return from < 0 ? 0 : clamp(from + columns);
    case 'ArrowUp':
      return from < 0 ? 0 : clamp(from - columns);
    case 'PageDown':
      return clamp(Math.max(from, 0) + columns * Math.max(1, pageRows));
    case 'PageUp':
      return clamp(Math.max(from, 0) - columns * Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** True when a key event is aimed at a text field (global shortcuts must leave it alone). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'range', 'submit'].includes(type);
}

/** F5, Ctrl+R, Cmd+R (and their Shift variants): the refresh shortcut. */
export function isRefreshShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  if (e.key === 'F5') return true;
  return (e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'r' || e.key === 'R');
}
