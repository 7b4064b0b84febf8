/**
 * Settings → Alerts: where alerts go (desktop, email with AUTH, Slack/Teams/ntfy/webhook channels,
 * a test for each), who is told in escalation order and how soon the next is, and maintenance
 * windows. Everything shown comes from the store's alerting slice.
 */
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { AlertChannelsForm } from './AlertChannelsForm';
import { EscalationPanel } from './EscalationPanel';
import { MaintenancePanel } from './MaintenancePanel';
import { WebhooksPanel } from './WebhooksPanel';
import './alert-settings.css';

const DESCRIPTION = 'Where alerts go, who is told first and who next, and when alerts are silenced.';

/** The alert settings screen. */
export function AlertSettingsScreen() {
  const settings = useApp((s) => s.alertSettings);
  const escalation = useApp((s) => s.escalation);
  const maintenance = useApp((s) => s.maintenance);
  const error = useApp((s) => s.alertingError);
  return (
    <>
      <ScreenHeader title="Alerts" description={DESCRIPTION} />
      {error && (
        <p className="health-message" role="alert">
          The alert settings could not be read: {error}
        </p>
      )}
      {!settings || !escalation ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <div className="alert-settings">
          {/* Keyed by the saved settings: a save elsewhere (another window, the CLI) starts the form afresh. */}
          <AlertChannelsForm key={JSON.stringify(settings)} settings={settings} />
          <WebhooksPanel webhooks={settings.webhooks} />
          <EscalationPanel view={escalation} webhooks={settings.webhooks} />
          <MaintenancePanel windows={maintenance} />
        </div>
      )}
    </>
  );
}
