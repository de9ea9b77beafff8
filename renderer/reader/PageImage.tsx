// One page image: its accessible name is "Page N of M"; while it loads the box keeps its size; a page
// that cannot be read says so in words (the host's reason when it gives one) instead of a broken image.
import { useEffect, useState, type CSSProperties } from 'react';
import type { Size } from './fit.js';

export type PageLoadState = 'loading' | 'loaded' | 'failed';

export interface PageImageProps {
  url: string;
  index: number;
  pageCount: number;
  size: Size;
  /** Extra style for the box (position in the webtoon column). */
  style?: CSSProperties;
  className?: string;
  /** The image's real size once it is known (the page list may not have had it). */
  onNaturalSize?: (index: number, size: Size) => void;
}

export function pageLabel(index: number, pageCount: number): string {
  return `Page ${index + 1} of ${pageCount}`;
}

export function PageImage({ url, index, pageCount, size, style, className = '', onNaturalSize }: PageImageProps) {
  const [state, setState] = useState<PageLoadState>('loading');
  const [reason, setReason] = useState<string | null>(null);
  const label = pageLabel(index, pageCount);

  useEffect(() => {
    if (state !== 'failed') return;
    // <img> errors carry no reason: ask the host once for its JSON error.
    let isCurrent = true;
    fetch(url)
      .then(async (response) => {
        if (response.ok) return null;
        const body = (await response.json().catch(() => null)) as { error?: { message?: unknown } } | null;
        return typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
      })
      .catch(() => 'The library cannot be reached.')
      .then((text) => {
        if (isCurrent) setReason(text);
      });
    return () => {
      isCurrent = false;
    };
  }, [state, url]);

  const boxStyle: CSSProperties = { width: size.width, height: size.height, ...style };
  if (state === 'failed') {
    return (
      <div className={`reader-page is-failed ${className}`} style={boxStyle} role="img" aria-label={`${label}: cannot be read`} data-page={index}>
        <div className="reader-page-error">
          <strong>Page {index + 1} cannot be read</strong>
          {reason && <span>{reason}</span>}
        </div>
      </div>
    );
  }
  return (
    <div className={`reader-page ${className}`} style={boxStyle} data-state={state} data-page={index}>
      <img
        src={url}
        alt={label}
        width={size.width}
        height={size.height}
        draggable={false}
        decoding="async"
        // Element Timing: the e2e figures read when each page was painted.
        {...{ elementtiming: `page-${index}` }}
        onLoad={(e) => {
          setState('loaded');
          const img = e.currentTarget;
          onNaturalSize?.(index, { width: img.naturalWidth, height: img.naturalHeight });
        }}
        onError={() => setState('failed')}
      />
    </div>
  );
}
