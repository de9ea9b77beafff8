// Continuous vertical (webtoon) mode: one scrolling column whose height is known up front from the
// page sizes; only the pages near the viewport are in the DOM (at most WEBTOON_MAX_IMAGES).
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useElementSize } from '../lib/use-element-size.js';
import { PageImage } from './PageImage.js';
import { useReader, useReaderContext } from './reader-context.js';
import { currentView } from './reader-store.js';
import { currentPage, layoutColumn, pageAt, renderRange } from './webtoon-model.js';

/** Column width for fits other than "width" (a phone-like strip, as webtoons are drawn). */
export const WEBTOON_COLUMN_WIDTH = 800;

export function WebtoonView() {
  const { controller } = useReaderContext();
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const { width, height } = useElementSize(scrollRef);
  const comic = useReader((s) => s.comic);
  const pages = useReader((s) => s.pages);
  const settings = useReader((s) => s.settings);
  const jump = useReader((s) => s.jump);
  const [scrollTop, setScrollTop] = useState(0);

  const columnWidth = Math.max(
    100,
    Math.round((settings.fit === 'width' ? width : Math.min(width, WEBTOON_COLUMN_WIDTH)) * settings.zoom) || WEBTOON_COLUMN_WIDTH,
  );
  const column = useMemo(() => layoutColumn(pages, columnWidth), [pages, columnWidth]);

  /** Where the reader is inside the column: a page and how far down it, kept while pages above change size. */
  const anchor = useRef({ page: 0, fraction: 0 });
  const columnRef = useRef(column);
  columnRef.current = column;

  // A jump (slider, Home/End, keys, opening at a saved page) scrolls the column to the page's top.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || height === 0) return;
    const page = currentView(controller.store.getState())[0] ?? 0;
    anchor.current = { page, fraction: 0 };
    const top = columnRef.current.tops[page] ?? 0;
    el.scrollTop = top;
    setScrollTop(top);
  }, [jump, height, controller]);

  // A page's real size arrived or the column was resized: the same spot stays on screen.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || height === 0) return;
    const { page, fraction } = anchor.current;
    const top = Math.round((column.tops[page] ?? 0) + fraction * (column.heights[page] ?? 0));
    if (Math.abs(el.scrollTop - top) > 1) {
      el.scrollTop = top;
      setScrollTop(top);
    }
  }, [column, height]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const top = el.scrollTop;
        setScrollTop(top);
        const at = pageAt(column, top);
        anchor.current = { page: at, fraction: column.heights[at] ? (top - column.tops[at]!) / column.heights[at]! : 0 };
        // At the bottom the last page is the one being read, however short it is.
        const atBottom = top + el.clientHeight >= column.total - 2;
        controller.store.getState().reportPage(atBottom ? pages.length - 1 : currentPage(column, top, el.clientHeight));
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      el.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [column, controller, pages.length]);

  if (!comic) return null;
  const onNaturalSize = (index: number, size: { width: number; height: number }) => controller.store.getState().learnSize(index, size.width, size.height);
  const { start, end } = height > 0 ? renderRange(column, scrollTop, height) : { start: 0, end: -1 };
  const items = [];
  for (let i = start; i <= end; i++) {
    items.push(
      <PageImage
        key={`${comic.id}:${i}`}
        url={controller.api.pageUrl(comic.id, i, comic.fingerprint)}
        index={i}
        pageCount={pages.length}
        size={{ width: columnWidth, height: column.heights[i]! }}
        style={{ position: 'absolute', top: column.tops[i], left: `calc(50% - ${columnWidth / 2}px)` }}
        onNaturalSize={onNaturalSize}
      />,
    );
  }
  return (
    <div className="reader-stage is-webtoon" ref={scrollRef} data-testid="reader-stage" tabIndex={-1}>
      <div className="reader-column" style={{ height: column.total }}>
        {items}
      </div>
    </div>
  );
}
