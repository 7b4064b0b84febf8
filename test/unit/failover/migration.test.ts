import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';

describe('migration 0005 runbooks-and-audit', () => {
  it('creates the runbook, run, lock, audit and settings tables and sets user_version to 5', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 5),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['runbooks', 'runs', 'run_locks', 'audit_log', 'failover_settings']));
    expect(() =>
      db
        .prepare(
          "INSERT INTO runs (group_id, group_name, source_server_id, target_server_id, mode, status, operator, owner_pid, owner_host, owner_token, started_at, definition_hash, runbook) VALUES (1, 'web', 1, 2, 'real', 'exploded', 'x', 1, 'h', 't', 0, 'h', '[]')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.close();
  });
});
