/**
 * One run per group at a time, across windows and processes (the app, `serve`, the CLI): a lock
 * row taken in an IMMEDIATE transaction, owned by a process and a token unique to the run, with a
 * heartbeat written while the run lives. A lock whose owner is gone marks its run interrupted;
 * nothing resumes by itself, and a new run of that group is refused until the operator resumes or
 * closes the interrupted one. A lock no process here can vouch for (another machine's, silent) is
 * broken only by a person (electron/failover/lock-break.ts), never by Lifeboat on its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import type { Db } from '../db/connection';
import { LifeboatError } from '../../shared/errors';
import {
  deleteLock,
  getLock,
  getRun,
  insertLock,
  insertRun,
  openRunsOfGroup,
  touchLock,
  updateRun,
  type RunOwner,
  type RunRecord,
} from '../db/repositories/runs';
import { durably } from '../db/repositories/connection-state';

/** Tokens of the runs this process is executing right now. */
const activeTokens = new Set<string>();

/** How often a held lock's heartbeat is written. */
export const HEARTBEAT_MS = 5_000;
/**
 * A lock of another machine whose heartbeat is younger than this may still be driven (the workspace
 * file is shared): breaking it is refused until it has been silent this long.
 */
export const LOCK_SILENT_MS = 30_000;

/** The heartbeat timers of the locks this process holds, by owner token. */
const heartbeats = new Map<string, ReturnType<typeof setInterval>>();

/** Write the lock's heartbeat every HEARTBEAT_MS until released (or the lock is no longer ours). */
function startHeartbeat(db: Db, groupId: number, token: string): void {
  stopHeartbeat(token);
  const timer = setInterval(() => {
    try {
      if (!touchLock(db, groupId, token, Date.now())) stopHeartbeat(token);
    } catch {
      // A busy or closed workspace skips one beat; a closed one ends with the process.
      if (!db.open) stopHeartbeat(token);
    }
  }, HEARTBEAT_MS);
  timer.unref?.();
  heartbeats.set(token, timer);
}

function stopHeartbeat(token: string): void {
  const timer = heartbeats.get(token);
  if (timer) clearInterval(timer);
  heartbeats.delete(token);
}

/** When a process started (Linux: clock ticks since boot, /proc/PID/stat field 22), to tell a reused pid apart. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A new owner identity for a run executed by this process. */
export function newOwner(): RunOwner {
  const start = processStart(process.pid) ?? 'x';
  return { pid: process.pid, host: os.hostname(), token: `${start}:${crypto.randomUUID()}` };
}

/** Mark a token as executing in this process (or no longer). */
export function setTokenActive(token: string, active: boolean): void {
  if (active) activeTokens.add(token);
  else activeTokens.delete(token);
}

/** Whether the process that owns a run is still there. Another machine's process counts as alive (cannot tell). */
export function ownerAlive(owner: RunOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return activeTokens.has(owner.token);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const recorded = owner.token.split(':')[0];
  const now = processStart(owner.pid);
  return recorded === 'x' || now === null || now === recorded;
}

export interface LockRequest {
  groupId: number;
  operator: string;
  owner: RunOwner;
  /** Resume this interrupted run instead of starting a new one. */
  resumeRunId?: number;
  /** The new run (ignored when resuming). */
  run: Omit<RunRecord, 'id' | 'owner' | 'operator'>;
}

function describeOwner(run: { id: number; operator: string; owner: RunOwner; startedAt: number }): string {
  const elsewhere = run.owner.host !== os.hostname();
  return (
    `run #${run.id}, started by ${run.operator} (pid ${run.owner.pid} on ${run.owner.host}) at ${new Date(run.startedAt).toISOString()}` +
    (elsewhere
      ? `. If that machine is gone, break its lock (\`lifeboat runs break-lock ${run.id}\`, or Break lock on the Failover screen) and resume with --resume ${run.id}`
      : '')
  );
}

/** Take the group's lock and create (or resume) its run; returns the run id. Refuses with `conflict`. */
export function acquireRunLock(db: Db, request: LockRequest): number {
  return durably(db, () =>
    db
      .transaction(() => {
        const lock = getLock(db, request.groupId);
        if (lock) {
          const run = getRun(db, lock.runId);
          if (ownerAlive(lock.owner)) {
            throw new LifeboatError(
              'conflict',
              `A failover of this group is already running: ${run ? describeOwner(run) : `run #${lock.runId}`}. Only one run per group at a time.`,
            );
          }
          if (run?.status === 'running') updateRun(db, run.id, { status: 'interrupted' });
          deleteLock(db, request.groupId, lock.owner.token);
        }
        for (const run of openRunsOfGroup(db, request.groupId)) {
          if (run.status === 'running' && ownerAlive(run.owner)) {
            throw new LifeboatError('conflict', `A failover of this group is already running: ${describeOwner(run)}.`);
          }
          if (run.status === 'running') updateRun(db, run.id, { status: 'interrupted' });
          if (run.id !== request.resumeRunId) {
            throw new LifeboatError(
              'conflict',
              `Run #${run.id} of this group was interrupted (Lifeboat stopped during it). Go on with it from a fresh pre-flight ` +
                `(\`lifeboat failover ${run.groupName} --to <member> --resume ${run.id}\`, or Resume on the Failover screen), ` +
                `or close it with a note (\`lifeboat runs close ${run.id} --note "..."\`) before starting another.`,
            );
          }
        }
        let runId: number;
        if (request.resumeRunId !== undefined) {
          const run = getRun(db, request.resumeRunId);
          if (!run || run.groupId !== request.groupId)
            throw new LifeboatError('not_found', `Run #${request.resumeRunId} is not a run of this group`);
          if (run.status !== 'interrupted')
            throw new LifeboatError(
              'conflict',
              `Run #${run.id} is ${run.status}, not interrupted: it cannot be resumed`,
            );
          updateRun(db, run.id, {
            status: 'running',
            owner: request.owner,
            operator: request.operator,
            finishedAt: null,
          });
          runId = run.id;
        } else {
          runId = insertRun(db, { ...request.run, owner: request.owner, operator: request.operator });
        }
        insertLock(db, {
          groupId: request.groupId,
          runId,
          operator: request.operator,
          owner: request.owner,
          acquiredAt: Date.now(),
        });
        startHeartbeat(db, request.groupId, request.owner.token);
        return runId;
      })
      .immediate(),
  );
}

/** Give the lock back (only if this owner still holds it). */
export function releaseRunLock(db: Db, groupId: number, owner: RunOwner): void {
  stopHeartbeat(owner.token);
  durably(db, () => deleteLock(db, groupId, owner.token));
}

/** The run's status as people should see it: a running run whose owner is gone is interrupted. */
export function effectiveStatus(run: RunRecord): RunRecord['status'] {
  return run.status === 'running' && !ownerAlive(run.owner) ? 'interrupted' : run.status;
}
