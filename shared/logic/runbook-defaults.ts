/**
 * The runbook a service group implies, generated from its definition: listen for other holders of
 * each VIP before anything changes, pause an rsync group's scheduled sync on both members (resumed at
 * the end), stop the processes on the old member, a final guarded sync (or the manual handover of DRBD, a shared disk or a restore),
 * break-before-make VIP moves, promotion of the database, then the processes on the new member and
 * a wait until each is active, and a watch for a second holder of each VIP at the end (after the
 * clients moved, so it costs no downtime). A group with one member gets a manual runbook (call the vendor).
 * Pure, so the editor can show it before anything is saved.
 */
import type { Server, ServiceGroup } from '../domain';
import {
  DEFAULT_LISTEN_MS,
  DEFAULT_MAX_DELETE,
  DEFAULT_PROBE_MS,
  DEFAULT_WATCH_MS,
  postgresAccessFrom,
  type RunbookDirection,
  type RunbookStep,
} from '../runbooks';
import { dataHandoverSteps, singleMemberSteps, type GroupService } from './runbook-handover';

export interface RunbookEnds {
  direction: RunbookDirection;
  sourceServerId: number;
  targetServerId: number;
}

/** The member a failover or switchback to `targetServerId` leaves, or an explanation why there is none. */
export function runbookEnds(group: ServiceGroup, targetServerId: number): RunbookEnds | string {
  const target = group.members.find((m) => m.serverId === targetServerId);
  if (!target) return `server ${targetServerId} is not a member of the group ${group.name}`;
  // One member (vendor hardware): the runbook recovers it in place.
  if (group.members.length === 1) return { direction: 'failover', sourceServerId: targetServerId, targetServerId };
  const primary = group.members.find((m) => m.role === 'primary');
  if (!primary) return `the group ${group.name} has no primary member`;
  if (target.role === 'standby') return { direction: 'failover', sourceServerId: primary.serverId, targetServerId };
  // Switching back to the primary: from whichever standby came first (the usual pair).
  const standby = group.members.find((m) => m.role === 'standby');
  if (!standby) return `the group ${group.name} has no standby member to switch back from`;
  return { direction: 'switchback', sourceServerId: standby.serverId, targetServerId };
}

/**
 * How the default runbook fences the old primary: through the server's own PostgreSQL unit when
 * the group's processes name one (Debian's postgresql@15-main, OpenBSD's postgresql), so the
 * service manager knows it was stopped; else with pg_ctl. Either way the fence is proven by
 * `pg_ctl status` exiting 3.
 */
export function postgresFence(processes: readonly string[]): { kind: 'service'; unit: string } | { kind: 'pg_ctl' } {
  const unit = processes.find((p) => /^postgres(ql)?(@[A-Za-z0-9_.-]+)?(\.service)?$/.test(p));
  return unit ? { kind: 'service', unit } : { kind: 'pg_ctl' };
}

