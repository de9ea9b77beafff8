// The virtualized list (table-like) view; with `problems` it shows the error kind and message.
import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ComicSummary } from '../../shared/types.js';
import { FORMAT_LABELS, displayTitle, formatBytes, formatCount, formatDate } from '../lib/format.js';
import { useElementSize } from '../lib/use-element-size.js';
import { useResults, useSelection } from '../store/context.js';
import { itemAt } from '../store/results.js';
import { useResultsNavigation } from './use-results-navigation.js';
import { WarningIcon } from './icons.js';

export const LIST_ROW_HEIGHT = 34;

interface Column {
  id: string;
  label: string;
  width: string;
  align?: 'end';
  render(comic: ComicSummary): ReactNode;
}

const LIBRARY_COLUMNS: Column[] = [
  {
    id: 'title',
    label: 'Title',
    width: 'minmax(220px, 3fr)',
    render: (c) => (
      <>
        <span className={`read-mark${c.read ? ' is-read' : ''}`} title={c.read ? 'Read' : 'Unread'} />
        {c.errorKind && <span className="row-warning"><WarningIcon size={13} /></span>}
        <span className="truncate">{displayTitle(c)}</span>
        {c.series && c.title && <span className="list-subtle truncate">{c.title}</span>}
      </>
    ),
  },
  { id: 'writer', label: 'Writer', width: 'minmax(120px, 1.4fr)', render: (c) => <span className="truncate">{c.writer ?? ''}</span> },
  { id: 'year', label: 'Year', width: '64px', align: 'end', render: (c) => c.year ?? '' },
  { id: 'format', label: 'Format', width: '72px', render: (c) => <span className="format-tag">{FORMAT_LABELS[c.format]}</span> },
  { id: 'pages', label: 'Pages', width: '64px', align: 'end', render: (c) => (c.pageCount > 0 ? formatCount(c.pageCount) : '') },
  { id: 'size', label: 'Size', width: '84px', align: 'end', render: (c) => formatBytes(c.size) },
  { id: 'added', label: 'Added', width: '110px', align: 'end', render: (c) => formatDate(c.addedAt) },
];

const PROBLEM_COLUMNS: Column[] = [
  {
    id: 'file',
    label: 'File',
    width: 'minmax(200px, 2fr)',
    render: (c) => (
      <>
        <span className="row-warning"><WarningIcon size={13} /></span>
        <span className="truncate">{c.fileName}</span>
      </>
    ),
  },
  { id: 'kind', label: 'Problem', width: '120px', render: (c) => <span className="error-kind">{c.errorKind ?? ''}</span> },
  { id: 'message', label: 'Message', width: 'minmax(200px, 3fr)', render: (c) => <span className="truncate" title={c.errorMessage ?? ''}>{c.errorMessage ?? ''}</span> },
  { id: 'folder', label: 'Folder', width: 'minmax(120px, 1.2fr)', render: (c) => <span className="truncate list-subtle">{c.folder || '/'}</span> },
  { id: 'size', label: 'Size', width: '84px', align: 'end', render: (c) => formatBytes(c.size) },
];

export function ComicList({ label, isProblems = false }: { label: string; isProblems?: boolean }) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const { height } = useElementSize(scrollRef);
  const total = useResults((s) => s.total ?? 0);
  const pages = useResults((s) => s.pages);
  const cursor = useSelection((s) => s.cursor);
  const selectedId = useSelection((s) => s.selectedId);
  const columns = isProblems ? PROBLEM_COLUMNS : LIBRARY_COLUMNS;
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

  const { onKeyDown, onItemClick, onItemDoubleClick, activeId } = useResultsNavigation({
    scrollRef,
    columns: 1,
    pageRows: Math.max(1, Math.floor((height || 600) / LIST_ROW_HEIGHT) - 1),
    firstIndex: first,
    lastIndex: last,
    scrollToIndex: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
    scrollToTop: () => virtualizer.scrollToOffset(0),
  });

  return (
    <div className={`list${isProblems ? ' is-problems' : ''}`}>
      <div className="list-header" style={{ gridTemplateColumns: template }} aria-hidden="true">
        {columns.map((c) => (
          <div key={c.id} className={`list-cell${c.align === 'end' ? ' align-end' : ''}`}>
            {c.label}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className="results-scroll list-scroll"
        role="listbox"
        aria-label={label}
        aria-activedescendant={activeId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="results"
      >
        <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
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
            const isSelected = comic.id === selectedId;
            return (
              <div
                key={row.key}
                id={`comic-option-${row.index}`}
                role="option"
                aria-selected={isSelected}
                aria-posinset={row.index + 1}
                aria-setsize={total}
                aria-label={isProblems ? `${comic.fileName}: ${comic.errorKind ?? ''} ${comic.errorMessage ?? ''}` : displayTitle(comic)}
                data-comic-id={comic.id}
                className={`list-row${row.index % 2 ? ' is-odd' : ''}${isSelected ? ' is-selected' : ''}${row.index === cursor ? ' is-cursor' : ''}`}
                style={style}
                onClick={() => onItemClick(comic, row.index)}
                onDoubleClick={() => onItemDoubleClick(comic)}
              >
                {columns.map((c) => (
                  <div key={c.id} className={`list-cell${c.align === 'end' ? ' align-end' : ''}`}>
                    {c.render(comic)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
