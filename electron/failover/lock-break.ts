/**
 * Recovering a run lock by hand (docs/safety.md: every lock can be recovered by a person). A lock
 * left by another machine (the laptop died mid-failover and the admin goes on from another one) or
 * by a process that is gone is broken only with a typed confirmation naming the owner's machine and
 * the run, and a reason; the audit row is committed before the lock goes. A lock whose owner this
 * machine sees alive, or whose heartbeat is recent, is refused: it may still be moving addresses.
 */
import os from 'node:os';
import type { Db } from '../db/connection';
import type { RunLockView } from '../../shared/contract/locks';
import { LifeboatError } from '../../shared/errors';
import {
  deleteLock,
  getLock,
  getRun,
  listGroupsWithRunningRuns,
  listLocks,
  openRunsOfGroup,
  updateRun,
  type LockRow,
  type RunRecord,
} from '../db/repositories/runs';
import { durably } from '../db/repositories/connection-state';
import { appendAudit, currentActor } from './audit';
import { LOCK_SILENT_MS, ownerAlive } from './run-lock';

/** The words a person types to break the lock of `runId` held on `host`. */
export function breakConfirmation(host: string, runId: number): string {
  return `${host} run ${runId}`;
}

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;

/** Why this lock may not be broken now, or null. */
function refusalOf(run: RunRecord, lock: LockRow | undefined, now: number): string | null {
  if (run.status !== 'running') return `run #${run.id} is ${run.status}: it holds no lock to break`;
  const { owner } = run;
  const local = owner.host === os.hostname();
  if (local && ownerAlive(owner)) {
    return `run #${run.id} is still running on this machine (pid ${owner.pid}): abort it from its window or command line instead`;
  }
  const heartbeatAt = lock?.heartbeatAt ?? null;
  if (!local && heartbeatAt !== null && now - heartbeatAt < LOCK_SILENT_MS) {
    return (
      `the owner on ${owner.host} (pid ${owner.pid}) wrote its heartbeat ${seconds(now - heartbeatAt)} ago: it may still be running. ` +
      `Stop it there, or wait until it has been silent for ${seconds(LOCK_SILENT_MS)}`
    );
  }
  return null;
}

function viewOf(run: RunRecord, lock: LockRow | undefined, now: number): RunLockView {
  const local = run.owner.host === os.hostname();
  return {
    groupId: run.groupId,
    groupName: run.groupName,
    runId: run.id,
    runStatus: run.status,
    operator: run.operator,
    ownerHost: run.owner.host,
    ownerPid: run.owner.pid,
    local,
    alive: local && ownerAlive(run.owner),
    acquiredAt: lock?.acquiredAt ?? run.startedAt,
    heartbeatAt: lock?.heartbeatAt ?? null,
    refusal: refusalOf(run, lock, now),
    confirmation: breakConfirmation(run.owner.host, run.id),
  };
}

/** Every lock row, and every run still marked running without one: what holds a group now. */
export function runLockViews(db: Db, now = Date.now()): RunLockView[] {
  const views = new Map<number, RunLockView>();
  for (const lock of listLocks(db)) {
    const run = getRun(db, lock.runId);
    if (run) views.set(run.id, viewOf(run, lock, now));
  }
  const groups = new Set(listGroupsWithRunningRuns(db));
  for (const groupId of groups) {
    for (const run of openRunsOfGroup(db, groupId)) {
      if (run.status === 'running' && !views.has(run.id)) views.set(run.id, viewOf(run, undefined, now));
    }
  }
  return [...views.values()];
}

export interface BreakRequest {
  runId: number;
  confirmation: string;
  reason: string;
}

/**
 * Break the lock of a run left by another machine or a dead process: audited first, then the lock
 * row goes and the run becomes interrupted (to be resumed from a fresh pre-flight, or closed).
 */
export function breakRunLock(db: Db, request: BreakRequest, actor = currentActor()): RunRecord {
  const run = getRun(db, request.runId);
  if (!run) throw new LifeboatError('not_found', `There is no run #${request.runId}`);
  const lock = getLock(db, run.groupId);
  const held = lock && lock.runId === run.id ? lock : undefined;
  const now = Date.now();
  const refusal = refusalOf(run, held, now);
  if (refusal) {
    appendAudit(db, {
      kind: 'refusal',
      actor,
      runId: run.id,
      groupId: run.groupId,
      detail: `refused to break the run lock: ${refusal}`,
    });
    throw new LifeboatError('conflict', `The lock of run #${run.id} was not broken: ${refusal}`);
  }
  const expected = breakConfirmation(run.owner.host, run.id);
  if (request.confirmation.trim() !== expected) {
    const message = `Type "${expected}" (the owner's machine and the run) to break this lock`;
    throw new LifeboatError('invalid_input', message, [{ path: ['confirmation'], message }]);
  }
  const heartbeat = held ? `last heartbeat ${seconds(now - held.heartbeatAt)} ago` : 'no lock row left';
  appendAudit(db, {
    kind: 'lock',
    actor,
    runId: run.id,
    groupId: run.groupId,
    detail:
      `${actor} broke the run lock of run #${run.id} (${run.groupName}) held by pid ${run.owner.pid} on ${run.owner.host} ` +
      `(operator ${run.operator}, since ${new Date(held?.acquiredAt ?? run.startedAt).toISOString()}, ${heartbeat}), typing "${expected}": ${request.reason}`,
  });
  durably(db, () =>
    db
      .transaction(() => {
        // Re-read inside the write: the lock broken is the one judged above, or nothing changes.
        const again = getRun(db, run.id);
        if (!again || again.status !== 'running' || again.owner.token !== run.owner.token) {
          throw new LifeboatError('conflict', `Run #${run.id} changed while its lock was being broken: look again`);
        }
        if (held) deleteLock(db, run.groupId, held.owner.token);
        updateRun(db, run.id, { status: 'interrupted' });
      })
      .immediate(),
  );
  return getRun(db, run.id) as RunRecord;
}
