/**
 * The contract's events, mapped once onto the store, outside React: which event refreshes or
 * patches which area. Screens only select from the store, so none of them can show stale state.
 */
import type { Api } from '../../../shared/api-client';
import type { AppStoreApi } from './app-state';

/** Every area read again: after a workspace change, or when the event stream comes back. */
export async function refreshAll(store: AppStoreApi): Promise<void> {
  const state = store.getState();
  await Promise.all([
    state.refresh(),
    state.refreshHealth(),
    state.refreshAlerting(),
    state.refreshRuns(),
    state.refreshFollowedRun(),
    state.refreshPlan(),
    state.refreshGroupStates(),
    state.refreshRunbook(),
    state.refreshDrills(),
    state.refreshAudit(),
    state.refreshRecoveries(),
    state.refreshRecoveryPlan(),
  ]);
}

/** Subscribe the store to every event it follows; returns the function that stops them all. */
export function wireEvents(api: Api, store: AppStoreApi): () => void {
  const state = store.getState;
  const stops = [
    // Every mutating method broadcasts this; any area may have changed (a group edit changes plans, checks, drills).
    api.on('workspace.changed', () => void refreshAll(store)),
    api.on('checks.result', (result) => {
      state().applyResult(result);
      // The sweep that sent it has recorded itself by now ("last sweep 5 s ago: 12 checks on 4 hosts").
      void state().refreshMonitoring();
    }),
    api.on('alerts.raised', (alert) => {
      state().applyAlert(alert);
      void state().refreshIncidents();
    }),
    api.on('alerts.updated', () => void state().refreshIncidents()),
    api.on('run.step', (event) => {
      if (event.runId === state().followedRunId) void state().refreshFollowedRun();
      void state().refreshRuns();
      void state().refreshAudit();
    }),
    api.on('run.output', (line) => {
      state().appendOutput(line);
      state().appendRecoveryOutput(line);
    }),
    api.on('recovery.changed', (view) => state().applyRecovery(view)),
    api.on('run.finished', (event) => {
      if (event.runId === state().followedRunId) void state().refreshFollowedRun();
      void state().refreshRuns();
      void state().refreshDrills();
      void state().refreshAudit();
      // A move or a re-protect that succeeded recorded the group's primary and redundancy.
      void state().refreshGroupStates();
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