/** The default steps for moving `group` from `ends.sourceServerId` to `ends.targetServerId`. */
export function defaultRunbookSteps(
  group: ServiceGroup,
  ends: RunbookEnds,
  servers: readonly Server[] = [],
  services: readonly GroupService[] = [],
): RunbookStep[] {
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  const source = ends.sourceServerId;
  const target = ends.targetServerId;
  if (source === target)
    return singleMemberSteps(
      group,
      servers.find((s) => s.id === target),
      services,
    );
  const steps: RunbookStep[] = [];
  const onOld = { serverId: source, timeoutSeconds: 60, whenUnreachable: 'skip-when-attested' as const };
  const onNew = { serverId: target, timeoutSeconds: 60, whenUnreachable: 'halt' as const };

  // Listening first: a stranger answering for a VIP refuses the run before anything changes.
  for (const vip of group.vips) {
    const itf = vip.interfaces.find((i) => i.serverId === target);
    if (!itf) continue;
    const held = vip.interfaces.find((i) => i.serverId === source);
    steps.push({
      type: 'action',
      title: `Listen for other holders of ${vip.address} from ${nameOf(target)}`,
      ...onNew,
      timeoutSeconds: 20,
      action: {
        kind: 'vip.listen',
        params: {
          address: vip.address,
          interface: itf.interface,
          holder: held ? { serverId: source, interface: held.interface } : null,
          listenMilliseconds: DEFAULT_LISTEN_MS,
        },
      },
    });
  }
  // The scheduled sync holds still on both members while the group moves (resumed at the end).
  const scheduledSync = group.data.kind === 'rsync' && group.vips.length > 0;
  if (scheduledSync) {
    for (const [serverId, where] of [
      [source, onOld],
      [target, onNew],
    ] as const)
      steps.push({
        type: 'action',
        title: `Pause the scheduled sync on ${nameOf(serverId)}`,
        ...where,
        timeoutSeconds: 150,
        action: { kind: 'sync.pause', params: { waitSeconds: 120 } },
      });
  }
  for (const unit of group.processes) {
    steps.push({
      type: 'action',
      title: `Stop ${unit} on ${nameOf(source)}`,
      ...onOld,
      action: { kind: 'service.stop', params: { unit } },
    });
  }
  const firstVip = group.vips[0];
  if (group.data.kind === 'rsync' && firstVip) {
    steps.push({
      type: 'action',
      title: `Final sync ${nameOf(source)} → ${nameOf(target)}`,
      serverId: target,
      timeoutSeconds: 600,
      // The final sync only makes sense while the old member is up; unreachable (and attested), it is skipped.
      whenUnreachable: 'skip-when-attested',
      action: {
        kind: 'rsync.sync',
        params: {
          sourceServerId: source,
          vipAddress: firstVip.address,
          paths: group.data.paths,
          excludes: group.data.excludes,
          delete: false,
          // Switching back: the member coming back may have been written to while it was down.
          ...(ends.direction === 'switchback' ? { previewOverwrites: true } : {}),
          maxDelete: DEFAULT_MAX_DELETE,
          sshUser: 'root',
          identityFile: '',
          knownHostsFile: '',
        },
      },
    });
  }
  steps.push(...dataHandoverSteps(group.data, { source: nameOf(source), target: nameOf(target) }));
  for (const vip of group.vips) {
    const itf = vip.interfaces.find((i) => i.serverId === source);
    if (!itf) continue;
    steps.push({
      type: 'action',
      title: `Release ${vip.address} on ${nameOf(source)}`,
      ...onOld,
      timeoutSeconds: 20,
      action: { kind: 'vip.release', params: { address: vip.address, prefix: vip.prefix, interface: itf.interface } },
    });
  }
  if (group.data.kind === 'postgres') {
    steps.push({
      type: 'action',
      title: `Promote PostgreSQL on ${nameOf(target)}`,
      ...onNew,
      timeoutSeconds: 120,
      action: {
        kind: 'postgres.promote',
        params: {
          ...postgresAccessFrom(group.data),
          fenceServerId: source,
          fence: postgresFence(group.processes),
          rpoMinutes: null,
        },
      },
    });
  }
  for (const vip of group.vips) {
    const itf = vip.interfaces.find((i) => i.serverId === target);
    if (!itf) continue;
    steps.push({
      type: 'action',
      title: `Acquire ${vip.address} on ${nameOf(target)}`,
      ...onNew,
      timeoutSeconds: 20,
      action: {
        kind: 'vip.acquire',
        params: {
          address: vip.address,
          prefix: vip.prefix,
          interface: itf.interface,
          probeMilliseconds: DEFAULT_PROBE_MS,
        },
      },
    });
  }
  for (const unit of group.processes) {
    steps.push({
      type: 'action',
      title: `Start ${unit} on ${nameOf(target)}`,
      ...onNew,
      action: { kind: 'service.start', params: { unit } },
    });
  }
  for (const unit of group.processes) {
    steps.push({
      type: 'action',
      title: `Wait until ${unit} is active on ${nameOf(target)}`,
      ...onNew,
      timeoutSeconds: 90,
      action: {
        kind: 'wait.check',
        params: { check: { probe: 'service-active', unit }, deadlineSeconds: 60, intervalSeconds: 2 },
      },
    });
  }
  for (const vip of group.vips) {
    const itf = vip.interfaces.find((i) => i.serverId === target);
    if (!itf) continue;
    steps.push({
      type: 'action',
      title: `Watch ${vip.address} on ${nameOf(target)} for a second holder`,
      ...onNew,
      timeoutSeconds: 30,
      action: {
        kind: 'vip.watch',
        params: { address: vip.address, interface: itf.interface, watchMilliseconds: DEFAULT_WATCH_MS },
      },
    });
  }
  if (scheduledSync) {
    // The new holder syncs towards the old member from now on; the old one only notes that it is not the holder.
    for (const [serverId, where] of [
      [target, onNew],
      [source, onOld],
    ] as const)
      steps.push({
        type: 'action',
        title: `Resume the scheduled sync on ${nameOf(serverId)}`,
        ...where,
        timeoutSeconds: 30,
        action: { kind: 'sync.resume', params: {} },
      });
  }
  if (ends.direction === 'switchback' && group.data.kind === 'postgres') {
    // Promotion refuses a server that is not a standby: prove it streams before anything changes.
    steps.unshift({
      type: 'action',
      title: `Check ${nameOf(target)} streams from ${nameOf(source)} (re-protected)`,
      ...onNew,
      timeoutSeconds: 30,
      action: {
        kind: 'postgres.streaming',
        params: {
          ...postgresAccessFrom(group.data),
          primaryServerId: source,
          deadlineSeconds: 10,
          intervalSeconds: 1,
        },
      },
    });
  }
  if (steps.length === 0) {
    steps.push({
      type: 'manual',
      title: `Bring ${group.name} up on ${nameOf(target)}`,
      instruction: 'This group has no VIP, data or processes Lifeboat can move: follow the vendor or team procedure.',
      role: 'admin',
      expectedMinutes: 15,
    });
  }
  return steps;
}
