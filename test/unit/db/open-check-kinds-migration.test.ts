import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/db/migrate';
import { MIGRATIONS, type Migration } from '../../../electron/db/migrations';
import { openCheckKinds } from '../../../electron/db/migrations/0007-open-check-kinds';
import {
  appendAlert,
  insertResults,
  listChecks,
  loadStates,
  saveCheck,
  saveStates,
  type CheckToSave,
} from '../../../electron/db/repositories/checks';
import { CheckDraft } from '../../../shared/checks';

const open: Database.Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

/** A workspace at schema 6 (before the rebuild), foreign keys on as openWorkspace sets them, with checks that have history and alert state. */
function workspaceAtSix(): Database.Database {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 6),
  );
  db.exec(`INSERT INTO servers (id, name, os, ssh_host, ssh_port, ssh_user, ssh_auth) VALUES (1, 'db-a', 'linux', '10.0.0.1', 22, 'root', '{"kind":"agent"}'), (2, 'db-b', 'linux', '10.0.0.2', 22, 'root', '{"kind":"agent"}');
           INSERT INTO service_groups (id, name) VALUES (1, 'db');
           INSERT INTO group_members (group_id, server_id, role, position) VALUES (1, 1, 'primary', 0), (1, 2, 'standby', 1);`);
  const drafts = [
    { kind: 'ssh', name: 'db-a: SSH', groupId: 1, serverId: 1, params: {} },
    { kind: 'disk', name: 'db-b: disk', groupId: 1, serverId: 2, params: {} },
    { kind: 'service', name: 'db: postgresql', groupId: 1, params: { unit: 'postgresql' } },
  ];
  const checks = drafts.map((d) => saveCheck(db, CheckDraft.parse(d) as CheckToSave, 1000));
  checks.forEach((check, i) => {
    insertResults(db, [
      {
        checkId: check.id,
        at: 2000 + i,
        status: 'ok',
        observed: 'ok',
        summary: `first of ${check.name}`,
        metrics: { n: i },
        durationMs: 5,
      },
      {
        checkId: check.id,
        at: 3000 + i,
        status: 'fail',
        observed: 'fail',
        summary: `second of ${check.name}`,
        metrics: {},
        durationMs: 7,
      },
    ]);
  });
  saveStates(
    db,
    new Map(
      checks.map((c, i) => [
        c.id,
        { failures: i + 1, settled: 'fail', downSince: 3000 + i, notifiedDown: i !== 1, remindersSent: i },
      ]),
    ),
  );
  appendAlert(db, {
    at: 3000,
    kind: 'down',
    title: 'db down',
    body: 'b',
    checkId: checks[0].id,
    serverId: 1,
    service: null,
    downMinutes: 0,
    covers: [],
    takesDown: [],
    incidentId: null,
  });
  return db;
}

const dump = (db: Database.Database) => ({
  checks: db
    .prepare(
      'SELECT id, name, kind, params, group_id, server_id, service_id, interval_seconds, timeout_seconds, retries, enabled, updated_at FROM checks ORDER BY id',
    )
    .all(),
  results: db.prepare('SELECT * FROM check_results ORDER BY id').all(),
  state: db.prepare('SELECT * FROM check_state ORDER BY check_id').all(),
  alerts: db.prepare('SELECT * FROM alert_log ORDER BY id').all(),
});

describe('migration 0007 open-check-kinds', () => {
  it('keeps every check, its whole history and its alert state, with foreign keys back on after', () => {
    const db = workspaceAtSix();
    const before = dump(db);
    expect(before.results).toHaveLength(6);
    expect(before.state).toHaveLength(3);
    migrate(db, MIGRATIONS);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(7);
    expect(dump(db)).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(loadStates(db).get((before.checks[0] as { id: number }).id)).toMatchObject({
      failures: 1,
      settled: 'fail',
      notifiedDown: true,
    });
  });

  it('lets the table hold a kind it never listed, and the cascades still work on the rebuilt table', () => {
    const db = workspaceAtSix();
    migrate(db, MIGRATIONS);
    const sql = String(
      (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'checks'").get() as { sql: string }).sql,
    );
    expect(sql).not.toMatch(/kind IN/);
    db.prepare(
      "INSERT INTO checks (name, kind, params, interval_seconds, timeout_seconds, retries, enabled, updated_at) VALUES ('future', 'a-kind-added-later', '{}', 60, 10, 2, 1, 0)",
    ).run();
    // An unknown kind is stored but never run: reading skips it.
    expect(listChecks(db).map((c) => c.name)).not.toContain('future');
    const indexes = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checks'")
      .all()
      .map((r) => r.name);
    expect(indexes.sort()).toEqual(['checks_group', 'checks_server']);
    // Deleting a check still takes its results and state with it: the references follow the new table.
    const first = listChecks(db)[0];
    db.prepare('DELETE FROM checks WHERE id = ?').run(first.id);
    expect(db.prepare('SELECT count(*) AS n FROM check_results WHERE check_id = ?').get(first.id)).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM check_state WHERE check_id = ?').get(first.id)).toEqual({ n: 0 });
  });

  it('is the trap it avoids: the same rebuild run with foreign keys on deletes the history', () => {
    const db = workspaceAtSix();
    const careless: Migration = { ...openCheckKinds, foreignKeysOff: false };
    migrate(db, [...MIGRATIONS.filter((m) => m.version <= 6), careless]);
    expect(dump(db).results).toHaveLength(0);
    expect(dump(db).state).toHaveLength(0);
  });

  it('rolls back when the rebuild would leave rows pointing nowhere, and says which', () => {
    const db = workspaceAtSix();
    const before = dump(db);
    // A rebuild that loses a check whose results remain: foreign_key_check must catch it.
    const lossy: Migration = {
      version: 7,
      name: 'lossy',
      foreignKeysOff: true,
      up(d) {
        openCheckKinds.up(d);
        d.exec("DELETE FROM checks WHERE name = 'db-b: disk'");
      },
    };
    expect(() => migrate(db, [...MIGRATIONS.filter((m) => m.version <= 6), lossy])).toThrow(
      /Migration 7 \(lossy\) would leave 3 row\(s\) referencing nothing.*rolled back/,
    );
    expect(schemaVersion(db)).toBe(6);
    expect(dump(db)).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
