/** Webhook channels (their URLs stay here, in the main process), how contacts are reached, and the alert secrets' encrypted blobs. */
import type { Db } from '../connection';
import type { ContactRoute, WebhookChannel, WebhookFormat } from '../../../shared/alerting';

type ChannelRow = {
  id: number;
  name: string;
  format: WebhookFormat;
  enabled: number;
  every_alert: number;
  url: string;
};

/** A channel with its URL: for delivery only, never for a window. */
export type WebhookChannelWithUrl = Omit<WebhookChannel, 'target'> & { url: string };

const toChannel = (row: ChannelRow): WebhookChannelWithUrl => ({
  id: row.id,
  name: row.name,
  format: row.format,
  enabled: row.enabled === 1,
  everyAlert: row.every_alert === 1,
  url: row.url,
});

/** Every webhook channel, by name. */
export function listWebhookChannels(db: Db): WebhookChannelWithUrl[] {
  return db.prepare<[], ChannelRow>('SELECT * FROM alert_channels ORDER BY name, id').all().map(toChannel);
}

/** One channel, or undefined. */
export function getWebhookChannel(db: Db, id: number): WebhookChannelWithUrl | undefined {
  const row = db.prepare<[number], ChannelRow>('SELECT * FROM alert_channels WHERE id = ?').get(id);
  return row && toChannel(row);
}

/** Insert (no id) or update a channel; an update without a URL keeps the stored one. Returns its id. */
export function saveWebhookChannel(
  db: Db,
  channel: Omit<WebhookChannelWithUrl, 'id' | 'url'> & { id?: number; url?: string },
  now = Date.now(),
): number {
  const params = {
    id: channel.id ?? null,
    name: channel.name,
    format: channel.format,
    enabled: channel.enabled ? 1 : 0,
    every_alert: channel.everyAlert ? 1 : 0,
    url: channel.url ?? null,
    updated_at: now,
  };
  if (channel.id === undefined) {
    return Number(
      db
        .prepare(
          `INSERT INTO alert_channels (name, format, enabled, every_alert, url, updated_at)
           VALUES (@name, @format, @enabled, @every_alert, @url, @updated_at)`,
        )
        .run(params).lastInsertRowid,
    );
  }
  db.prepare(
    `UPDATE alert_channels SET name = @name, format = @format, enabled = @enabled, every_alert = @every_alert,
       url = COALESCE(@url, url), updated_at = @updated_at WHERE id = @id`,
  ).run(params);
  return channel.id;
}

/** Delete a channel (routes through it are cleared). Returns whether it existed. */
export function deleteWebhookChannel(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id).changes > 0;
}

/** How each contact that has a route is reached. */
export function listContactRoutes(db: Db): ContactRoute[] {
  return db
    .prepare<[], { contact_id: number; by_email: number; webhook_id: number | null }>(
      'SELECT * FROM contact_alert_routes ORDER BY contact_id',
    )
    .all()
    .map((r) => ({ contactId: r.contact_id, email: r.by_email === 1, webhookId: r.webhook_id }));
}

/** Replace every contact route with these. */
export function replaceContactRoutes(db: Db, routes: readonly ContactRoute[]): void {
  db.prepare('DELETE FROM contact_alert_routes').run();
  const put = db.prepare('INSERT INTO contact_alert_routes (contact_id, by_email, webhook_id) VALUES (?, ?, ?)');
  for (const r of routes) put.run(r.contactId, r.email ? 1 : 0, r.webhookId);
}

/** The encrypted blob kept for an alert secret, or null. */
export function encryptedAlertSecret(db: Db, account: string): Buffer | null {
  const row = db
    .prepare<[string], { encrypted: Buffer }>('SELECT encrypted FROM alert_secrets WHERE account = ?')
    .get(account);
  return row?.encrypted ?? null;
}

/** Store (or replace) an alert secret's encrypted blob. */
export function saveEncryptedAlertSecret(db: Db, account: string, encrypted: Buffer, now = Date.now()): void {
  db.prepare(
    `INSERT INTO alert_secrets (account, encrypted, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (account) DO UPDATE SET encrypted = excluded.encrypted, updated_at = excluded.updated_at`,
  ).run(account, encrypted, now);
}

/** Remove an alert secret's blob; true when there was one. */
export function deleteEncryptedAlertSecret(db: Db, account: string): boolean {
  return db.prepare('DELETE FROM alert_secrets WHERE account = ?').run(account).changes > 0;
}
