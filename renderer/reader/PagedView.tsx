// Single and double page modes: the current view's pages side by side (mirrored right to left),
// fitted to the stage, with click/tap zones for previous and next.
import { useCallback, useRef, type MouseEvent } from 'react';
import { useElementSize } from '../lib/use-element-size.js';
import { FALLBACK_SIZE, fitView, type Size } from './fit.js';
import { onScreenOrder, sideToStep } from './layout.js';
import { PageImage } from './PageImage.js';
import { useReader, useReaderContext } from './reader-context.js';
import { currentView } from './reader-store.js';

/** Width of each click zone, as a share of the stage. */
const ZONE = 0.3;

export function PagedView() {
  const { controller } = useReaderContext();
  const stageRef = useRef<HTMLDivElement | null>(null);
  const stage = useElementSize(stageRef);
  const comic = useReader((s) => s.comic);
  const pages = useReader((s) => s.pages);
  const view = useReader(currentView);
  const settings = useReader((s) => s.settings);
  const onNaturalSize = useCallback(
    (index: number, size: Size) => controller.store.getState().learnSize(index, size.width, size.height),
    [controller],
  );
  if (!comic) return null;

  const order = onScreenOrder(view, settings.direction);
  const sizeOf = (i: number): Size => {
    const page = pages[i];
    if (page?.width && page.height) return { width: page.width, height: page.height };
    return FALLBACK_SIZE;
  };
  const fitted = fitView(
    order.map(sizeOf),
    { width: Math.max(1, stage.width), height: Math.max(1, stage.height) },
    settings.fit,
    settings.zoom,
  );
  const go = (side: 'left' | 'right') => controller.store.getState().step(sideToStep(side, settings.direction));
  // Click or tap zones: the outer thirds of the stage turn the page (which way depends on the direction).
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - box.left) / Math.max(1, box.width);
    if (x < ZONE) go('left');
    else if (x > 1 - ZONE) go('right');
  };

  return (
    <div className="reader-stage" ref={stageRef} data-testid="reader-stage" onClick={onClick}>
      <div className={`reader-spread${order.length > 1 ? ' is-pair' : ''}`}>
        {stage.width > 0 &&
          order.map((index, k) => (
            <PageImage
              key={`${comic.id}:${index}`}
              url={controller.api.pageUrl(comic.id, index, comic.fingerprint)}
              index={index}
              pageCount={pages.length}
              size={fitted[k]!}
              className={order.length > 1 ? (k === 0 ? 'is-left' : 'is-right') : ''}
              onNaturalSize={onNaturalSize}
            />
          ))}
      </div>
    </div>
  );
}
