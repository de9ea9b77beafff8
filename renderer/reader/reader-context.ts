// The reader's React context: the controller (reader-store.ts) and the opener that <ReaderHost>
// provides, and the hooks the reader's views and the library's "Read" buttons use to reach them.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ReaderComic } from './reader-api.js';
import type { ReaderController, ReaderState } from './reader-store.js';

export interface ReaderOpener {
  /** Opens a comic at `page` (0-based), or at its saved page when null. */
  open(comic: ReaderComic, page?: number | null): void;
  /** Opens the next issue in place (Back still returns to the library). */
  replace(comic: ReaderComic): void;
  /** Back to the library. */
  close(): void;
}

export interface ReaderContextValue {
  controller: ReaderController;
  opener: ReaderOpener | null;
}

export const ReaderContext = createContext<ReaderContextValue | null>(null);

export function useReaderContext(): { controller: ReaderController; opener: ReaderOpener } {
  const value = useContext(ReaderContext);
  if (!value?.opener) throw new Error('reader hooks outside <ReaderHost>');
  return { controller: value.controller, opener: value.opener };
}

/** The opener for the grid, the list and the details panel; null outside a ReaderHost (then they do not offer reading). */
export function useReaderOpener(): ReaderOpener | null {
  return useContext(ReaderContext)?.opener ?? null;
}

export function useReader<T>(selector: (s: ReaderState) => T): T {
  return useStore(useReaderContext().controller.store, selector);
}
