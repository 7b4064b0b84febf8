/**
 * Evidence beyond the inventory that readiness and the plan use, read from the workspace: saved
 * runbooks, drill history (with whether each group changed since its last good drill), the drill
 * age limit, and the latest health-check results. Read-only; the failover engine and the check
 * scheduler own these tables.
 */
import { backupEvidence } from './evidence-backups';
import type { Db } from '../db/connection';
import type { DrillFacts, ReadinessEvidence, RedundancyFacts, RunbookFacts } from '../../shared/logic/readiness';
import { listServers } from '../db/repositories/servers';
import { listGroups } from '../db/repositories/groups';
import { listRunbooks } from '../db/repositories/runbooks';
import { listRuns } from '../db/repositories/runs';
import { drillMaxAgeDays } from '../failover/drills';
import { definitionHash, loadGroup, resolveRunbook } from '../failover/definition';
import type { MapStatus } from './map-graph';
import { healthEvidence } from './evidence-health';
import { latestTestRecoveries } from '../db/repositories/test-recoveries';
import { listGroupStates } from '../db/repositories/group-state';

/** Finished drill outcomes; a drill still running (or interrupted) proves nothing yet. */
const FINISHED = new Set(['succeeded', 'failed', 'aborted', 'closed']);
/** At most this many drills per workspace go into the plan's history. */
const DRILL_HISTORY = 500;

export interface WorkspaceEvidence {
  readiness: ReadinessEvidence;
  /** Live status per service, group and server, for the dependency map. */
  mapStatus: MapStatus;
}

/** Saved runbooks with at least one step, per group. */
export function savedRunbookFacts(db: Db): RunbookFacts[] {
  return listGroups(db).flatMap((group) =>
    listRunbooks(db, group.id).map((r) => ({ groupId: group.id, steps: r.steps.length })),
  );
}

/**
 * Finished drills, newest first. A succeeded drill is "changed since" when the definition hash of
 * what it would run today differs from the one it ran with (as electron/failover/drills.ts judges).
 */
export function drillFacts(db: Db): DrillFacts[] {
  const currentHash = new Map<string, string | null>();
  const hashNow = (groupId: number, targetServerId: number): string | null => {
    const key = `${groupId}:${targetServerId}`;
    if (!currentHash.has(key)) {
      try {
        const context = loadGroup(db, groupId);
        currentHash.set(key, definitionHash(context, resolveRunbook(db, context, targetServerId).steps));
      } catch {
        currentHash.set(key, null); // the group or the target is gone: the drill no longer applies
      }
    }
    return currentHash.get(key)!;
  };
  return listRuns(db, { limit: DRILL_HISTORY * 4 })
    .filter((run) => run.mode === 'drill' && FINISHED.has(run.status) && run.finishedAt !== null)
    .slice(0, DRILL_HISTORY)
    .map((run) => ({
      groupId: run.groupId,
      finishedAt: new Date(run.finishedAt!).toISOString(),
      minutes: Math.round(((run.finishedAt! - run.startedAt) / 60_000) * 10) / 10,
      succeeded: run.status === 'succeeded',
      changedSince: run.status === 'succeeded' && hashNow(run.groupId, run.targetServerId) !== run.definitionHash,
    }));
}

/** What the runs recorded: which groups run without redundancy since a failover (stale records left out). */
export function redundancyFacts(db: Db): RedundancyFacts[] {
  const groups = new Map(listGroups(db).map((g) => [g.id, g]));
  const servers = new Map(listServers(db).map((s) => [s.id, s.name]));
  return listGroupStates(db).flatMap((state) => {
    const group = groups.get(state.groupId);
    if (!group?.members.some((m) => m.serverId === state.primaryServerId)) return [];
    return [
      {
        groupId: state.groupId,
        primary: servers.get(state.primaryServerId) ?? `server ${state.primaryServerId}`,
        redundant: state.redundancy === 'redundant',
        detail: state.detail,
      },
    ];
  });
}

/** Everything the workspace knows about runbooks, drills and health, as of `now`. */
export function workspaceEvidence(db: Db, now: Date = new Date()): WorkspaceEvidence {
  const health = healthEvidence(db, now.getTime());
  return {
    readiness: {
      now: now.getTime(),
      runbooks: savedRunbookFacts(db),
      drills: drillFacts(db),
      drillMaxAgeDays: drillMaxAgeDays(db),
      health: health.facts,
      testRecoveries: latestTestRecoveries(db).map((t) => ({
        groupId: t.groupId,
        passed: t.passed,
        reason: t.reason,
        at: t.at,
      })),
      backups: backupEvidence(db),
      redundancy: redundancyFacts(db),
    },
    mapStatus: health.mapStatus,
  };
}
