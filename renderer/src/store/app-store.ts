/**
 * Creates the one store of the console and wires it to the transport outside React: the
 * `workspace.changed` subscription is made here, once, and refetches the snapshot.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createApi } from '../../../shared/api-client';
import type { ConsoleTransport } from '../api/console-transport';
import type { AppState } from './app-state';
import { createUiSlice, type Theme } from './ui-slice';
import { createWorkspaceSlice } from './workspace-slice';

export type AppStoreApi = StoreApi<AppState>;

export interface AppStore {
  store: AppStoreApi;
  /** Stop listening to the transport and close it. */
  dispose(): void;
}

/** The store, loading the workspace at once and keeping it fresh from events. */
export function createAppStore(transport: ConsoleTransport, initial: { screen: string; theme: Theme }): AppStore {
  const api = createApi(transport);
  const store = createStore<AppState>()((...args) => ({
    ...createWorkspaceSlice(api)(...args),
    ...createUiSlice(initial)(...args),
  }));

  const stopEvents = api.on('workspace.changed', () => void store.getState().refresh());
  const stopConnection = transport.onConnectionChange((connection) => {
    const before = store.getState().connection;
    store.setState({ connection });
    // Events sent while the socket was down are lost: catch up once it is back.
    if (connection === 'live' && before === 'reconnecting') void store.getState().refresh();
  });
  void store.getState().refresh();

  return {
    store,
    dispose() {
      stopEvents();
      stopConnection();
      transport.dispose();
    },
  };
}
