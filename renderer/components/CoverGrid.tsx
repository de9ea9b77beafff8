// The virtualized cover grid: rows of `columns` cells, columns from the container width. Only the
// visible rows (plus overscan) are rendered; rows not loaded yet show skeletons.
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MouseEvent } from 'react';
import type { ComicSummary, SortKey } from '../../shared/types.js';
import { gridCaption } from '../lib/format.js';
import { problemLabel } from '../lib/problem-text.js';
import { useElementSize } from '../lib/use-element-size.js';
import { useQuery, useView } from '../store/context.js';
import { itemAt } from '../store/results.js';
import { Cover } from './Cover.js';
import { useResultsItems, useResultsNavigation } from './use-results-navigation.js';
import { ResultsListbox } from './ResultsListbox.js';
import { CheckIcon, CopiesIcon, StarIcon, WarningIcon } from './icons.js';
import { isSelected as isInSelection } from '../browse/multi-select.js';
import '../styles/cover-badges.css';
import '../styles/selection.css';
import '../styles/favourite.css';
import { ReadingProgress } from '../reader/ReadingProgress.js';

export const GRID_GAP = 18;
export const GRID_PADDING = 20;
const CAPTION_HEIGHT = 44;

export function gridGeometry(width: number, coverSize: number): { columns: number; cellWidth: number; rowHeight: number } {
  const inner = Math.max(0, width - GRID_PADDING * 2);
  const columns = Math.max(1, Math.floor((inner + GRID_GAP) / (coverSize + GRID_GAP)));
  const cellWidth = Math.max(60, (inner - GRID_GAP * (columns - 1)) / columns);
  const rowHeight = Math.round(cellWidth * 1.5 + CAPTION_HEIGHT + GRID_GAP);
  return { columns, cellWidth, rowHeight };
}

export function CoverGrid({ label }: { label: string }) {
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const { width, height } = useElementSize(scrollRef);
  const coverSize = useView((s) => s.coverSize);
  const { total, pages, cursor, multi, isMulti } = useResultsItems();
  const sort = useQuery((s) => s.sort);
  const { columns, rowHeight } = useMemo(() => gridGeometry(width || 800, coverSize), [width, coverSize]);
  const rowCount = Math.ceil(total / columns);

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 2,
    paddingStart: GRID_PADDING,
    paddingEnd: GRID_PADDING,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, columns, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const firstRow = rows.length > 0 ? rows[0].index : 0;
  const lastRow = rows.length > 0 ? rows[rows.length - 1].index : 0;

  // When the column count changes (window or details panel resized, cover size changed), keep the
  // same comics in view: the cursor if it was on screen, else the first fully visible one.
  const anchor = useRef({ columns, index: 0, isCursor: false });
  useLayoutEffect(() => {
    const previous = anchor.current;
    if (previous.columns !== columns) {
      const row = Math.floor(previous.index / columns);
      // The first row starts below the grid's top padding: scrolling it to 'start' would leave the
      // grid 20 px down (GRID_PADDING) after the first layout and after every Refresh.
      if (row === 0 && !previous.isCursor) virtualizer.scrollToOffset(0);
      else virtualizer.scrollToIndex(row, { align: previous.isCursor ? 'center' : 'start' });
    }
  }, [columns, virtualizer]);
  useEffect(() => {
    const el = scrollRef.current;
    const topRow = el ? Math.max(0, Math.ceil((el.scrollTop - GRID_PADDING) / rowHeight)) : 0;
    const visibleRows = Math.max(1, Math.floor((height || 600) / rowHeight));
    const isCursorVisible = cursor >= 0 && Math.floor(cursor / columns) >= topRow && Math.floor(cursor / columns) < topRow + visibleRows;
    anchor.current = { columns, index: isCursorVisible ? cursor : Math.min(topRow * columns, Math.max(0, total - 1)), isCursor: isCursorVisible };
  });
  const pageRows = Math.max(1, Math.floor((height || 600) / rowHeight));

  const { onKeyDown, onItemClick, onItemDoubleClick, onItemContextMenu, activeId } = useResultsNavigation({
    scrollRef,
    columns,
    pageRows,
    firstIndex: firstRow * columns,
    lastIndex: Math.min(total, (lastRow + 1) * columns) - 1,
    scrollToIndex: (index) => virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' }),
    scrollToTop: () => virtualizer.scrollToOffset(0),
  });

  return (
    <ResultsListbox scrollRef={scrollRef} className="grid-scroll" label={label} activeId={activeId} onKeyDown={onKeyDown} height={virtualizer.getTotalSize()}>
      {rows.map((row) => {
        const start = row.index * columns;
        const cells = [];
        for (let i = start; i < Math.min(start + columns, total); i++) {
          const comic = itemAt({ pages }, i);
          cells.push(
            comic ? (
              <GridCell
                key={comic.id}
                comic={comic}
                index={i}
                total={total}
                isSelected={isInSelection(multi, i, comic.id)}
                isChecked={isMulti && isInSelection(multi, i, comic.id)}
                isCursor={i === cursor}
                sort={sort}
                onClick={onItemClick}
                onDoubleClick={onItemDoubleClick}
                onContextMenu={onItemContextMenu}
              />
            ) : (
              <div key={`s${i}`} className="cell is-skeleton" aria-hidden="true">
                <div className="cover skeleton" />
                <div className="skeleton-line" />
                <div className="skeleton-line short" />
              </div>
            ),
          );
        }
        return (
          <div
            key={row.key}
            className="grid-row"
            style={{
              transform: `translateY(${row.start}px)`,
              height: rowHeight - GRID_GAP,
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              columnGap: GRID_GAP,
              paddingInline: GRID_PADDING,
            }}
          >
            {cells}
          </div>
        );
      })}
    </ResultsListbox>
  );
}

