// The reader view: full window over the library. Toolbar (back, title, modes, direction, fit, zoom,
// full screen), the pages (paged or webtoon), a page slider with numbers, the "continued from" note
// and, at the last page, the next issue of the series.
import { useEffect, useRef } from 'react';
import { displayTitle } from '../lib/format.js';
import { isTypingTarget } from '../lib/keyboard.js';
import { readerActionFor, type ReaderAction } from './keys.js';
import { viewLabel } from './layout.js';
import { PagedView } from './PagedView.js';
import { useReader, useReaderContext, type ReaderOpener } from './reader-context.js';
import { currentView, isAtEnd, type ReaderState } from './reader-store.js';
import { FIT_MODES, type FitMode } from './settings.js';
import { WebtoonView } from './WebtoonView.js';

const FIT_LABELS: Record<FitMode, string> = { width: 'Fit width', height: 'Fit height', screen: 'Fit screen', original: 'Original size' };
const ZOOM_STEP = 1.25;

export function Reader() {
  const { controller, opener } = useReaderContext();
  const rootRef = useRef<HTMLDivElement | null>(null);
  const status = useReader((s) => s.status);
  const comic = useReader((s) => s.comic);
  const error = useReader((s) => s.error);
  const mode = useReader((s) => s.settings.mode);
  const direction = useReader((s) => s.settings.direction);
  const fit = useReader((s) => s.settings.fit);

  // Keys: captured at the window while the reader is open, so the library's shortcuts stay out of it.
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || (e.target instanceof HTMLElement && e.target.tagName === 'SELECT')) return;
      const s = controller.store.getState();
      const action = readerActionFor(e, s.settings.direction);
      if (!action) return;
      // Webtoon: Space and the page keys scroll the column natively (smooth, by a screen).
      if (s.settings.mode === 'webtoon' && e.target instanceof HTMLElement && e.target.closest('.is-webtoon') && ['PageDown', 'PageUp', ' '].includes(e.key)) return;
      e.preventDefault();
      e.stopPropagation();
      runAction(action, s, opener, rootRef.current);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [controller, opener]);

  // Focus moves into the reader when it opens.
  useEffect(() => {
    rootRef.current?.focus({ preventScroll: true });
  }, []);

  const title = comic ? displayTitle(comic) : 'Loading…';
  return (
    <div
      ref={rootRef}
      className="reader"
      role="dialog"
      aria-modal="true"
      aria-label={`Reader: ${title}`}
      data-testid="reader"
      data-mode={mode}
      data-direction={direction}
      data-fit={fit}
      tabIndex={-1}
    >
      <ReaderToolbar title={title} />
      {status === 'loading' && (
        <div className="reader-stage reader-message" role="status" aria-label="Loading pages">
          <span className="spinner" aria-hidden="true" />
        </div>
      )}
      {status === 'error' && (
        <div className="reader-stage reader-message" role="alert">
          <div className="reader-card">
            <h2>This comic cannot be read right now</h2>
            <p>{error}</p>
            <button type="button" className="button" onClick={() => opener.close()}>
              Back to the library
            </button>
          </div>
        </div>
      )}
      {status === 'ready' && (mode === 'webtoon' ? <WebtoonView /> : <PagedView />)}
      {status === 'ready' && <PageSlider />}
      <ResumeNote />
      <EndOfComic />
    </div>
  );
}

function runAction(action: ReaderAction, s: ReaderState, opener: ReaderOpener, root: HTMLElement | null): void {
  switch (action) {
    case 'next':
      if (isAtEnd(s) && s.nextIssue && s.settings.mode !== 'webtoon') return; // the offer is on screen; N opens it
      s.step(1);
      return;
    case 'prev':
      s.step(-1);
      return;
    case 'first':
      s.goToPage(0);
      return;
    case 'last':
      s.goToPage(s.pages.length - 1);
      return;
    case 'exit':
      if (document.fullscreenElement) {
        void document.exitFullscreen().catch(() => undefined);
        return;
      }
      opener.close();
      return;
    case 'fullscreen':
      toggleFullscreen(root);
      return;
    case 'toggle-double':
      s.toggleMode('double');
      return;
    case 'toggle-webtoon':
      s.toggleMode('webtoon');
      return;
    case 'shift':
      s.toggleShift();
      return;
    case 'toggle-direction':
      s.setDirection(s.settings.direction === 'rtl' ? 'ltr' : 'rtl');
      return;
    case 'cycle-fit':
      s.cycleFit();
      return;
    case 'zoom-in':
      s.zoomBy(ZOOM_STEP);
      return;
    case 'zoom-out':
      s.zoomBy(1 / ZOOM_STEP);
      return;
    case 'zoom-reset':
      s.resetZoom();
      return;
    case 'next-issue':
      if (s.nextIssue && isAtEnd(s)) opener.replace(s.nextIssue);
      return;
  }
}

function toggleFullscreen(root: HTMLElement | null): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void root?.requestFullscreen?.().catch(() => undefined);
}

