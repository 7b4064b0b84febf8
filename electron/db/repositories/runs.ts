/** Failover runs and the one-run-per-group lock rows. */
import type { Db } from '../connection';
import type { RunStatus, StepState, Preflight } from '../../../shared/contract/failover';
import type { RunbookStep } from '../../../shared/runbooks';
import { fromJson, toJson } from './json';

/** Who owns a run: the process (and machine) executing it, and a token unique to that execution. */
export interface RunOwner {
  pid: number;
  host: string;
  token: string;
}

export interface RunRecord {
  id: number;
  groupId: number;
  groupName: string;
  sourceServerId: number;
  targetServerId: number;
  mode: 'real' | 'drill';
  status: RunStatus;
  operator: string;
  owner: RunOwner;
  startedAt: number;
  finishedAt: number | null;
  definitionHash: string;
  runbook: RunbookStep[];
  preflight: Preflight | null;
  steps: StepState[];
  rtoMinutes: number | null;
  summary: string;
  note: string;
}

type RunRow = {
  id: number;
  group_id: number;
  group_name: string;
  source_server_id: number;
  target_server_id: number;
  mode: 'real' | 'drill';
  status: RunStatus;
  operator: string;
  owner_pid: number;
  owner_host: string;
  owner_token: string;
  started_at: number;
  finished_at: number | null;
  definition_hash: string;
  runbook: string;
  preflight: string;
  steps: string;
  rto_minutes: number | null;
  summary: string;
  note: string;
};

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    groupId: row.group_id,
    groupName: row.group_name,
    sourceServerId: row.source_server_id,
    targetServerId: row.target_server_id,
    mode: row.mode,
    status: row.status,
    operator: row.operator,
    owner: { pid: row.owner_pid, host: row.owner_host, token: row.owner_token },
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    definitionHash: row.definition_hash,
    runbook: fromJson(row.runbook, []),
    preflight: fromJson(row.preflight, null),
    steps: fromJson(row.steps, []),
    rtoMinutes: row.rto_minutes,
    summary: row.summary,
    note: row.note,
  };
}

export function getRun(db: Db, id: number): RunRecord | undefined {
  const row = db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
  return row && toRecord(row);
}

export function listRuns(db: Db, filter: { groupId?: number; limit: number }): RunRecord[] {
  return db
    .prepare<[{ groupId: number | null; limit: number }], RunRow>(
      'SELECT * FROM runs WHERE (@groupId IS NULL OR group_id = @groupId) ORDER BY started_at DESC, id DESC LIMIT @limit',
    )
    .all({ groupId: filter.groupId ?? null, limit: filter.limit })
    .map(toRecord);
}

/** Runs of a group that are neither finished nor closed (running or interrupted). */
export function openRunsOfGroup(db: Db, groupId: number): RunRecord[] {
  return db
    .prepare<[number], RunRow>(
      "SELECT * FROM runs WHERE group_id = ? AND status IN ('running', 'interrupted') ORDER BY id",
    )
    .all(groupId)
    .map(toRecord);
}

/** Owner tokens of a group's runs that have ended (newest first, bounded): their on-host locks are stale. */
export function endedRunTokens(db: Db, groupId: number, limit = 20): string[] {
  return db
    .prepare<[number, number], { owner_token: string }>(
      "SELECT owner_token FROM runs WHERE group_id = ? AND status IN ('closed', 'failed', 'aborted', 'succeeded') ORDER BY id DESC LIMIT ?",
    )
    .all(groupId, limit)
    .map((r) => r.owner_token);
}

export function insertRun(db: Db, run: Omit<RunRecord, 'id'>): number {
  const result = db
    .prepare(
      `INSERT INTO runs (group_id, group_name, source_server_id, target_server_id, mode, status, operator, owner_pid, owner_host,
         owner_token, started_at, finished_at, definition_hash, runbook, preflight, steps, rto_minutes, summary, note)
       VALUES (@groupId, @groupName, @sourceServerId, @targetServerId, @mode, @status, @operator, @pid, @host, @token, @startedAt,
         @finishedAt, @definitionHash, @runbook, @preflight, @steps, @rtoMinutes, @summary, @note)`,
    )
    .run({
      ...run,
      ...run.owner,
      runbook: toJson(run.runbook),
      preflight: toJson(run.preflight),
      steps: toJson(run.steps),
    });
  return Number(result.lastInsertRowid);
}

