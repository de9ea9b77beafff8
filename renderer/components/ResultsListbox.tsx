// The scrolling listbox the cover grid and the list both draw their virtual rows in: the keyboard,
// the active option and the multi-select state live on this one element (use-results-navigation.ts),
// over a spacer as tall as all the rows.
import type { KeyboardEvent, ReactNode, RefObject } from 'react';

export interface ResultsListboxProps {
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The view's own scroll class (grid-scroll, list-scroll), next to results-scroll. */
  className: string;
  label: string;
  activeId: string | undefined;
  onKeyDown(e: KeyboardEvent<HTMLDivElement>): void;
  /** The virtualizer's total size in px. */
  height: number;
  children: ReactNode;
}

export function ResultsListbox({ scrollRef, className, label, activeId, onKeyDown, height, children }: ResultsListboxProps) {
  return (
    <div
      ref={scrollRef}
      className={`results-scroll ${className}`}
      role="listbox"
      aria-label={label}
      aria-multiselectable="true"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="results"
    >
      <div className="virtual-space" style={{ height }}>
        {children}
      </div>
    </div>
  );
}
