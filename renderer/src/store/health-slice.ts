/**
 * The health area: every check with its latest result, monitoring, recent alerts. Results and
 * alerts arrive as contract events (`checks.result`, `alerts.raised`) and patch the state in place;
 * a workspace change fetches it all again.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { Alert, CheckResult, CheckView, MonitoringStatus } from '../../../shared/checks';
import type { AppState } from './app-state';
import { areaLoader } from './area';
import { coalesced } from './refresher';

/** Alerts kept for the Health screen (it shows the newest five). */
const RECENT_ALERTS = 10;

export interface HealthSlice {
  checkViews: CheckView[];
  monitoring: MonitoringStatus | null;
  alerts: Alert[];
  /** Bumped on every result, so open history charts reload. */
  resultsRevision: number;
  healthLoaded: boolean;
  healthError: string | null;
  refreshHealth(): Promise<void>;
  /** Read monitoring's status again: a sweep records itself before it sends its results. */
  refreshMonitoring(): Promise<void>;
  /** A result arrived (event or `checks.runNow`): it becomes its check's latest. */
  applyResult(result: CheckResult): void;
  applyAlert(alert: Alert): void;
}

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
      const checkViews = views.map((view) => (view.check.id === result.checkId && (view.latest?.at ?? 0) <= result.at ? { ...view, latest: result } : view));
      set({ checkViews, resultsRevision: get().resultsRevision + 1 });
    },
    applyAlert: (alert) => set({ alerts: [alert, ...get().alerts].slice(0, RECENT_ALERTS) }),
  });
}