/** Update the mutable parts of a run. */
export function updateRun(
  db: Db,
  id: number,
  patch: Partial<
    Pick<RunRecord, 'status' | 'finishedAt' | 'steps' | 'preflight' | 'summary' | 'note' | 'owner' | 'operator'>
  >,
): void {
  const sets: string[] = [];
  const params: Record<string, unknown> = { id };
  if (patch.status !== undefined) {
    sets.push('status = @status');
    params.status = patch.status;
  }
  if (patch.finishedAt !== undefined) {
    sets.push('finished_at = @finishedAt');
    params.finishedAt = patch.finishedAt;
  }
  if (patch.steps !== undefined) {
    sets.push('steps = @steps');
    params.steps = toJson(patch.steps);
  }
  if (patch.preflight !== undefined) {
    sets.push('preflight = @preflight');
    params.preflight = toJson(patch.preflight);
  }
  if (patch.summary !== undefined) {
    sets.push('summary = @summary');
    params.summary = patch.summary;
  }
  if (patch.note !== undefined) {
    sets.push('note = @note');
    params.note = patch.note;
  }
  if (patch.operator !== undefined) {
    sets.push('operator = @operator');
    params.operator = patch.operator;
  }
  if (patch.owner !== undefined) {
    sets.push('owner_pid = @pid, owner_host = @host, owner_token = @token');
    Object.assign(params, patch.owner);
  }
  if (sets.length > 0) db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = @id`).run(params);
}

export interface LockRow {
  groupId: number;
  runId: number;
  operator: string;
  owner: RunOwner;
  acquiredAt: number;
  /** When the holder last showed it was alive (updated while its run lives). */
  heartbeatAt: number;
}

type LockDbRow = {
  group_id: number;
  run_id: number;
  operator: string;
  owner_pid: number;
  owner_host: string;
  owner_token: string;
  acquired_at: number;
  heartbeat_at: number;
};

function toLock(row: LockDbRow): LockRow {
  return {
    groupId: row.group_id,
    runId: row.run_id,
    operator: row.operator,
    owner: { pid: row.owner_pid, host: row.owner_host, token: row.owner_token },
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at,
  };
}

export function getLock(db: Db, groupId: number): LockRow | undefined {
  const row = db.prepare<[number], LockDbRow>('SELECT * FROM run_locks WHERE group_id = ?').get(groupId);
  return row && toLock(row);
}

/** Every lock row, oldest first. */
export function listLocks(db: Db): LockRow[] {
  return db.prepare<[], LockDbRow>('SELECT * FROM run_locks ORDER BY acquired_at, group_id').all().map(toLock);
}

export function insertLock(db: Db, lock: Omit<LockRow, 'heartbeatAt'> & { heartbeatAt?: number }): void {
  db.prepare(
    `INSERT INTO run_locks (group_id, run_id, operator, owner_pid, owner_host, owner_token, acquired_at, heartbeat_at)
     VALUES (@groupId, @runId, @operator, @pid, @host, @token, @acquiredAt, @heartbeatAt)`,
  ).run({ ...lock, ...lock.owner, heartbeatAt: lock.heartbeatAt ?? lock.acquiredAt });
}

/** Record that the holder `token` is alive; false when it no longer holds the lock. */
export function touchLock(db: Db, groupId: number, token: string, at: number): boolean {
  return (
    db.prepare('UPDATE run_locks SET heartbeat_at = ? WHERE group_id = ? AND owner_token = ?').run(at, groupId, token)
      .changes > 0
  );
}

/** Remove a group's lock only if `token` still owns it. */
export function deleteLock(db: Db, groupId: number, token: string): void {
  db.prepare('DELETE FROM run_locks WHERE group_id = ? AND owner_token = ?').run(groupId, token);
}

/** A failover setting (JSON value) or the fallback. */
export function getFailoverSetting<T>(db: Db, key: string, fallback: T): T {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM failover_settings WHERE key = ?').get(key);
  return row ? fromJson(row.value, fallback) : fallback;
}

export function setFailoverSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO failover_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, toJson(value));
}

/** A drill that succeeded, as the drill judgement reads it. */
export interface SucceededDrill {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  rtoMinutes: number | null;
  targetServerId: number;
  definitionHash: string;
  steps: StepState[];
}

/** The group's drills that succeeded, newest first (at most `limit`). */
export function listSucceededDrills(db: Db, groupId: number, limit: number): SucceededDrill[] {
  return db
    .prepare<[number, number], Omit<SucceededDrill, 'steps'> & { steps: string }>(
      `SELECT id, started_at AS startedAt, finished_at AS finishedAt, rto_minutes AS rtoMinutes,
         target_server_id AS targetServerId, definition_hash AS definitionHash, steps
       FROM runs WHERE group_id = ? AND mode = 'drill' AND status = 'succeeded' ORDER BY started_at DESC LIMIT ?`,
    )
    .all(groupId, limit)
    .map((row) => ({ ...row, steps: fromJson<StepState[]>(row.steps, []) }));
}

/** The groups that have a run marked running. */
export function listGroupsWithRunningRuns(db: Db): number[] {
  return db
    .prepare<[], { groupId: number }>("SELECT DISTINCT group_id AS groupId FROM runs WHERE status = 'running'")
    .all()
    .map((row) => row.groupId);
}
