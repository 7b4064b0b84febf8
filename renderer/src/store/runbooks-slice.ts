/**
 * The runbooks area: the runbook of the (group, target) open in the editor as the host has it
 * (saved, or generated when none is), and the generated default it is compared with. A workspace
 * change (the runbook saved elsewhere, the group edited) reads both again.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AppState, RunbookKey, RunbooksSlice } from './app-state';

export type { RunbookKey, RunbooksSlice };
import { coalesced } from './refresher';

/** The runbooks slice, reading through `api`. */
export function createRunbooksSlice(api: Api): StateCreator<AppState, [], [], RunbooksSlice> {
  return (set, get) => {
    const refreshRunbook = coalesced(async () => {
      const key = get().runbookKey;
      if (!key) return set({ runbook: null, generatedRunbook: null, runbookError: null });
      try {
        const [runbook, generatedRunbook] = await Promise.all([
          api.call('runbooks.get', key),
          api.call('runbooks.generate', key),
        ]);
        if (get().runbookKey === key) set({ runbook, generatedRunbook, runbookError: null });
      } catch (error) {
        if (get().runbookKey === key) set({ runbookError: (error as Error).message });
      }
    });
    return {
      runbookKey: null,
      runbook: null,
      generatedRunbook: null,
      runbookError: null,
      async openRunbook(key) {
        set({ runbookKey: key, runbook: null, generatedRunbook: null, runbookError: null });
        await refreshRunbook();
      },
      refreshRunbook,
    };
  };
}
