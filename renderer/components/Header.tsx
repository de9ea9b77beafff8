// The toolbar: app name, search, sort, layout, refresh + rebuild badge, theme.
import { useId } from 'react';
import { SORT_KEYS, type SortKey } from '../../shared/types.js';
import { useQuery, useStatus, useStores, useView } from '../store/context.js';
import { isRebuilding } from '../store/status.js';
import { COVER_SIZE_MAX, COVER_SIZE_MIN, type ThemeSetting } from '../store/view.js';
import { AscIcon, BookIcon, DescIcon, GridIcon, ListIcon, RefreshIcon, SearchIcon, CloseIcon } from './icons.js';
import { RebuildBadge } from './RebuildBadge.js';
import '../styles/header-extra.css';

export const SORT_LABELS: Record<SortKey, string> = {
  series: 'Series & number',
  title: 'Title',
  added: 'Date added',
  size: 'Size',
  file: 'File name',
};

export const SEARCH_INPUT_ID = 'library-search';

export function Header() {
  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <BookIcon size={15} />
        </span>
        <span className="brand-name">Longbox</span>
      </div>
      <SearchBox />
      <SortControl />
      <LayoutControl />
      <div className="toolbar-spacer" />
      <RebuildBadge />
      <RefreshButton />
      <ThemeSelect />
    </header>
  );
}

function SearchBox() {
  const { query } = useStores();
  const text = useQuery((s) => s.text);
  return (
    <div className="search" role="search">
      <SearchIcon />
      <input
        id={SEARCH_INPUT_ID}
        type="search"
        aria-label="Search comics"
        placeholder="Search series, title, writer, file…"
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

function LayoutControl() {
  const { view } = useStores();
  const layout = useView((s) => s.layout);
  const coverSize = useView((s) => s.coverSize);
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
    </div>
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
      <span>Refresh</span>
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
