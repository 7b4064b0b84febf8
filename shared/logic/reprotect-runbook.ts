/**
 * The re-protect runbook a group implies after a failover: the member left behind becomes a
 * standby of the primary now again. PostgreSQL: rebuild it (pg_rewind or pg_basebackup), then
 * wait until it streams. rsync: the reverse sync from the VIP holder, which first shows what it
 * would overwrite or delete on the member coming back (it may have been written to while it was
 * down). Other data kinds: a manual step, since Lifeboat has no guarded action for them. Pure, so
 * the screens can show it before anything runs.
 */
import type { Server, ServiceGroup } from '../domain';
import { DEFAULT_MAX_DELETE, postgresAccessFrom, type RunbookStep } from '../runbooks';
import { postgresFence } from './runbook-defaults';

/** The two ends of a re-protect: the primary now, and the member rebuilt as its standby. */
export interface ReprotectEnds {
  primaryServerId: number;
  targetServerId: number;
}

/**
 * The ends of a re-protect: the recorded primary (else the configured one) and the first other
 * member. A string says why there is nothing to re-protect.
 */
export function reprotectEnds(group: ServiceGroup, recordedPrimary: number | null): ReprotectEnds | string {
  if (group.members.length < 2) return `the group ${group.name} has one member: there is no standby to re-protect`;
  const recorded = group.members.find((m) => m.serverId === recordedPrimary);
  const primary = recorded ?? group.members.find((m) => m.role === 'primary');
  if (!primary) return `the group ${group.name} has no primary member`;
  const target = group.members.find((m) => m.serverId !== primary.serverId);
  if (!target) return `the group ${group.name} has no member besides its primary`;
  return { primaryServerId: primary.serverId, targetServerId: target.serverId };
}

export interface ReprotectOptions {
  /** The role the rebuilt standby streams as (PostgreSQL). */
  replicationUser?: string;
  /**
   * How the members reach each other for rsync, as the group's saved runbooks say (their sync
   * step's SSH user, key and known-hosts files, deletion cap); ssh's defaults when none says.
   */
  rsync?: { sshUser: string; identityFile: string; knownHostsFile: string; maxDelete: number };
}

/** The steps that re-protect `group` with `ends.targetServerId` as the standby of `ends.primaryServerId`. */
export function reprotectSteps(
  group: ServiceGroup,
  ends: ReprotectEnds,
  servers: readonly Server[] = [],
  options: ReprotectOptions = {},
): RunbookStep[] {
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  const primary = nameOf(ends.primaryServerId);
  const target = nameOf(ends.targetServerId);
  const data = group.data;
  const firstVip = group.vips[0];
  if (data.kind === 'postgres') {
    const access = postgresAccessFrom(data);
    return [
      {
        type: 'action',
        title: `Rebuild PostgreSQL on ${target} as a standby of ${primary}`,
        serverId: ends.targetServerId,
        timeoutSeconds: 3600,
        whenUnreachable: 'halt',
        action: {
          kind: 'postgres.rebuild',
          params: {
            ...access,
            primaryServerId: ends.primaryServerId,
            vipAddress: firstVip?.address ?? null,
            replicationUser: options.replicationUser ?? 'replicator',
            control: postgresFence(group.processes),
            method: 'auto',
          },
        },
      },
      {
        type: 'action',
        title: `Wait until ${target} streams from ${primary}`,
        serverId: ends.targetServerId,
        timeoutSeconds: 150,
        whenUnreachable: 'halt',
        action: {
          kind: 'postgres.streaming',
          params: { ...access, primaryServerId: ends.primaryServerId, deadlineSeconds: 120, intervalSeconds: 1 },
        },
      },
    ];
  }
  if (data.kind === 'rsync' && firstVip) {
    return [
      {
        type: 'action',
        title: `Sync ${primary} → ${target} (shows what it would overwrite or delete on ${target} first)`,
        serverId: ends.targetServerId,
        timeoutSeconds: 1800,
        whenUnreachable: 'halt',
        action: {
          kind: 'rsync.sync',
          params: {
            sourceServerId: ends.primaryServerId,
            vipAddress: firstVip.address,
            paths: data.paths,
            excludes: data.excludes,
            delete: true,
            previewOverwrites: true,
            maxDelete: options.rsync?.maxDelete ?? DEFAULT_MAX_DELETE,
            sshUser: options.rsync?.sshUser ?? 'root',
            identityFile: options.rsync?.identityFile ?? '',
            knownHostsFile: options.rsync?.knownHostsFile ?? '',
          },
        },
      },
    ];
  }
  return [
    {
      type: 'manual',
      title: `Confirm ${target} is repaired and ready to take ${group.name} over again`,
      instruction: `Lifeboat has no guarded action to re-protect ${data.kind === 'none' ? 'a group without data' : `${data.kind} data`}: check on ${target} that what ${group.name} needs is in place (its units installed, its data handed back from ${primary}), then tick this step.`,
      role: 'admin',
      expectedMinutes: 15,
    },
  ];
}