function ReaderToolbar({ title }: { title: string }) {
  const { controller, opener } = useReaderContext();
  const settings = useReader((s) => s.settings);
  const shifted = useReader((s) => s.shifted);
  const isReady = useReader((s) => s.status === 'ready');
  const s = () => controller.store.getState();
  return (
    <header className="reader-bar">
      <button type="button" className="control reader-button" onClick={() => opener.close()} title="Back to the library (Esc)">
        <span aria-hidden="true">←</span> Library
      </button>
      <h1 className="reader-title" title={title}>
        {title}
      </h1>
      {isReady && (
        <div className="reader-tools" role="toolbar" aria-label="Reading options">
          <div className="reader-segmented" role="group" aria-label="Mode">
            {(['single', 'double', 'webtoon'] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                className="control reader-button"
                aria-pressed={settings.mode === mode}
                onClick={() => s().setMode(mode)}
                title={mode === 'double' ? 'Double page (D)' : mode === 'webtoon' ? 'Webtoon (W)' : 'Single page'}
              >
                {mode === 'single' ? 'Single' : mode === 'double' ? 'Double' : 'Webtoon'}
              </button>
            ))}
          </div>
          {settings.mode === 'double' && (
            <button type="button" className="control reader-button" aria-pressed={shifted} onClick={() => s().toggleShift()} title="Shift pairs by one page (S)">
              Shift
            </button>
          )}
          <button
            type="button"
            className="control reader-button"
            onClick={() => s().setDirection(settings.direction === 'rtl' ? 'ltr' : 'rtl')}
            aria-label={settings.direction === 'rtl' ? 'Right to left (switch to left to right)' : 'Left to right (switch to right to left)'}
            title="Reading direction (R)"
          >
            {settings.direction === 'rtl' ? 'RTL' : 'LTR'}
          </button>
          <select className="control reader-select" aria-label="Fit" value={settings.fit} onChange={(e) => s().setFit(e.target.value as FitMode)}>
            {FIT_MODES.map((fit) => (
              <option key={fit} value={fit}>
                {FIT_LABELS[fit]}
              </option>
            ))}
          </select>
          <div className="reader-segmented" role="group" aria-label="Zoom">
            <button type="button" className="control reader-button" aria-label="Zoom out" onClick={() => s().zoomBy(1 / ZOOM_STEP)}>
              −
            </button>
            <button type="button" className="control reader-button reader-zoom" aria-label="Reset zoom" onClick={() => s().resetZoom()}>
              {Math.round(settings.zoom * 100)}%
            </button>
            <button type="button" className="control reader-button" aria-label="Zoom in" onClick={() => s().zoomBy(ZOOM_STEP)}>
              +
            </button>
          </div>
          <button type="button" className="control reader-button" aria-label="Full screen" title="Full screen (F)" onClick={(e) => toggleFullscreen(e.currentTarget.closest('.reader'))}>
            <FullscreenIcon />
          </button>
        </div>
      )}
    </header>
  );
}

function PageSlider() {
  const { controller } = useReaderContext();
  const view = useReader(currentView);
  const pageCount = useReader((s) => s.pages.length);
  const first = view[0] ?? 0;
  return (
    <footer className="reader-foot">
      <span className="reader-count" data-testid="reader-position" aria-live="polite">
        {viewLabel(view, pageCount)}
      </span>
      <input
        type="range"
        className="reader-slider"
        min={1}
        max={pageCount}
        value={first + 1}
        aria-label="Page"
        aria-valuetext={`Page ${first + 1} of ${pageCount}`}
        onChange={(e) => controller.store.getState().goToPage(Number(e.target.value) - 1)}
      />
      <span className="reader-count">{pageCount}</span>
    </footer>
  );
}

function ResumeNote() {
  const { controller } = useReaderContext();
  const resumedFrom = useReader((s) => s.resumedFrom);
  const isReady = useReader((s) => s.status === 'ready');
  useEffect(() => {
    if (resumedFrom === null) return;
    const timer = setTimeout(() => controller.store.getState().dismissResume(), 6000);
    return () => clearTimeout(timer);
  }, [resumedFrom, controller]);
  if (resumedFrom === null || !isReady) return null;
  return (
    <div className="reader-note" role="status">
      <span>Continued from page {resumedFrom + 1}</span>
      <button type="button" className="control reader-button" onClick={() => controller.store.getState().startOver()}>
        Start over
      </button>
    </div>
  );
}

function EndOfComic() {
  const { opener } = useReaderContext();
  const atEnd = useReader(isAtEnd);
  const next = useReader((s) => s.nextIssue);
  if (!atEnd) return null;
  return (
    <div className="reader-end" role="region" aria-label="End of this comic">
      {next ? (
        <>
          <div className="reader-end-text">
            <span className="reader-end-kicker">Next issue</span>
            <strong>{displayTitle(next)}</strong>
          </div>
          <button type="button" className="button button-primary" onClick={() => opener.replace(next)} aria-keyshortcuts="N">
            Read next issue (N)
          </button>
        </>
      ) : (
        <>
          <div className="reader-end-text">
            <span className="reader-end-kicker">The end</span>
            <strong>No next issue in this series</strong>
          </div>
          <button type="button" className="button" onClick={() => opener.close()}>
            Back to the library
          </button>
        </>
      )}
    </div>
  );
}

function FullscreenIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true">
      <path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4" />
    </svg>
  );
}
