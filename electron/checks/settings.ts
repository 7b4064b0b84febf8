/**
 * Monitoring's own settings, kept in the workspace beside the checks: whether background
 * monitoring runs (off until turned on, so the example company's documentation addresses are
 * never contacted) and where alerts go. Webhook URLs and the SMTP password are kept apart and never
 * sent back out.
 */
import type { Db } from '../db/connection';
import type { z } from 'zod';
import { AlertSettings, AlertSettingsDraft } from '../../shared/checks';
import { getMonitoringSetting, setMonitoringSetting } from '../db/repositories/checks';
import { listWebhookChannels, type WebhookChannelWithUrl } from '../db/repositories/alert-channels';
import type { AlertSecrets } from '../ports/alert-secrets';
import { webhookTarget } from './channels';

const ENABLED = 'enabled';
const ALERTS = 'alerts';

/** Whether background monitoring is on for this workspace (off by default). */
export function monitoringEnabled(db: Db): boolean {
  return getMonitoringSetting<unknown>(db, ENABLED, false) === true;
}

/** Turn background monitoring on or off for this workspace. */
export function setMonitoringEnabled(db: Db, enabled: boolean): void {
  setMonitoringSetting(db, ENABLED, enabled);
}

/** What alert delivery reads: the settings as shown, and the webhook channels with their URLs (main process only). */
export interface AlertConfig {
  settings: AlertSettings;
  webhooks: WebhookChannelWithUrl[];
  smtpPassword: () => Promise<string | null>;
  smtpCa?: string;
  timeoutMs?: number;
}

/** The stored settings; keys of older versions (the single webhook) are left out, a row that does not parse gives the defaults. */
function storedDraft(db: Db): z.output<typeof AlertSettingsDraft> {
  const stored = getMonitoringSetting<Record<string, unknown>>(db, ALERTS, {});
  const known = Object.fromEntries(
    Object.entries(stored && typeof stored === 'object' ? stored : {}).filter(([key]) =>
      ['desktop', 'email', 'reminders', 'escalationMinutes'].includes(key),
    ),
  );
  const parsed = AlertSettingsDraft.safeParse(known);
  return parsed.success ? parsed.data : AlertSettingsDraft.parse({});
}

/** The alert settings as shown, and what delivery needs besides. */
export function loadAlertConfig(db: Db, secrets: AlertSecrets): AlertConfig {
  const webhooks = listWebhookChannels(db);
  const settings = AlertSettings.parse({
    ...storedDraft(db),
    smtpPassword: { stored: secrets.hasSmtpPassword(), where: secrets.where() },
    webhooks: webhooks.map(({ url, ...channel }) => ({ ...channel, target: webhookTarget(url) })),
  });
  return { settings, webhooks, smtpPassword: () => secrets.smtpPassword() };
}

/** Save the alert settings (webhook channels and the password are saved by their own methods). */
export function saveAlertSettings(
  db: Db,
  secrets: AlertSecrets,
  draft: z.output<typeof AlertSettingsDraft>,
): AlertSettings {
  setMonitoringSetting(db, ALERTS, draft);
  return loadAlertConfig(db, secrets).settings;
}
