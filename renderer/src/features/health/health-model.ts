/** What the Health screen shows, computed from the snapshot and the checks: pure, so it reads in one place. */
import type { CheckKind, CheckResult, CheckStatus, CheckView } from '../../../../shared/checks';
import { CHECK_KIND_SPECS, worstStatus } from '../../../../shared/checks';
import type { Server, Service, ServiceGroup, Snapshot } from '../../../../shared/domain';

/** Each status in words. */
export const STATUS_LABEL: Record<CheckStatus, string> = {
  ok: 'OK',
  warn: 'Warning',
  fail: 'Failing',
  unknown: 'Unknown',
};

/** One member of a group and whether it answers. */
export interface MemberHealth {
  server: Server;
  role: 'primary' | 'standby';
  /** The member's ssh check, when there is one. */
  status: CheckStatus;
  summary: string;
}

/** Who holds one virtual IP. */
export interface VipHolding {
  address: string;
  holders: string[];
}

/** Everything the screen shows for one group. */
export interface GroupHealth {
  group: ServiceGroup;
  services: Service[];
  status: CheckStatus;
  members: MemberHealth[];
  /** From the group's vip check: who holds each address. */
  vips: VipHolding[] | null;
  /** From the postgres check. */
  replication: { summary: string; lagBytes: number | null; lagSeconds: number | null } | null;
  /** From the drift check. */
  drift: { summary: string; differing: string[] } | null;
  checks: CheckView[];
}

const latestStatus = (view: CheckView | undefined): CheckStatus => view?.latest?.status ?? 'unknown';

function numberMetric(result: CheckResult | null | undefined, key: string): number | null {
  const value = result?.metrics[key];
  return typeof value === 'number' ? value : null;
}

/** Every group with what its checks last said, most important services first. */
export function groupHealth(snapshot: Snapshot, views: readonly CheckView[]): GroupHealth[] {
  const servers = new Map(snapshot.servers.map((s) => [s.id, s]));
  const tierRank = { critical: 0, important: 1, routine: 2 } as const;
  return snapshot.groups
    .map((group) => {
      const memberIds = new Set(group.members.map((m) => m.serverId));
      const checks = views.filter(
        (v) =>
          v.check.groupId === group.id ||
          (v.check.groupId === null && v.check.serverId !== null && memberIds.has(v.check.serverId)),
      );
      const services = snapshot.services
        .filter((s) => s.groupId === group.id)
        .sort((a, b) => tierRank[a.tier] - tierRank[b.tier]);
      const members = group.members
        .map((m): MemberHealth | null => {
          const server = servers.get(m.serverId);
          if (!server) return null;
          const ssh = checks.find((v) => v.check.kind === 'ssh' && v.check.serverId === server.id);
          return {
            server,
            role: m.role,
            status: ssh ? latestStatus(ssh) : 'unknown',
            summary: ssh?.latest?.summary ?? 'no SSH check',
          };
        })
        .filter((m): m is MemberHealth => m !== null);
      const vip = checks.find((v) => v.check.kind === 'vip');
      const holders = vip?.latest?.metrics.holders;
      const postgres = checks.find((v) => v.check.kind === 'postgres')?.latest;
      const drift = checks.find((v) => v.check.kind === 'drift')?.latest;
      const differing = drift?.metrics.differing;
      return {
        group,
        services,
        status: checks.filter((v) => v.check.enabled).length
          ? worstStatus(checks.filter((v) => v.check.enabled).map(latestStatus))
          : 'unknown',
        members,
        vips: Array.isArray(holders)
          ? holders.map((entry) => {
              const [address, names = ''] = entry.split('=');
              return { address, holders: names ? names.split(',') : [] };
            })
          : null,
        replication: postgres
          ? {
              summary: postgres.summary,
              lagBytes: numberMetric(postgres, 'lagBytes'),
              lagSeconds: numberMetric(postgres, 'lagSeconds'),
            }
          : null,
        drift: drift ? { summary: drift.summary, differing: Array.isArray(differing) ? differing : [] } : null,
        checks,
      };
    })
    .sort(
      (a, b) =>
        (tierRank[a.services[0]?.tier ?? 'routine'] ?? 2) - (tierRank[b.services[0]?.tier ?? 'routine'] ?? 2) ||
        a.group.name.localeCompare(b.group.name),
    );
}

/** Checks that belong to no group (a probe from outside, a standalone server). */
export function ungroupedChecks(snapshot: Snapshot, views: readonly CheckView[]): CheckView[] {
  const grouped = new Set(groupHealth(snapshot, views).flatMap((g) => g.checks.map((v) => v.check.id)));
  return views.filter((v) => !grouped.has(v.check.id));
}

/** The number each kind is charted by (declared with the kind in shared/check-kinds.ts). */
export function chartMetric(kind: CheckKind): { key: string; label: string } {
  return CHECK_KIND_SPECS[kind].chart;
}

/** Statuses as chart levels, worst highest. */
export const STATUS_LEVEL: Record<CheckStatus, number> = { ok: 0, warn: 1, unknown: 2, fail: 3 };

/** Columns for the chart, oldest first: time (s), the kind's metric, the status level. */
export function chartData(kind: CheckKind, history: readonly CheckResult[]): [number[], (number | null)[], number[]] {
  const ordered = [...history].sort((a, b) => a.at - b.at);
  const key = chartMetric(kind).key;
  return [
    ordered.map((r) => r.at / 1000),
    ordered.map((r) => (typeof r.metrics[key] === 'number' ? (r.metrics[key] as number) : null)),
    ordered.map((r) => STATUS_LEVEL[r.status]),
  ];
}

/** "3 s ago", "5 min ago", "2 h ago". */
export function ago(at: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  return `${Math.floor(seconds / 3600)} h ago`;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
