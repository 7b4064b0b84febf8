/**
 * The health area: every check with its latest result, monitoring, recent alerts. Results and
 * alerts arrive as contract events (`checks.result`, `alerts.raised`) and patch the state in place;
 * a workspace change fetches it all again.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AppState, HealthSlice } from './app-state';

export type { HealthSlice };
import { areaLoader } from './area';
import { coalesced } from './refresher';

/** Alerts kept for the Health screen (it shows the newest five). */
const RECENT_ALERTS = 10;

/** The health slice, reading through `api`. */
export function createHealthSlice(api: Api): StateCreator<AppState, [], [], HealthSlice> {
  return (set, get) => ({
    checkViews: [],
    monitoring: null,
    alerts: [],
    resultsRevision: 0,
    healthLoaded: false,
    healthError: null,
    refreshHealth: areaLoader(set, 'healthError', async () => {
      const [checkViews, monitoring, alerts] = await Promise.all([
        api.call('checks.list', {}),
        api.call('monitoring.status', {}),
        api.call('alerts.recent', { limit: RECENT_ALERTS }),
      ]);
      return { checkViews, monitoring, alerts, healthLoaded: true };
    }),
    refreshMonitoring: coalesced(async () => {
      try {
        set({ monitoring: await api.call('monitoring.status', {}) });
      } catch {
        // The next workspace change or result tries again; the last status stays shown meanwhile.
      }
    }),
    applyResult(result) {
      const views = get().checkViews;
      // An older result (a slow run finishing after a newer one) never replaces a newer latest.
      const checkViews = views.map((view) =>
        view.check.id === result.checkId && (view.latest?.at ?? 0) <= result.at ? { ...view, latest: result } : view,
      );
      set({ checkViews, resultsRevision: get().resultsRevision + 1 });
    },
    applyAlert: (alert) => set({ alerts: [alert, ...get().alerts].slice(0, RECENT_ALERTS) }),
  });
}
