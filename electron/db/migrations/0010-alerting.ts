/**
 * 0010: alerts that reach a person — webhook channels (the single webhook URL becomes the first
 * one), how each contact is reached, the SMTP password as an encrypted blob, incidents with their
 * timelines, and maintenance windows.
 */
import type { Migration } from './types';

/** Migration 10: the alerting tables. */
export const alerting: Migration = {
  version: 10,
  name: 'alerting',
  up(db) {
    db.exec(`
      CREATE TABLE alert_channels (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        format TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        every_alert INTEGER NOT NULL CHECK (every_alert IN (0, 1)),
        -- Kept in the main process: never sent to a window, a log or the plan.
        url TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE contact_alert_routes (
        contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
        by_email INTEGER NOT NULL CHECK (by_email IN (0, 1)),
        webhook_id INTEGER REFERENCES alert_channels(id) ON DELETE SET NULL
      ) STRICT;

      CREATE TABLE alert_secrets (
        account TEXT PRIMARY KEY,
        encrypted BLOB NOT NULL CHECK (length(encrypted) > 0),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        opened_at INTEGER NOT NULL,
        check_id INTEGER REFERENCES checks(id) ON DELETE SET NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        service TEXT,
        takes_down TEXT NOT NULL DEFAULT '[]',
        group_ids TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
        level INTEGER NOT NULL DEFAULT 0,
        next_escalation_at INTEGER,
        acknowledged_at INTEGER,
        acknowledged_by TEXT,
        resolved_at INTEGER
      ) STRICT;

      CREATE TABLE incident_events (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
      ) STRICT;

      CREATE TABLE maintenance_windows (
        id INTEGER PRIMARY KEY,
        group_id INTEGER REFERENCES service_groups(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('planned', 'adhoc')),
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
        reason TEXT NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE INDEX incidents_status ON incidents(status, opened_at);
      CREATE INDEX incidents_check ON incidents(check_id);
      CREATE INDEX incident_events_incident ON incident_events(incident_id, at);
      CREATE INDEX maintenance_windows_time ON maintenance_windows(ends_at);

      -- The one webhook of earlier versions becomes a generic channel that gets every alert.
      INSERT INTO alert_channels (name, format, enabled, every_alert, url, updated_at)
        SELECT 'Webhook', 'generic',
               COALESCE((SELECT json_extract(value, '$.webhook.enabled') FROM monitoring_settings WHERE key = 'alerts'), 1),
               1, json_extract(value, '$'), CAST(unixepoch('subsec') * 1000 AS INTEGER)
        FROM monitoring_settings WHERE key = 'webhookUrl' AND json_valid(value) AND json_type(value) = 'text';
      DELETE FROM monitoring_settings WHERE key = 'webhookUrl';
    `);
  },
};
