/** Test recoveries: one row per group per test, the newest saying whether the group is "broken". */
import type { Db } from '../connection';
import type { TestRecoveryDirection, TestRecoveryGroup } from '../../../shared/contract/test-recovery';
import type { Precondition } from '../../../shared/contract/test-recovery';
import { fromJson, toJson } from './json';

/** At most this many rows per group are kept (the oldest go). */
export const TEST_RECOVERY_HISTORY = 200;

type Row = {
  id: number;
  group_id: number;
  at: number;
  duration_ms: number;
  trigger: string;
  actor: string;
  passed: number;
  reason: string | null;
  result: string;
};

type Stored = { groupName: string; failed: Precondition[]; directions: TestRecoveryDirection[] };

function fromRow(row: Row): TestRecoveryGroup {
  const stored = fromJson<Stored>(row.result, { groupName: '', failed: [], directions: [] });
  return {
    id: row.id,
    groupId: row.group_id,
    groupName: stored.groupName,
    at: row.at,
    durationMs: row.duration_ms,
    trigger: row.trigger === 'schedule' ? 'schedule' : 'operator',
    actor: row.actor,
    passed: row.passed === 1,
    reason: row.reason,
    failed: stored.failed,
    directions: stored.directions,
  };
}

/** Store one group's test recovery; returns it with its id. Old rows beyond the history bound go. */
export function insertTestRecovery(db: Db, result: TestRecoveryGroup): TestRecoveryGroup {
  return db.transaction(() => {
    const stored: Stored = { groupName: result.groupName, failed: result.failed, directions: result.directions };
    const info = db
      .prepare(
        'INSERT INTO test_recoveries (group_id, at, duration_ms, trigger, actor, passed, reason, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        result.groupId,
        result.at,
        result.durationMs,
        result.trigger,
        result.actor,
        result.passed ? 1 : 0,
        result.reason,
        toJson(stored),
      );
    db.prepare(
      'DELETE FROM test_recoveries WHERE group_id = ? AND id NOT IN (SELECT id FROM test_recoveries WHERE group_id = ? ORDER BY at DESC, id DESC LIMIT ?)',
    ).run(result.groupId, result.groupId, TEST_RECOVERY_HISTORY);
    return { ...result, id: Number(info.lastInsertRowid) };
  })();
}

/** The newest test recovery of each group that has one. */
export function latestTestRecoveries(db: Db): TestRecoveryGroup[] {
  const rows = db
    .prepare<[], Row>(
      `SELECT t.* FROM test_recoveries t
       WHERE t.id = (SELECT id FROM test_recoveries u WHERE u.group_id = t.group_id ORDER BY at DESC, id DESC LIMIT 1)
       ORDER BY t.group_id`,
    )
    .all();
  return rows.map(fromRow);
}

/** When the newest scheduled test recovery ran (ms), or null when none has. */
export function lastScheduledTestRecoveryAt(db: Db): number | null {
  const row = db
    .prepare<[], { at: number | null }>("SELECT MAX(at) AS at FROM test_recoveries WHERE trigger = 'schedule'")
    .get();
  return row?.at ?? null;
}

/**
 * Seconds each step took in the newest drill to `targetServerId` that succeeded, keyed by
 * "index:title" and by title (a runbook edited since still finds its unchanged steps); null when
 * the group was never drilled to that member.
 */
export function lastDrillStepSeconds(db: Db, groupId: number, targetServerId: number): Map<string, number> | null {
  const row = db
    .prepare<[number, number], { steps: string }>(
      "SELECT steps FROM runs WHERE group_id = ? AND target_server_id = ? AND mode = 'drill' AND status = 'succeeded' ORDER BY started_at DESC LIMIT 1",
    )
    .get(groupId, targetServerId);
  if (!row) return null;
  const steps = fromJson<{ index: number; title: string; elapsedMs: number | null }[]>(row.steps, []);
  const seconds = new Map<string, number>();
  for (const step of steps) {
    if (step.elapsedMs === null || !Number.isFinite(step.elapsedMs)) continue;
    const value = Math.round(step.elapsedMs / 100) / 10;
    seconds.set(`${step.index}:${step.title}`, value);
    if (!seconds.has(step.title)) seconds.set(step.title, value);
  }
  return seconds;
}
