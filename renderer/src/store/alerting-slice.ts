/**
 * The alerting area: where alerts go (channels, the SMTP password's whereabouts), how contacts are
 * reached by escalation, maintenance windows, and the incidents with their timelines. Incidents
 * follow `alerts.raised` and `alerts.updated`; the rest follows `workspace.changed`.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AlertingSlice, AppState } from './app-state';
import { areaLoader } from './area';

export type { AlertingSlice };

/** Incidents kept for the Health screen. */
const INCIDENTS = 20;

/** The alerting slice, reading through `api`. */
export function createAlertingSlice(api: Api): StateCreator<AppState, [], [], AlertingSlice> {
  return (set) => ({
    alertSettings: null,
    escalation: null,
    maintenance: [],
    incidents: [],
    alertingError: null,
    refreshAlerting: areaLoader(set, 'alertingError', async () => {
      const [alertSettings, escalation, maintenance, incidents] = await Promise.all([
        api.call('alerts.settings.get', {}),
        api.call('alerts.routes.get', {}),
        api.call('maintenance.list', {}),
        api.call('alerts.list', { limit: INCIDENTS }),
      ]);
      return { alertSettings, escalation, maintenance, incidents };
    }),
    refreshIncidents: areaLoader(set, 'alertingError', async () => ({
      incidents: await api.call('alerts.list', { limit: INCIDENTS }),
    })),
  });
}
