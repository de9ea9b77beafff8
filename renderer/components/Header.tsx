// The toolbar: app name, search, sort, layout, refresh + rebuild badge, theme.
import { useEffect, useId, useRef, useState } from 'react';
import { COMPACT_HEADER_QUERY, useMediaQuery } from '../lib/use-media-query.js';
import { SORT_KEYS, type SortKey } from '../../shared/types.js';
import { useQuery, useStatus, useStores, useView } from '../store/context.js';
import { isRebuilding } from '../store/status.js';
import { COVER_SIZE_MAX, COVER_SIZE_MIN, type ThemeSetting } from '../store/view.js';
import { AscIcon, BookIcon, DescIcon, GridIcon, KeyboardIcon, ListIcon, MoreIcon, RefreshIcon, SearchIcon, CloseIcon } from './icons.js';
import { RebuildBadge } from './RebuildBadge.js';
import '../styles/header-extra.css';
import '../styles/responsive.css';

export const SORT_LABELS: Record<SortKey, string> = {
  series: 'Series & number',
  title: 'Title',
  added: 'Date added',
  size: 'Size',
  file: 'File name',
};

export const SEARCH_INPUT_ID = 'library-search';

export function Header() {
  // Narrow windows (and large zoom): the search shrinks, the cover size and theme move into "More".
  const isCompact = useMediaQuery(COMPACT_HEADER_QUERY);
  return (
    <header className={`toolbar${isCompact ? ' is-compact' : ''}`}>
      <div className="brand">
        <span className="app-mark brand-mark" aria-hidden="true">
          <BookIcon size={15} />
        </span>
        <span className="brand-name">Longbox</span>
      </div>
      <SearchBox isCompact={isCompact} />
      <SortControl />
      <LayoutControl showSize={!isCompact} />
      <div className="toolbar-spacer" />
      <RebuildBadge />
      <RefreshButton />
      {!isCompact && <ThemeSelect />}
      <MoreMenu isCompact={isCompact} />
    </header>
  );
}

function SearchBox({ isCompact }: { isCompact: boolean }) {
  const { query } = useStores();
  const text = useQuery((s) => s.text);
  return (
    <div className="search" role="search">
      <SearchIcon />
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        aria-label="Search comics"
        placeholder={isCompact ? 'Search…' : 'Search series, title, writer, file…'}
        title="Search series, title, writer, file name, publisher or folder"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => query.getState().setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') query.getState().flushText();
          if (e.key === 'Escape' && text) {
            e.preventDefault();
            query.getState().setText('');
            query.getState().flushText();
          }
        }}
      />
      {text ? (
        <button
          type="button"
          className="search-clear"
          aria-label="Clear search"
          onClick={() => {
            query.getState().setText('');
            query.getState().flushText();
          }}
        >
          <CloseIcon />
        </button>
      ) : (
        <kbd className="search-hint" aria-hidden="true">/</kbd>
      )}
    </div>
  );
}

function SortControl() {
  const { query } = useStores();
  const sort = useQuery((s) => s.sort);
  const order = useQuery((s) => s.order);
  const id = useId();
  return (
    <div className="sort">
      <label htmlFor={id} className="visually-hidden">
        Sort by
      </label>
      <select id={id} className="select" value={sort} onChange={(e) => query.getState().setSort(e.target.value as SortKey)}>
        {SORT_KEYS.map((key) => (
          <option key={key} value={key}>
            {SORT_LABELS[key]}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="icon-button"
        aria-label={order === 'asc' ? 'Ascending order (switch to descending)' : 'Descending order (switch to ascending)'}
        title={order === 'asc' ? 'Ascending' : 'Descending'}
        onClick={() => query.getState().toggleOrder()}
      >
        {order === 'asc' ? <AscIcon /> : <DescIcon />}
      </button>
    </div>
  );
}

function LayoutControl({ showSize }: { showSize: boolean }) {
  const { view } = useStores();
  const layout = useView((s) => s.layout);
  const isProblems = useQuery((s) => s.view === 'problems');
  return (
    <div className="layout-control">
      <div className="segmented" role="group" aria-label="Layout">
        <button type="button" aria-label="Grid view" aria-pressed={layout === 'grid'} disabled={isProblems} onClick={() => view.getState().setLayout('grid')}>
          <GridIcon />
        </button>
        <button type="button" aria-label="List view" aria-pressed={layout === 'list'} disabled={isProblems} onClick={() => view.getState().setLayout('list')}>
          <ListIcon />
        </button>
      </div>
      {showSize && <CoverSizeControl />}
    </div>
  );
}

function CoverSizeControl() {
  const { view } = useStores();
  const layout = useView((s) => s.layout);
  const coverSize = useView((s) => s.coverSize);
  const isProblems = useQuery((s) => s.view === 'problems');
  return (
      <label className="size-control" title="Cover size">
        <span className="size-label">Size</span>
        <input
        type="range"
        className="size-slider"
        aria-label="Cover size"
        min={COVER_SIZE_MIN}
        max={COVER_SIZE_MAX}
        step={10}
        value={coverSize}
        disabled={layout !== 'grid' || isProblems}
        onChange={(e) => view.getState().setCoverSize(Number(e.target.value))}
        />
      </label>
  );
}

function RefreshButton() {
  const { status } = useStores();
  const isBusy = useStatus(isRebuilding);
  return (
    <button
      type="button"
      className="button"
      aria-label="Refresh library"
      title="Refresh (F5)"
      aria-keyshortcuts="F5 Control+R Meta+R"
      onClick={() => void status.getState().refresh()}
    >
      <span className={isBusy ? 'spin' : undefined}>
        <RefreshIcon />
      </span>
      <span className="refresh-label">Refresh</span>
    </button>
  );
}

function ThemeSelect() {
  const { view } = useStores();
  const theme = useView((s) => s.theme);
  const id = useId();
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Theme
      </label>
      <select id={id} className="select select-compact" value={theme} onChange={(e) => view.getState().setTheme(e.target.value as ThemeSetting)}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </>
  );
}

/**
 * "More": the keyboard-shortcut help always, and in a compact header the cover size and the theme.
 * A disclosure (button + panel), not a menu: it holds form controls. Escape or a click outside closes.
 */
function MoreMenu({ isCompact }: { isCompact: boolean }) {
  const { view } = useStores();
  const [isOpen, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement | null>(null);
  const buttonRef = useRef<HTMLButtonElement | null>(null);
  const panelId = useId();
  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (e: MouseEvent) => {
      if (rootRef.current && e.target instanceof Node && !rootRef.current.contains(e.target)) setOpen(false);
    };
    window.addEventListener('mousedown', onPointer, true);
    return () => window.removeEventListener('mousedown', onPointer, true);
  }, [isOpen]);
  return (
    <div
      className="more"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && isOpen) {
          e.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-label="More options"
        title="More options"
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setOpen(!isOpen)}
      >
        <MoreIcon />
      </button>
      {isOpen && (
        <div className="more-panel" id={panelId} role="group" aria-label="More options">
          {isCompact && (
            <>
              <CoverSizeControl />
              <div className="more-row">
                <ThemeSelect />
              </div>
            </>
          )}
          <button
            type="button"
            className="button more-item"
            onClick={() => {
              setOpen(false);
              view.getState().setShortcutHelpOpen(true);
            }}
          >
            <KeyboardIcon /> Keyboard shortcuts <kbd>?</kbd>
          </button>
        </div>
      )}
    </div>
  );
}