function GridCell(props: {
  comic: ComicSummary;
  index: number;
  total: number;
  isSelected: boolean;
  /** One of several selected: a check on the cover. */
  isChecked: boolean;
  isCursor: boolean;
  sort: SortKey;
  onClick: (comic: ComicSummary, index: number, e: MouseEvent) => void;
  onDoubleClick: (comic: ComicSummary, index: number) => void;
  onContextMenu: (comic: ComicSummary, index: number, e: MouseEvent) => void;
}) {
  const { comic, index, total, isSelected, isChecked, isCursor } = props;
  const caption = gridCaption(comic, props.sort);
  return (
    <div
      id={`comic-option-${index}`}
      role="option"
      aria-selected={isSelected}
      aria-posinset={index + 1}
      aria-setsize={total}
      // Starts with the caption as shown (WCAG 2.5.3: the visible words are part of the name), then
      // what only the marks on the cover say.
      aria-label={[
        [caption.title, caption.subtitle].filter(Boolean).join(' '),
        comic.errorKind ? problemLabel(comic.errorKind) : comic.read ? null : 'unread',
        comic.duplicateCount > 1 ? `${comic.duplicateCount} copies` : null,
        comic.favourite ? 'favourite' : null,
      ]
        .filter(Boolean)
        .join(', ')}
      className={`cell${isSelected ? ' is-selected' : ''}${isChecked ? ' is-checked' : ''}${isCursor ? ' is-cursor' : ''}`}
      data-comic-id={comic.id}
      onClick={(e) => props.onClick(comic, index, e)}
      onDoubleClick={() => props.onDoubleClick(comic, index)}
      onContextMenu={(e) => props.onContextMenu(comic, index, e)}
    >
      <div className="cell-cover">
        <Cover comic={comic} />
        {!comic.read && !comic.errorKind && <span className="unread-dot" title="Unread" />}
        {comic.errorKind && (
          <span className="cover-flag is-error" title={problemLabel(comic.errorKind)}>
            <WarningIcon size={12} />
          </span>
        )}
        {comic.duplicateCount > 1 && (
          <span
            className="cover-flag is-dup"
            title={`One of ${comic.duplicateCount} identical copies; this one is in ${comic.folder || 'the library folder'}`}
          >
            <CopiesIcon size={11} />
            <span aria-hidden="true">{comic.duplicateCount}</span>
          </span>
        )}
        {comic.favourite && (
          <span className="favourite-mark" title="Favourite" data-testid="favourite-mark">
            <StarIcon size={12} filled />
          </span>
        )}
        {isChecked && (
          <span className="select-check" aria-hidden="true">
            <CheckIcon />
          </span>
        )}
        <ReadingProgress comic={comic} />
      </div>
      <div className="cell-title" title={caption.title}>
        {caption.title}
      </div>
      <div className="cell-sub">{caption.subtitle || '\u00a0'}</div>
    </div>
  );
}
