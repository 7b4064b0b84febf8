/**
 * What silences an alert, and what the RTO clock leaves out: a maintenance window of the check's
 * group (or of every group) silences it and its time does not count against the RTO; a failover or
 * drill running on the group silences it while it runs (that time still counts: the service is down).
 */
import type { Db } from '../db/connection';
import type { Check } from '../../shared/checks';
import type { MaintenanceWindow } from '../../shared/alerting';
import { groupsRunning, listMaintenanceWindows, maintenanceOverlapping } from '../db/repositories/incidents';
import type { Inventory } from './kind';

/** The groups a check belongs to: its own (or those its server is a member of), and its named service's. */
export function groupsOfCheck(
  check: Pick<Check, 'groupId' | 'serverId' | 'serviceId'>,
  inventory: Inventory,
): number[] {
  const ids =
    check.groupId !== null
      ? [check.groupId]
      : [...inventory.groups.values()]
          .filter((g) => g.members.some((m) => m.serverId === check.serverId))
          .map((g) => g.id);
  const serviceGroup = inventory.services.find((s) => s.id === check.serviceId)?.groupId ?? null;
  return serviceGroup !== null && !ids.includes(serviceGroup) ? [...ids, serviceGroup] : ids;
}

/** What is silenced at one moment, read once per sweep. */
export interface Silences {
  /** Why alerts of these groups are silenced now, or null. */
  reasonFor(groupIds: readonly number[]): string | null;
  /** Milliseconds of maintenance inside [from, to] for these groups (overlaps counted once). */
  pausedMs(groupIds: readonly number[], from: number, to: number): number;
}

const applies = (window: MaintenanceWindow, groupIds: readonly number[]) =>
  window.groupId === null || groupIds.includes(window.groupId);

/** Length of the union of intervals clipped to [from, to]. */
export function unionLength(intervals: readonly [number, number][], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of clipped) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
}

/** Read the windows and the running runs at `now`. */
export function readSilences(db: Db, now: number, groupName: (id: number) => string): Silences {
  const active = listMaintenanceWindows(db, now).filter((w) => w.startsAt <= now);
  const running = groupsRunning(db);
  return {
    reasonFor(groupIds) {
      const window = active.find((w) => applies(w, groupIds));
      if (window) {
        const scope = window.groupId === null ? 'every group' : groupName(window.groupId);
        return `maintenance of ${scope} until ${new Date(window.endsAt).toISOString()} (${window.reason})`;
      }
      const run = running.find((r) => groupIds.includes(r.groupId));
      if (run) return `a ${run.mode === 'drill' ? 'drill' : 'failover'} of ${groupName(run.groupId)} is running`;
      return null;
    },
    pausedMs(groupIds, from, to) {
      if (to <= from) return 0;
      const windows = maintenanceOverlapping(db, from, to).filter((w) => applies(w, groupIds));
      return unionLength(
        windows.map((w) => [w.startsAt, w.endsAt]),
        from,
        to,
      );
    },
  };
}

/** No silences (tests, and where nothing is read). */
export const NO_SILENCES: Silences = { reasonFor: () => null, pausedMs: () => 0 };
