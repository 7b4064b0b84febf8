/**
 * Monitoring's own settings, kept in the workspace beside the checks: whether background
 * monitoring runs (off until turned on, so the example company's documentation addresses are
 * never contacted) and where alerts go. The webhook URL is stored apart and never sent back out.
 */
import type { Db } from '../db/connection';
import type { z } from 'zod';
import { AlertSettings, AlertSettingsDraft } from '../../shared/checks';
import { deleteMonitoringSetting, getMonitoringSetting, setMonitoringSetting } from '../db/repositories/checks';
import { webhookTarget } from './channels';

const ENABLED = 'enabled';
const ALERTS = 'alerts';
const WEBHOOK_URL = 'webhookUrl';

/** Whether background monitoring is on for this workspace (off by default). */
export function monitoringEnabled(db: Db): boolean {
  return getMonitoringSetting<unknown>(db, ENABLED, false) === true;
}

/** Turn background monitoring on or off for this workspace. */
export function setMonitoringEnabled(db: Db, enabled: boolean): void {
  setMonitoringSetting(db, ENABLED, enabled);
}

/** The alert settings as shown, and the webhook URL for delivery only. */
export function loadAlertConfig(db: Db): { settings: AlertSettings; webhookUrl: string | null } {
  const stored = AlertSettings.safeParse(getMonitoringSetting(db, ALERTS, {}));
  const settings = stored.success ? stored.data : AlertSettings.parse({});
  const url = getMonitoringSetting<unknown>(db, WEBHOOK_URL, null);
  const webhookUrl = typeof url === 'string' ? url : null;
  return {
    settings: {
      ...settings,
      webhook: webhookUrl ? { enabled: settings.webhook?.enabled ?? true, target: webhookTarget(webhookUrl) } : null,
    },
    webhookUrl,
  };
}

/** Save alert settings: a new webhook URL replaces the stored one, null removes it, absent keeps it. */
export function saveAlertSettings(db: Db, draft: z.output<typeof AlertSettingsDraft>): AlertSettings {
  return db.transaction(() => {
    if (draft.webhookUrl === null) deleteMonitoringSetting(db, WEBHOOK_URL);
    else if (draft.webhookUrl !== undefined) setMonitoringSetting(db, WEBHOOK_URL, draft.webhookUrl);
    const hasUrl = getMonitoringSetting<unknown>(db, WEBHOOK_URL, null) !== null;
    const settings: AlertSettings = {
      desktop: draft.desktop,
      email: draft.email,
      webhook: hasUrl ? { enabled: draft.webhookEnabled, target: '' } : null,
      reminders: draft.reminders,
    };
    setMonitoringSetting(db, ALERTS, settings);
    return loadAlertConfig(db).settings;
  })();
}
