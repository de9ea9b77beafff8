// The library's sections: Home, Series, Folders, All comics, Favourites, Problems. Collapsible (the choice is
// kept), reachable by Tab, and ↑/↓ move between its entries.
import type { KeyboardEvent } from 'react';
import { useStatus } from '../store/context.js';
import { formatCount } from '../lib/format.js';
import { navigate, useBrowse, useBrowseStore } from './BrowseProvider.js';
import type { BrowseRoute, BrowseView } from './route.js';

interface Entry {
  view: BrowseView;
  label: string;
  route: BrowseRoute;
  glyph: string;
}

const ENTRIES: readonly Entry[] = [
  { view: 'home', label: 'Home', route: { view: 'home' }, glyph: '⌂' },
  { view: 'series', label: 'Series', route: { view: 'series' }, glyph: '▤' },
  { view: 'folders', label: 'Folders', route: { view: 'folders', path: '' }, glyph: '▱' },
  { view: 'all', label: 'All comics', route: { view: 'all' }, glyph: '▦' },
  { view: 'favourites', label: 'Favourites', route: { view: 'favourites' }, glyph: '★' },
  { view: 'problems', label: 'Problems', route: { view: 'problems' }, glyph: '!' },
];

/** Which entry a route belongs to (a series page is under Series). */
function sectionOf(view: BrowseView): BrowseView {
  return view === 'series-page' ? 'series' : view;
}

export function Sidebar() {
  const store = useBrowseStore();
  const current = useBrowse((s) => sectionOf(s.route.view));
  const collapsed = useBrowse((s) => s.collapsed);
  const errorCount = useStatus((s) => s.status?.error_count ?? 0);
  const fileCount = useStatus((s) => s.status?.file_count ?? 0);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button[data-view]')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    e.preventDefault();
    buttons[(at + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
  };

  return (
    <nav className={`sidebar${collapsed ? ' is-collapsed' : ''}`} aria-label="Library sections" data-testid="sidebar" onKeyDown={onKeyDown}>
      <button
        type="button"
        className="sidebar-toggle"
        aria-expanded={!collapsed}
        aria-label={collapsed ? 'Show the sidebar' : 'Hide the sidebar'}
        title={collapsed ? 'Show the sidebar' : 'Hide the sidebar'}
        onClick={() => store.getState().toggleCollapsed()}
      >
        {collapsed ? '»' : '«'}
      </button>
      <ul>
        {ENTRIES.map((entry) => {
          const count = entry.view === 'all' ? fileCount : entry.view === 'problems' ? errorCount : null;
          return (
            <li key={entry.view}>
              <button
                type="button"
                data-view={entry.view}
                className="sidebar-item"
                aria-current={current === entry.view ? 'page' : undefined}
                title={entry.label}
                onClick={() => navigate(store, entry.route)}
              >
                <span className="sidebar-glyph" aria-hidden="true">
                  {entry.glyph}
                </span>
                <span className="sidebar-label">{entry.label}</span>
                {count !== null && count > 0 && <span className="sidebar-count">{formatCount(count)}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
