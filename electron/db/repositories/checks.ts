/** Health checks: definitions, results, the scheduler's carried state, monitoring settings and the alert log. */
import type { Db } from '../connection';
import { Alert, Check, CheckResult, type CheckStatus } from '../../../shared/checks';
import { fromJson, toJson } from './json';

type CheckRow = {
  id: number;
  name: string;
  kind: string;
  params: string;
  group_id: number | null;
  server_id: number | null;
  service_id: number | null;
  interval_seconds: number;
  timeout_seconds: number;
  retries: number;
  enabled: number;
};
type ResultRow = {
  check_id: number;
  at: number;
  status: CheckStatus;
  observed: CheckStatus;
  summary: string;
  metrics: string;
  duration_ms: number;
};

/** A row that no longer parses (written by hand, or by an older version) is skipped, never run. */
function toCheck(row: CheckRow): Check | null {
  const parsed = Check.safeParse({
    id: row.id,
    name: row.name,
    kind: row.kind,
    params: fromJson(row.params, {}),
    groupId: row.group_id,
    serverId: row.server_id,
    serviceId: row.service_id,
    intervalSeconds: row.interval_seconds,
    timeoutSeconds: row.timeout_seconds,
    retries: row.retries,
    enabled: row.enabled === 1,
  });
  return parsed.success ? parsed.data : null;
}

function toResult(row: ResultRow): CheckResult {
  return {
    checkId: row.check_id,
    at: row.at,
    status: row.status,
    observed: row.observed,
    summary: row.summary,
    metrics: fromJson(row.metrics, {}),
    durationMs: row.duration_ms,
  };
}

/** Every check (of one group when given), by name. */
export function listChecks(db: Db, filter: { groupId?: number } = {}): Check[] {
  const rows =
    filter.groupId === undefined
      ? db.prepare<[], CheckRow>('SELECT * FROM checks ORDER BY name, id').all()
      : db
          .prepare<[number, number], CheckRow>(
            `SELECT * FROM checks WHERE group_id = ? OR server_id IN (SELECT server_id FROM group_members WHERE group_id = ?) ORDER BY name, id`,
          )
          .all(filter.groupId, filter.groupId);
  return rows.map(toCheck).filter((c): c is Check => c !== null);
}

/** One check, or undefined. */
export function getCheck(db: Db, id: number): Check | undefined {
  const row = db.prepare<[number], CheckRow>('SELECT * FROM checks WHERE id = ?').get(id);
  return (row && toCheck(row)) ?? undefined;
}

/** A parsed check, new (no id) or existing. */
export type CheckToSave = Check extends infer C ? (C extends Check ? Omit<C, 'id'> & { id?: number } : never) : never;

/** Insert or update a check (validated by the caller). */
export function saveCheck(db: Db, check: CheckToSave, now = Date.now()): Check {
  const params = {
    id: check.id ?? null,
    name: check.name,
    kind: check.kind,
    params: toJson(check.params),
    group_id: check.groupId,
    server_id: check.serverId,
    service_id: check.serviceId,
    interval_seconds: check.intervalSeconds,
    timeout_seconds: check.timeoutSeconds,
    retries: check.retries,
    enabled: check.enabled ? 1 : 0,
    updated_at: now,
  };
  if (check.id === undefined) {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO checks (name, kind, params, group_id, server_id, service_id, interval_seconds, timeout_seconds, retries, enabled, updated_at)
         VALUES (@name, @kind, @params, @group_id, @server_id, @service_id, @interval_seconds, @timeout_seconds, @retries, @enabled, @updated_at)`,
      )
      .run(params);
    return { ...check, id: Number(lastInsertRowid) } as Check;
  }
  db.prepare(
    `UPDATE checks SET name = @name, kind = @kind, params = @params, group_id = @group_id, server_id = @server_id, service_id = @service_id,
       interval_seconds = @interval_seconds, timeout_seconds = @timeout_seconds, retries = @retries, enabled = @enabled, updated_at = @updated_at
     WHERE id = @id`,
  ).run(params);
  // A changed definition starts its retry count and alert state afresh.
  db.prepare('DELETE FROM check_state WHERE check_id = ?').run(check.id);
  return check as Check;
}

/** Delete a check; its results and state go with it. Returns whether it existed. */
export function deleteCheck(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM checks WHERE id = ?').run(id).changes > 0;
}

/** Append results (call inside a transaction for a sweep). */
export function insertResults(db: Db, results: readonly CheckResult[]): void {
  const insert = db.prepare(
    'INSERT INTO check_results (check_id, at, status, observed, summary, metrics, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of results)
    insert.run(
      r.checkId,
      r.at,
      r.status,
      r.observed,
      r.summary,
      toJson(r.metrics),
      Math.max(0, Math.round(r.durationMs)),
    );
}

/** The newest result of each check that has one. */
export function latestResults(db: Db): Map<number, CheckResult> {
  const rows = db
    .prepare<[], ResultRow>(
      `SELECT r.* FROM checks c JOIN check_results r
         ON r.id = (SELECT id FROM check_results WHERE check_id = c.id ORDER BY at DESC, id DESC LIMIT 1)`,
    )
    .all();
  return new Map(rows.map((row) => [row.check_id, toResult(row)]));
}

/** When each check last had an ok result (ms since the epoch), within the kept history. */
export function lastOkAt(db: Db): Map<number, number> {
  const rows = db
    .prepare<[], { check_id: number; at: number }>(
      "SELECT check_id, MAX(at) AS at FROM check_results WHERE status = 'ok' GROUP BY check_id",
    )
    .all();
  return new Map(rows.map((row) => [row.check_id, row.at]));
}

/** Results of one check, newest first. */
export function checkHistory(db: Db, checkId: number, limit: number): CheckResult[] {
  return db
    .prepare<[number, number], ResultRow>(
      'SELECT * FROM check_results WHERE check_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    )
    .all(checkId, limit)
    .map(toResult);
}

/** How much history to keep. */
export interface Retention {
  /** Results older than this many days are removed. */
  maxAgeDays: number;
  /** At most this many results are kept per check. */
  maxPerCheck: number;
}

/** Two weeks, and at most 2000 results per check. */
export const DEFAULT_RETENTION: Retention = { maxAgeDays: 14, maxPerCheck: 2000 };

/** Remove results beyond the retention; returns how many rows went. */
export function pruneResults(db: Db, retention: Retention, now = Date.now()): number {
  return db.transaction(() => {
    let removed = db
      .prepare('DELETE FROM check_results WHERE at < ?')
      .run(now - retention.maxAgeDays * 86_400_000).changes;
    const cut = db.prepare(
      `DELETE FROM check_results WHERE check_id = ?
         AND id <= (SELECT id FROM check_results WHERE check_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    for (const { check_id } of db
      .prepare<[], { check_id: number }>('SELECT DISTINCT check_id FROM check_results')
      .all()) {
      removed += cut.run(check_id, check_id, retention.maxPerCheck).changes;
    }
    removed += db
      .prepare('DELETE FROM alert_log WHERE id <= (SELECT id FROM alert_log ORDER BY id DESC LIMIT 1 OFFSET 1000)')
      .run().changes;
    return removed;
  })();
}

