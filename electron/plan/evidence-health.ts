/**
 * Health evidence from the latest check results: per group what fails, what drifts between the
 * members (files, or a virtual IP away from the primary), the replication lag and the sync age;
 * and the live status of each service, group and server for the dependency map.
 */
import type { Db } from '../db/connection';
import { worstStatus, type Check, type CheckResult, type CheckStatus } from '../../shared/checks';
import type { HealthFacts } from '../../shared/logic/readiness';
import { latestResults, listChecks } from '../db/repositories/checks';
import { listGroups } from '../db/repositories/groups';
import { listServers } from '../db/repositories/servers';
import { listServices } from '../db/repositories/services';
import type { LiveStatus, MapStatus } from './map-graph';

const LIVE: Record<CheckStatus, LiveStatus> = { ok: 'up', warn: 'degraded', fail: 'down', unknown: 'unknown' };
/** A result older than this says nothing about now: the monitor has stopped. */
const STALE_MS = 24 * 3_600_000;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const maxOf = (values: (number | null)[]): number | null =>
  values.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null);

interface Observed {
  check: Check;
  result: CheckResult | null;
}

function vipDrift(observed: readonly Observed[], primaryName: string | undefined): string[] {
  const out: string[] = [];
  for (const { check, result } of observed) {
    if (check.kind !== 'vip' || !result) continue;
    const holders = Array.isArray(result.metrics.holders) ? (result.metrics.holders as unknown[]) : [];
    for (const entry of holders) {
      if (typeof entry !== 'string' || !entry.includes('=')) continue;
      const [address, list] = entry.split('=', 2);
      const names = list.split(',').filter(Boolean);
      if (names.length > 1) out.push(`virtual IP ${address} is on ${names.join(' and ')} at once`);
      else if (names.length === 1 && primaryName && names[0] !== primaryName)
        out.push(`virtual IP ${address} is on ${names[0]}, not on the primary ${primaryName}`);
    }
  }
  return out;
}

function fileDrift(observed: readonly Observed[]): string[] {
  return observed.flatMap(({ check, result }) => {
    if (check.kind !== 'drift' || !result) return [];
    const count = num(result.metrics.differingCount) ?? 0;
    if (count === 0) return [];
    const files = Array.isArray(result.metrics.differing)
      ? (result.metrics.differing as unknown[]).filter((f): f is string => typeof f === 'string')
      : [];
    return [
      `${count} file${count === 1 ? '' : 's'} differ${count === 1 ? 's' : ''}${files.length ? ` (${files.slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})` : ''}`,
    ];
  });
}

/** Health facts of every group that has checks, and the map's live status. */
export function healthEvidence(db: Db, now: number): { facts: HealthFacts[]; mapStatus: MapStatus } {
  const checks = listChecks(db).filter((c) => c.enabled);
  const latest = latestResults(db);
  const resultOf = (check: Check): CheckResult | null => {
    const result = latest.get(check.id);
    return result && now - result.at <= STALE_MS ? result : null;
  };
  const observed: Observed[] = checks.map((check) => ({ check, result: resultOf(check) }));
  const servers = new Map(listServers(db).map((s) => [s.id, s]));
  const groups = listGroups(db);
  const statusOf = (list: readonly Observed[]): LiveStatus | null => {
    const statuses = list.flatMap((o) => (o.result ? [o.result.status] : []));
    return statuses.length === 0 ? null : LIVE[worstStatus(statuses)];
  };

  const facts: HealthFacts[] = [];
  const groupStatus: Record<number, LiveStatus> = {};
  const ofGroup = new Map<number, Observed[]>();
  for (const group of groups) {
    const members = new Set(group.members.map((m) => m.serverId));
    const mine = observed.filter(
      ({ check }) =>
        check.groupId === group.id ||
        (check.groupId === null && check.serverId !== null && members.has(check.serverId)),
    );
    ofGroup.set(group.id, mine);
    if (mine.length === 0) continue;
    const primary = servers.get(group.members.find((m) => m.role === 'primary')?.serverId ?? -1);
    facts.push({
      groupId: group.id,
      failing: mine.filter((o) => o.result?.status === 'fail').map((o) => o.check.name),
      known: mine.filter((o) => o.result !== null && o.result.status !== 'unknown').length,
      unknown: mine.filter((o) => o.result === null || o.result.status === 'unknown').map((o) => o.check.name),
      drift: [...fileDrift(mine), ...vipDrift(mine, primary?.name)],
      replicationLagMinutes: maxOf(
        mine
          .filter((o) => o.check.kind === 'postgres')
          .map((o) => {
            const seconds = num(o.result?.metrics.lagSeconds);
            return seconds === null ? null : Math.round((seconds / 60) * 10) / 10;
          }),
      ),
      syncAgeMinutes: maxOf(
        mine.filter((o) => o.check.kind === 'freshness').map((o) => num(o.result?.metrics.ageMinutes)),
      ),
    });
    const status = statusOf(mine);
    if (status) groupStatus[group.id] = status;
  }

  const serverStatus: Record<number, LiveStatus> = {};
  for (const server of servers.values()) {
    const status = statusOf(observed.filter((o) => o.check.serverId === server.id));
    if (status) serverStatus[server.id] = status;
  }
  const serviceStatus: Record<number, LiveStatus> = {};
  for (const service of listServices(db)) {
    const status = statusOf([
      ...(service.groupId === null ? [] : (ofGroup.get(service.groupId) ?? [])),
      ...observed.filter((o) => o.check.serviceId === service.id),
    ]);
    if (status) serviceStatus[service.id] = status;
  }
  return { facts, mapStatus: { services: serviceStatus, groups: groupStatus, servers: serverStatus } };
}
