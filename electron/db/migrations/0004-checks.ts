/** 0004: health checks — definitions, results with retention, retry/alert state, monitoring settings, alert log. */
import type { Migration } from './types';

/** Migration 4: the health-check tables. */
export const checks: Migration = {
  version: 4,
  name: 'checks',
  up(db) {
    db.exec(`
      CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tcp', 'http', 'ssh', 'service', 'disk', 'load', 'memory', 'vip', 'postgres', 'freshness', 'drift')),
        params TEXT NOT NULL DEFAULT '{}',
        group_id INTEGER REFERENCES service_groups(id) ON DELETE CASCADE,
        server_id INTEGER REFERENCES servers(id) ON DELETE CASCADE,
        service_id INTEGER REFERENCES services(id) ON DELETE SET NULL,
        interval_seconds INTEGER NOT NULL CHECK (interval_seconds BETWEEN 10 AND 86400),
        timeout_seconds INTEGER NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 120),
        retries INTEGER NOT NULL CHECK (retries BETWEEN 0 AND 10),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE check_results (
        id INTEGER PRIMARY KEY,
        check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'warn', 'fail', 'unknown')),
        observed TEXT NOT NULL CHECK (observed IN ('ok', 'warn', 'fail', 'unknown')),
        summary TEXT NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',
        duration_ms INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- What the scheduler carries from one sweep to the next, so a restart neither repeats nor loses an alert.
      CREATE TABLE check_state (
        check_id INTEGER PRIMARY KEY REFERENCES checks(id) ON DELETE CASCADE,
        failures INTEGER NOT NULL DEFAULT 0,
        settled TEXT CHECK (settled IN ('ok', 'fail')),
        down_since INTEGER,
        notified_down INTEGER NOT NULL DEFAULT 0 CHECK (notified_down IN (0, 1)),
        reminders_sent INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE monitoring_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE alert_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL
      ) STRICT;

      CREATE INDEX checks_group ON checks(group_id);
      CREATE INDEX checks_server ON checks(server_id);
      CREATE INDEX check_results_check_at ON check_results(check_id, at);
      CREATE INDEX check_results_at ON check_results(at);
      CREATE INDEX alert_log_at ON alert_log(at);
    `);
  },
};