/** What the scheduler carries between sweeps for one check. */
export interface CheckState {
  /** Consecutive failed observations. */
  failures: number;
  /** The last status that counted for alerts (warn and unknown do not settle anything). */
  settled: 'ok' | 'fail' | null;
  /** When the current outage began (first failed observation), ms. */
  downSince: number | null;
  /** A down alert went out (or was covered by a host alert) and no recovery yet. */
  notifiedDown: boolean;
  /** RTO reminders already sent for this outage. */
  remindersSent: number;
}

/** The state of a check never run. */
export const FRESH_STATE: CheckState = {
  failures: 0,
  settled: null,
  downSince: null,
  notifiedDown: false,
  remindersSent: 0,
};

/** The carried state of every check that has one. */
export function loadStates(db: Db): Map<number, CheckState> {
  const rows = db
    .prepare<
      [],
      {
        check_id: number;
        failures: number;
        settled: 'ok' | 'fail' | null;
        down_since: number | null;
        notified_down: number;
        reminders_sent: number;
      }
    >('SELECT * FROM check_state')
    .all();
  return new Map(
    rows.map((r) => [
      r.check_id,
      {
        failures: r.failures,
        settled: r.settled,
        downSince: r.down_since,
        notifiedDown: r.notified_down === 1,
        remindersSent: r.reminders_sent,
      },
    ]),
  );
}

/** Write states (inside the sweep's transaction); rows for deleted checks are skipped. */
export function saveStates(db: Db, states: ReadonlyMap<number, CheckState>): void {
  const put = db.prepare(
    `INSERT INTO check_state (check_id, failures, settled, down_since, notified_down, reminders_sent)
     SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM checks WHERE id = ?)
     ON CONFLICT(check_id) DO UPDATE SET failures = excluded.failures, settled = excluded.settled, down_since = excluded.down_since,
       notified_down = excluded.notified_down, reminders_sent = excluded.reminders_sent`,
  );
  for (const [id, s] of states)
    put.run(id, s.failures, s.settled, s.downSince, s.notifiedDown ? 1 : 0, s.remindersSent, id);
}

/** A monitoring setting (JSON), or the fallback. */
export function getMonitoringSetting<T>(db: Db, key: string, fallback: T): T {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM monitoring_settings WHERE key = ?').get(key);
  return row ? fromJson(row.value, fallback) : fallback;
}

/** Store a monitoring setting (JSON). */
export function setMonitoringSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO monitoring_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, toJson(value));
}

/** Remove a monitoring setting. */
export function deleteMonitoringSetting(db: Db, key: string): void {
  db.prepare('DELETE FROM monitoring_settings WHERE key = ?').run(key);
}

/** Log a raised alert. */
export function appendAlert(db: Db, alert: Alert): void {
  db.prepare('INSERT INTO alert_log (at, kind, payload) VALUES (?, ?, ?)').run(alert.at, alert.kind, toJson(alert));
}

/** The newest alerts first; rows that no longer parse are skipped. */
export function recentAlerts(db: Db, limit: number): Alert[] {
  return db
    .prepare<[number], { payload: string }>('SELECT payload FROM alert_log ORDER BY id DESC LIMIT ?')
    .all(limit)
    .map((r) => Alert.safeParse(fromJson(r.payload, null)))
    .filter((p) => p.success)
    .map((p) => p.data!);
}
