/** The drills area: per group, the last good drill and whether it still counts (the reports are the drill runs of the failover slice). */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AppState, DrillsSlice } from './app-state';

export type { DrillsSlice };
import { areaLoader } from './area';

/** The drills slice, reading through `api`. */
export function createDrillsSlice(api: Api): StateCreator<AppState, [], [], DrillsSlice> {
  return (set) => ({
    drillStatuses: [],
    drillsError: null,
    refreshDrills: areaLoader(set, 'drillsError', async () => ({ drillStatuses: await api.call('drills.status', {}) })),
  });
}
