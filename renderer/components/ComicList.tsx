// The virtualized list (table-like) view; with `problems` it shows what is wrong with each file.
// Column headers with a sort key sort on click (again: the other order) and show the order; columns
// of less value give way first when the list is narrow.
import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ComicSummary, SortKey, SortOrder } from '../../shared/types.js';
import { FORMAT_LABELS, formatBytes, formatCount, formatDate, seriesAndNumber, titleSortText } from '../lib/format.js';
import { problemLabel, problemSentence } from '../lib/problem-text.js';
import { useElementSize } from '../lib/use-element-size.js';
import { useQuery, useStores } from '../store/context.js';
import { itemAt } from '../store/results.js';
import { useResultsItems, useResultsNavigation } from './use-results-navigation.js';
import { ResultsListbox } from './ResultsListbox.js';
import { AscIcon, CopiesIcon, DescIcon, StarIcon, WarningIcon } from './icons.js';
import { isSelected as isInSelection } from '../browse/multi-select.js';
import '../styles/list-columns.css';
import '../styles/selection.css';
import '../styles/favourite.css';

export const LIST_ROW_HEIGHT = 34;

export interface Column {
  id: string;
  label: string;
  width: string;
  align?: 'end';
  /** The API sort key this column orders by; without one the header is not a button. */
  sortKey?: SortKey;
  /** The column is left out when the list is narrower than this (px). */
  hideBelow?: number;
  render(comic: ComicSummary): ReactNode;
}

function duplicateTitle(comic: ComicSummary): string {
  return `One of ${comic.duplicateCount} identical copies in the library; this one is in ${comic.folder || 'the library folder'}.`;
}

function Marks({ comic }: { comic: ComicSummary }) {
  return (
    <>
      {!comic.errorKind && <span className={`read-mark${comic.read ? ' is-read' : ''}`} title={comic.read ? 'Read' : 'Unread'} />}
      {comic.errorKind && (
        <span className="row-warning" title={problemLabel(comic.errorKind)}>
          <WarningIcon size={13} />
        </span>
      )}
      {comic.duplicateCount > 1 && (
        <span className="dup-mark" title={duplicateTitle(comic)} aria-label={`${comic.duplicateCount} copies`}>
          <CopiesIcon size={12} />
          {comic.duplicateCount}
        </span>
      )}
      {comic.favourite && (
        <span className="favourite-mark-inline" title="Favourite" aria-label="favourite" data-testid="favourite-mark">
          <StarIcon size={12} filled />
        </span>
      )}
    </>
  );
}

export const LIBRARY_COLUMNS: Column[] = [
  {
    id: 'series',
    label: 'Series',
    width: 'minmax(150px, 2.2fr)',
    sortKey: 'series',
    render: (c) => {
      const series = seriesAndNumber(c);
      return (
        <>
          <Marks comic={c} />
          <span className={`truncate${series ? '' : ' list-subtle'}`} title={series ?? c.fileName}>
            {series ?? c.fileName}
          </span>
        </>
      );
    },
  },
  {
    id: 'title',
    label: 'Title',
    width: 'minmax(130px, 2fr)',
    sortKey: 'title',
    hideBelow: 430,
    // What the Title sort orders by; a comic without a title sorts (and shows, greyed) under its series.
    render: (c) => <span className={`truncate${c.title ? '' : ' list-subtle'}`}>{titleSortText(c)}</span>,
  },
  { id: 'writer', label: 'Writer', width: 'minmax(110px, 1.3fr)', hideBelow: 1020, render: (c) => <span className="truncate">{c.writer ?? ''}</span> },
  { id: 'folder', label: 'Folder', width: 'minmax(110px, 1.3fr)', hideBelow: 1180, render: (c) => <span className="truncate list-subtle" title={c.folder || '/'}>{c.folder || '/'}</span> },
  { id: 'file', label: 'File name', width: 'minmax(130px, 1.5fr)', sortKey: 'file', hideBelow: 1480, render: (c) => <span className="truncate list-subtle" title={c.fileName}>{c.fileName}</span> },
  { id: 'year', label: 'Year', width: '52px', align: 'end', hideBelow: 720, render: (c) => c.year ?? '' },
  { id: 'format', label: 'Format', width: '64px', hideBelow: 860, render: (c) => <span className="format-tag">{FORMAT_LABELS[c.format]}</span> },
  { id: 'pages', label: 'Pages', width: '56px', align: 'end', hideBelow: 940, render: (c) => (c.pageCount > 0 ? formatCount(c.pageCount) : '') },
  { id: 'size', label: 'Size', width: '76px', align: 'end', sortKey: 'size', hideBelow: 540, render: (c) => formatBytes(c.size) },
  { id: 'added', label: 'Added', width: '104px', align: 'end', sortKey: 'added', hideBelow: 620, render: (c) => formatDate(c.addedAt) },
];

