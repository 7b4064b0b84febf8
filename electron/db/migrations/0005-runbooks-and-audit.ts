/**
 * 0005: failover — runbooks per group and target, runs with their step states, the one-run-per-group
 * lock, the hash-chained audit log, and failover settings (drill age).
 */
import type { Migration } from './types';

export const runbooksAndAudit: Migration = {
  version: 5,
  name: 'runbooks-and-audit',
  up(db) {
    db.exec(`
      CREATE TABLE runbooks (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES service_groups(id) ON DELETE CASCADE,
        direction TEXT NOT NULL CHECK (direction IN ('failover', 'switchback')),
        source_server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        target_server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        steps TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (group_id, target_server_id)
      ) STRICT;

      -- Runs outlive their group (history), so group and servers are copied, not referenced.
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL,
        group_name TEXT NOT NULL,
        source_server_id INTEGER NOT NULL,
        target_server_id INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('real', 'drill')),
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'interrupted', 'closed')),
        operator TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_host TEXT NOT NULL,
        owner_token TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        definition_hash TEXT NOT NULL,
        runbook TEXT NOT NULL,
        preflight TEXT NOT NULL DEFAULT 'null',
        steps TEXT NOT NULL DEFAULT '[]',
        rto_minutes INTEGER,
        summary TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE run_locks (
        group_id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        operator TEXT NOT NULL,
        owner_pid INTEGER NOT NULL,
        owner_host TEXT NOT NULL,
        owner_token TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        run_id INTEGER,
        group_id INTEGER,
        step_index INTEGER,
        server_id INTEGER,
        host TEXT NOT NULL DEFAULT '',
        command TEXT NOT NULL DEFAULT '',
        intent_id INTEGER,
        started_at INTEGER,
        ended_at INTEGER,
        exit_code INTEGER,
        outcome TEXT NOT NULL DEFAULT '',
        output TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE failover_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE INDEX runs_group ON runs(group_id, started_at);
      CREATE INDEX runs_status ON runs(status);
      CREATE INDEX audit_log_run ON audit_log(run_id, id);
    `);
  },
};
