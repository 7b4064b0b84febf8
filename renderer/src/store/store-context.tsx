/** React access to the store: a provider and a hook that takes a narrow selector. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState } from './app-state';
import type { AppStoreApi } from './app-store';

const StoreContext = createContext<AppStoreApi | null>(null);

/** Makes the store available to the tree below. */
export function StoreProvider({ store, children }: { store: AppStoreApi; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Read one narrow piece of state; the component re-renders only when that piece changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp needs a StoreProvider above it');
  return useStore(store, selector);
}
