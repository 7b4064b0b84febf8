/**
 * The alerts on the Health screen: each one open until acknowledged or resolved, with its timeline
 * (raised, told, escalated, a delivery that failed, acknowledged, resolved) and what it takes down.
 */
import { useState } from 'react';
import type { Incident, IncidentEventKind } from '../../../../shared/alerting';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import { ago } from './health-model';

const EVENT_LABEL: Record<IncidentEventKind, string> = {
  raised: 'Raised',
  notified: 'Told',
  escalated: 'Escalated',
  reminded: 'Reminder',
  'delivery-failed': 'NOT DELIVERED',
  silenced: 'Silenced',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

const time = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

function status(incident: Incident, now: number): string {
  if (incident.status === 'resolved') return `resolved ${ago(incident.resolvedAt ?? now, now)}`;
  if (incident.status === 'acknowledged') return `acknowledged by ${incident.acknowledgedBy}`;
  return incident.nextEscalationAt !== null ? `open: escalates at ${time(incident.nextEscalationAt)}` : 'open';
}

/** The alerts panel; nothing when no alert has been raised. */
export function IncidentList({ incidents, now }: { incidents: readonly Incident[]; now: number }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const [busy, setBusy] = useState<number | null>(null);
  if (incidents.length === 0) return null;
  const acknowledge = async (incident: Incident) => {
    setBusy(incident.id);
    try {
      await call('alerts.ack', { id: incident.id });
      notify('success', `Acknowledged alert #${incident.id}: nobody further down the contact list is told.`);
    } catch (error) {
      notify('error', `Alert #${incident.id} was not acknowledged: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel health-alerts" aria-labelledby="health-alerts-title" data-testid="incidents">
      <h2 id="health-alerts-title" className="panel-title">
        Alerts
      </h2>
      <ul>
        {incidents.map((incident) => (
          <li key={incident.id} className={`health-incident health-incident-${incident.status}`}>
            <div className="health-incident-head">
              <strong>
                #{incident.id} {incident.title}
              </strong>
              <span className="muted">{status(incident, now)}</span>
              {incident.status === 'open' && (
                <button
                  type="button"
                  className="button button-small button-primary"
                  disabled={busy !== null}
                  onClick={() => void acknowledge(incident)}
                >
                  Acknowledge
                </button>
              )}
            </div>
            {incident.takesDown.length > 0 && (
              <p className="health-check-meta">Takes down: {incident.takesDown.join(', ')}</p>
            )}
            <ol className="health-timeline" aria-label={`Timeline of alert ${incident.id}`}>
              {incident.events.map((event, i) => (
                <li key={i} className={`health-timeline-${event.kind}`}>
                  <time dateTime={new Date(event.at).toISOString()}>{time(event.at)}</time>{' '}
                  <strong>{EVENT_LABEL[event.kind]}</strong> {event.detail}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
    </section>
  );
}