export const PROBLEM_COLUMNS: Column[] = [
  {
    id: 'file',
    label: 'File',
    width: 'minmax(170px, 2fr)',
    sortKey: 'file',
    render: (c) => (
      <>
        <span className="row-warning">
          <WarningIcon size={13} />
        </span>
        <span className="truncate" title={c.path}>{c.fileName}</span>
      </>
    ),
  },
  {
    id: 'kind',
    label: 'Problem',
    width: 'minmax(130px, 1.1fr)',
    render: (c) => <span className="problem-label truncate">{c.errorKind ? problemLabel(c.errorKind) : ''}</span>,
  },
  {
    id: 'message',
    label: 'What happened',
    width: 'minmax(200px, 3fr)',
    hideBelow: 600,
    // The plain sentence; the engine's own message (the technical detail) is in the details panel.
    render: (c) => <span className="truncate" title={c.errorKind ? problemSentence(c.errorKind) : ''}>{c.errorKind ? problemSentence(c.errorKind) : ''}</span>,
  },
  { id: 'folder', label: 'Folder', width: 'minmax(110px, 1.2fr)', hideBelow: 920, render: (c) => <span className="truncate list-subtle">{c.folder || '/'}</span> },
  { id: 'size', label: 'Size', width: '76px', align: 'end', sortKey: 'size', hideBelow: 720, render: (c) => formatBytes(c.size) },
];

/** The columns that fit a list this wide (px); 0 = not measured yet: all of them. */
export function visibleColumns(columns: readonly Column[], width: number): Column[] {
  if (width <= 0) return [...columns];
  return columns.filter((c) => c.hideBelow === undefined || width >= c.hideBelow);
}

function SortHeader({ column, sort, order }: { column: Column; sort: SortKey; order: SortOrder }) {
  const { query } = useStores();
  const key = column.sortKey!;
  const isActive = sort === key;
  const next = isActive && order === 'asc' ? 'descending' : 'ascending';
  return (
    <button
      type="button"
      className={`list-sort${isActive ? ' is-active' : ''}`}
      aria-label={`${column.label}${isActive ? `, sorted ${order === 'asc' ? 'ascending' : 'descending'}` : ''}: sort ${next}`}
      title={`Sort by ${column.label.toLowerCase()}`}
      data-sort-key={key}
      onClick={() => query.getState().sortBy(key)}
    >
      <span className="truncate">{column.label}</span>
      <span className="list-sort-arrow" aria-hidden="true">
        {isActive ? order === 'asc' ? <AscIcon /> : <DescIcon /> : null}
      </span>
    </button>
  );
}

export function ComicList({ label, isProblems = false }: { label: string; isProblems?: boolean }) {
  const listRef = useRef<HTMLDivElement | null>(null);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const { width: listWidth } = useElementSize(listRef);
  const { height } = useElementSize(scrollRef);
  const { total, pages, cursor, multi, isMulti } = useResultsItems();
  const sort = useQuery((s) => s.sort);
  const order = useQuery((s) => s.order);
  const columns = visibleColumns(isProblems ? PROBLEM_COLUMNS : LIBRARY_COLUMNS, listWidth);
  const template = columns.map((c) => c.width).join(' ');

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LIST_ROW_HEIGHT,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows.length > 0 ? rows[0].index : 0;
  const last = rows.length > 0 ? rows[rows.length - 1].index : -1;

  const { onKeyDown, onItemClick, onItemDoubleClick, onItemContextMenu, activeId } = useResultsNavigation({
    scrollRef,
    columns: 1,
    pageRows: Math.max(1, Math.floor((height || 600) / LIST_ROW_HEIGHT) - 1),
    firstIndex: first,
    lastIndex: last,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    scrollToTop: () => virtualizer.scrollToOffset(0),
  });

  return (
    <div className={`list${isProblems ? ' is-problems' : ''}`} ref={listRef}>
      <div className="list-header" style={{ gridTemplateColumns: template }} role="group" aria-label="Columns">
        {columns.map((c) => (
          <div key={c.id} className={`list-cell${c.align === 'end' ? ' align-end' : ''}`} aria-hidden={c.sortKey ? undefined : true}>
            {c.sortKey ? <SortHeader column={c} sort={sort} order={order} /> : c.label}
          </div>
        ))}
      </div>
      <ResultsListbox scrollRef={scrollRef} className="list-scroll" label={label} activeId={activeId} onKeyDown={onKeyDown} height={virtualizer.getTotalSize()}>
        {rows.map((row) => {
          const comic = itemAt({ pages }, row.index);
          const style = { transform: `translateY(${row.start}px)`, height: LIST_ROW_HEIGHT, gridTemplateColumns: template };
          if (!comic) {
            return (
              <div key={row.key} className="list-row is-skeleton" style={style} aria-hidden="true">
                {columns.map((c) => (
                  <div key={c.id} className="list-cell">
                    <span className="skeleton-line" />
                  </div>
                ))}
              </div>
            );
          }
          const isSelected = isInSelection(multi, row.index, comic.id);
          return (
            <div
              key={row.key}
              id={`comic-option-${row.index}`}
              role="option"
              aria-selected={isSelected}
              aria-posinset={row.index + 1}
              aria-setsize={total}
              data-comic-id={comic.id}
              className={`list-row${row.index % 2 ? ' is-odd' : ''}${isSelected ? ' is-selected' : ''}${isSelected && isMulti ? ' is-checked' : ''}${row.index === cursor ? ' is-cursor' : ''}`}
              style={style}
              onClick={(e) => onItemClick(comic, row.index, e)}
              onDoubleClick={() => onItemDoubleClick(comic)}
              onContextMenu={(e) => onItemContextMenu(comic, row.index, e)}
            >
              {columns.map((c) => (
                <div key={c.id} className={`list-cell${c.align === 'end' ? ' align-end' : ''}`}>
                  {c.render(comic)}
                </div>
              ))}
            </div>
          );
        })}
      </ResultsListbox>
    </div>
  );
}
