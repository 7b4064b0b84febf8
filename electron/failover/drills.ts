/**
 * Drills: the same engine in drill mode. A group's last good drill stops counting when the group,
 * its members or its runbook changed since (the stored definition hash differs) or when it is
 * older than the configured age (90 days unless set).
 */
import type { Db } from '../db/connection';
import type { DrillStatus } from '../../shared/contract/failover';
import { listGroups } from '../db/repositories/groups';
import { getFailoverSetting, listSucceededDrills, setFailoverSetting } from '../db/repositories/runs';
import { definitionHash, loadGroup, resolveRunbook } from './definition';
import { goodDrillProblems } from './drill-judgement';

export const DEFAULT_DRILL_MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface GoodDrill {
  runId: number;
  at: number;
  elapsedMs: number | null;
  rtoMinutes: number | null;
  targetServerId: number;
  definitionHash: string;
}

/** The group's newest drill that succeeded with every step clean (nothing skipped, refused or indeterminate). */
export function lastGoodDrill(db: Db, groupId: number): GoodDrill | null {
  const row = listSucceededDrills(db, groupId, 200).find((r) => goodDrillProblems(db, r.id, r.steps).length === 0);
  if (!row) return null;
  return {
    runId: row.id,
    at: row.startedAt,
    elapsedMs: row.finishedAt === null ? null : row.finishedAt - row.startedAt,
    rtoMinutes: row.rtoMinutes,
    targetServerId: row.targetServerId,
    definitionHash: row.definitionHash,
  };
}

export function drillMaxAgeDays(db: Db): number {
  const days = getFailoverSetting(db, 'drillMaxAgeDays', DEFAULT_DRILL_MAX_AGE_DAYS);
  return Number.isInteger(days) && days > 0 ? days : DEFAULT_DRILL_MAX_AGE_DAYS;
}

export function setDrillMaxAgeDays(db: Db, days: number): number {
  setFailoverSetting(db, 'drillMaxAgeDays', days);
  return days;
}

/** Drill status of every group (or one). */
export function drillStatuses(db: Db, groupId?: number, now = Date.now()): DrillStatus[] {
  const maxAgeDays = drillMaxAgeDays(db);
  return listGroups(db)
    .filter((g) => groupId === undefined || g.id === groupId)
    .map((group) => {
      const drill = lastGoodDrill(db, group.id);
      if (!drill)
        return {
          groupId: group.id,
          groupName: group.name,
          status: 'never' as const,
          reasons: ['never drilled'],
          lastGoodDrill: null,
          maxAgeDays,
        };
      const reasons: string[] = [];
      try {
        const context = loadGroup(db, group.id);
        const runbook = resolveRunbook(db, context, drill.targetServerId);
        if (definitionHash(context, runbook.steps) !== drill.definitionHash)
          reasons.push('the group, its members, its VIPs or its runbook changed since the last good drill');
      } catch (error) {
        reasons.push(`the drilled runbook no longer applies: ${(error as Error).message}`);
      }
      const ageDays = Math.floor((now - drill.at) / DAY_MS);
      if (ageDays > maxAgeDays) reasons.push(`the last good drill is ${ageDays} days old (more than ${maxAgeDays})`);
      return {
        groupId: group.id,
        groupName: group.name,
        status: reasons.length > 0 ? ('needs-verification' as const) : ('good' as const),
        reasons,
        lastGoodDrill: { runId: drill.runId, at: drill.at, elapsedMs: drill.elapsedMs, rtoMinutes: drill.rtoMinutes },
        maxAgeDays,
      };
    });
}
