import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { listWebhookChannels } from '../../../electron/db/repositories/alert-channels';
import { loadAlertConfig } from '../../../electron/checks/settings';
import { fileOrEnvAlertSecrets } from '../../../electron/checks/alert-secrets';

const open: Database.Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

/** A workspace at schema 9 with the single webhook and email settings of earlier versions. */
function workspaceAtNine(webhookEnabled: boolean): Database.Database {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 9),
  );
  const alerts = {
    desktop: false,
    email: {
      enabled: true,
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls',
      from: 'a@example.com',
      to: ['b@example.com'],
    },
    webhook: { enabled: webhookEnabled, target: '' },
    reminders: true,
  };
  db.prepare('INSERT INTO monitoring_settings (key, value) VALUES (?, ?), (?, ?)').run(
    'alerts',
    JSON.stringify(alerts),
    'webhookUrl',
    JSON.stringify('https://hooks.example.com/T0KEN'),
  );
  return db;
}

describe('migration 10 (alerting)', () => {
  it('turns the one webhook into a generic channel that gets every alert, keeping whether it was on, and keeps the email settings', () => {
    for (const enabled of [true, false]) {
      const db = workspaceAtNine(enabled);
      migrate(db, MIGRATIONS);
      expect(listWebhookChannels(db)).toEqual([
        {
          id: 1,
          name: 'Webhook',
          format: 'generic',
          enabled,
          everyAlert: true,
          url: 'https://hooks.example.com/T0KEN',
        },
      ]);
      expect(db.prepare("SELECT count(*) AS n FROM monitoring_settings WHERE key = 'webhookUrl'").get()).toEqual({
        n: 0,
      });
      const { settings } = loadAlertConfig(db, fileOrEnvAlertSecrets({}));
      expect(settings.desktop).toBe(false);
      expect(settings.email).toMatchObject({ host: 'smtp.example.com', username: '', to: ['b@example.com'] });
      expect(settings.webhooks[0].target).toBe('https://hooks.example.com/…');
    }
  });

  it('a workspace without a webhook gets no channel', () => {
    const db = new Database(':memory:');
    open.push(db);
    migrate(db, MIGRATIONS);
    expect(listWebhookChannels(db)).toEqual([]);
  });
});
