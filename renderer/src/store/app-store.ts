/**
 * Creates the one store of the console from its slices and wires it to the transport outside
 * React: the event subscriptions are made here, once (see event-wiring.ts), and every area is
 * loaded at once.
 */
import { createStore } from 'zustand/vanilla';
import { createApi } from '../../../shared/api-client';
import type { ConsoleTransport } from '../api/console-transport';
import type { AppState, AppStoreApi } from './app-state';
import { createAlertingSlice } from './alerting-slice';
import { createAuditSlice } from './audit-slice';
import { createDrillsSlice } from './drills-slice';
import { refreshAll, wireEvents } from './event-wiring';
import { createFailoverSlice } from './failover-slice';
import { createHealthSlice } from './health-slice';
import { createRecoverySlice } from './recovery-slice';
import { createRunbooksSlice } from './runbooks-slice';
import { createUiSlice, type Theme } from './ui-slice';
import { createWorkspaceSlice } from './workspace-slice';

export type { AppStoreApi };

export interface AppStore {
  store: AppStoreApi;
  /** Stop listening to the transport and close it. */
  dispose(): void;
}

/** The store, loading every area at once and keeping it fresh from events. */
export function createAppStore(transport: ConsoleTransport, initial: { screen: string; theme: Theme }): AppStore {
  const api = createApi(transport);
  // The slices pattern: each slice is a plain StateCreator; middleware, if any, wraps only this combined one.
  const store: AppStoreApi = createStore<AppState>()((...args) => ({
    ...createWorkspaceSlice(api, (): Promise<void> => refreshAll(store))(...args),
    ...createUiSlice(initial)(...args),
    ...createHealthSlice(api)(...args),
    ...createAlertingSlice(api)(...args),
    ...createFailoverSlice(api)(...args),
    ...createRunbooksSlice(api)(...args),
    ...createDrillsSlice(api)(...args),
    ...createAuditSlice(api)(...args),
    ...createRecoverySlice(api)(...args),
  }));

  const stopEvents = wireEvents(api, store);
  const stopConnection = transport.onConnectionChange((connection) => {
    const before = store.getState().connection;
    store.setState({ connection });
    // Events sent while the socket was down are lost: catch up once it is back.
    if (connection === 'live' && before === 'reconnecting') void refreshAll(store);
  });
  void refreshAll(store);

  return {
    store,
    dispose() {
      stopEvents();
      stopConnection();
      transport.dispose();
    },
  };
}
