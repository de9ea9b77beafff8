// React access to the stores: one set per app (or per test), provided by context.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Stores } from './stores.js';
import type { StatusState } from './status.js';
import type { QueryState } from './query.js';
import type { ResultsState } from './results.js';
import type { SelectionState } from './selection.js';
import type { DetailState } from './detail.js';
import type { ViewState } from './view.js';

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside <StoresProvider>');
  return stores;
}

export const useStatus = <T,>(selector: (s: StatusState) => T): T => useStore(useStores().status, selector);
export const useQuery = <T,>(selector: (s: QueryState) => T): T => useStore(useStores().query, selector);
export const useResults = <T,>(selector: (s: ResultsState) => T): T => useStore(useStores().results, selector);
export const useSelection = <T,>(selector: (s: SelectionState) => T): T => useStore(useStores().selection, selector);
export const useDetail = <T,>(selector: (s: DetailState) => T): T => useStore(useStores().detail, selector);
export const useView = <T,>(selector: (s: ViewState) => T): T => useStore(useStores().view, selector);
