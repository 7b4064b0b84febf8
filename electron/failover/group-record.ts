/**
 * What a finished run tells about its group: a move (failover, switchback or drill, between two
 * members) makes its target the primary now, running without redundancy until the member it left
 * is re-protected; a re-protect makes the group redundant again. Only a run that succeeded, with
 * its final verification, records anything: a failed or aborted run proves neither.
 */
import type { Db } from '../db/connection';
import type { RunStatus } from '../../shared/contract/failover';
import type { Runbook } from '../../shared/runbooks';
import { recordGroupState } from '../db/repositories/group-state';
import type { GroupContext } from './definition';

export interface RecordedRun {
  context: GroupContext;
  runbook: Runbook;
  mode: 'real' | 'drill';
}

/** Record the group's state after a run; returns the sentence recorded, or null when nothing was. */
export function recordRunOutcome(db: Db, run: RecordedRun, runId: number, status: RunStatus): string | null {
  const { context, runbook } = run;
  if (status !== 'succeeded' || runbook.sourceServerId === runbook.targetServerId) return null;
  const nameOf = (id: number) => context.servers.get(id)?.name ?? `server ${id}`;
  const source = nameOf(runbook.sourceServerId);
  const target = nameOf(runbook.targetServerId);
  const reprotect = runbook.direction === 'reprotect';
  const detail = reprotect
    ? `${target} was re-protected as a standby of ${source}`
    : `${run.mode === 'drill' ? 'a drill' : `a ${runbook.direction}`} moved ${context.group.name} from ${source} to ${target}; ${source} is not a standby again until the group is re-protected`;
  recordGroupState(db, {
    groupId: context.group.id,
    primaryServerId: reprotect ? runbook.sourceServerId : runbook.targetServerId,
    redundancy: reprotect ? 'redundant' : 'without-redundancy',
    since: Date.now(),
    runId,
    detail,
  });
  return detail;
}
