/** A run as the contract shows it: status with interruption detected, timing, where it stopped. */
import type { Db } from '../db/connection';
import type { RunView, Waiting } from '../../shared/contract/failover';
import { lastAuditOfRun } from '../db/repositories/audit';
import type { RunRecord } from '../db/repositories/runs';
import { effectiveStatus, ownerAlive } from './run-lock';

/** Build the view of a run; `waiting` comes from the live controller when this process drives it. */
export function runView(db: Db, run: RunRecord, waiting: Waiting | null): RunView {
  const status = effectiveStatus(run);
  const end = run.finishedAt ?? (status === 'running' ? Date.now() : null);
  return {
    id: run.id,
    groupId: run.groupId,
    groupName: run.groupName,
    sourceServerId: run.sourceServerId,
    targetServerId: run.targetServerId,
    mode: run.mode,
    status,
    operator: run.operator,
    owner: { pid: run.owner.pid, host: run.owner.host, alive: ownerAlive(run.owner) },
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    elapsedMs: end === null ? null : end - run.startedAt,
    rtoMinutes: run.rtoMinutes,
    definitionHash: run.definitionHash,
    steps: run.steps,
    waiting: status === 'running' ? waiting : null,
    summary:
      status === 'interrupted' && !run.summary
        ? 'Interrupted: Lifeboat stopped during this run. Nothing resumes by itself; resume from a fresh pre-flight or close it with a note.'
        : run.summary,
    note: run.note,
    lastIntent: lastAuditOfRun(db, run.id, 'intent'),
    lastOutcome: lastAuditOfRun(db, run.id, 'outcome'),
  };
}
