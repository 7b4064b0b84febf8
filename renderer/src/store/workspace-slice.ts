/** The workspace data slice: what `workspace.info` and `workspace.snapshot` say, and the calls that change it. */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { Snapshot } from '../../../shared/domain';
import { methods, type MethodInput, type MethodName, type MethodOutput } from '../../../shared/contract/index';
import { coalesced } from './refresher';
import type { AppState } from './app-state';

export type WorkspaceInfo = MethodOutput<'workspace.info'>;

export interface WorkspaceSlice {
  /** The API client, for calls whose answer a screen shows once (a pre-flight, a history chart); events are followed by the store. */
  api: Api;
  info: WorkspaceInfo | null;
  snapshot: Snapshot | null;
  /** "failed" only when nothing could be loaded at all; later refresh failures become notices. */
  loadState: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  /** Fetch info and snapshot again; overlapping requests are coalesced. */
  refresh(): Promise<void>;
  /** Call any contract method; after a change, every area is fetched again. Throws ApiError. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

/** The workspace slice, talking to the API it is given; `refreshAll` reads every area again. */
export function createWorkspaceSlice(api: Api, refreshAll: () => Promise<void>): StateCreator<AppState, [], [], WorkspaceSlice> {
  return (set, get) => {
    const fetchAll = async () => {
      try {
        const [info, snapshot] = await Promise.all([api.call('workspace.info', {}), api.call('workspace.snapshot', {})]);
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
