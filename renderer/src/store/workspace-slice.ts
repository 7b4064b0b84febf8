/** The workspace data slice: what `workspace.info` and `workspace.snapshot` say, and the calls that change it. */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import { methods } from '../../../shared/contract/index';
import { coalesced } from './refresher';
import type { AppState, WorkspaceInfo, WorkspaceSlice } from './app-state';

export type { WorkspaceInfo, WorkspaceSlice };

/** The workspace slice, talking to the API it is given; `refreshAll` reads every area again. */
export function createWorkspaceSlice(
  api: Api,
  refreshAll: () => Promise<void>,
): StateCreator<AppState, [], [], WorkspaceSlice> {
  return (set, get) => {
    const fetchAll = async () => {
      try {
        const [info, snapshot] = await Promise.all([
          api.call('workspace.info', {}),
          api.call('workspace.snapshot', {}),
        ]);
        set({ info, snapshot, loadState: 'ready', loadError: null });
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        if (get().snapshot) get().notify('error', `Could not refresh the workspace: ${message}`);
        else set({ loadState: 'failed', loadError: message });
      }
    };
    const refresh = coalesced(fetchAll);
    return {
      api,
      info: null,
      snapshot: null,
      loadState: 'loading',
      loadError: null,
      refresh,
      async call(method, input) {
        const value = await api.call(method, input);
        // The event will also arrive, but a dropped socket must not leave the screen stale.
        if (methods[method].mutates) await refreshAll();
        return value;
      },
    };
  };
}
