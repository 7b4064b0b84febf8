/**
 * A group as a failover sees it: its definition, its servers, the RTO/RPO of its services, the
 * runbook that moves it to a member (saved, or generated from the definition), and a hash of all
 * of that so a drill can tell when what it proved has since changed.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { Server, ServiceGroup } from '../../shared/domain';
import type { FieldIssue } from '../../shared/errors';
import { LifeboatError } from '../../shared/errors';
import { Runbook, type RunbookDraft, type RunbookStep } from '../../shared/runbooks';
import { defaultRunbookSteps, runbookEnds } from '../../shared/logic/runbook-defaults';
import { listGroups } from '../db/repositories/groups';
import { listServers } from '../db/repositories/servers';
import { listServices } from '../db/repositories/services';
import { findRunbook } from '../db/repositories/runbooks';

export interface GroupContext {
  group: ServiceGroup;
  servers: ReadonlyMap<number, Server>;
  /** The most demanding RTO / RPO of the group's services (null when none is set). */
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  /** The group's services, with the workaround staff use meanwhile (for manual runbooks). */
  services: { name: string; workaround: string }[];
}

/** Load a group with its servers and targets, or fail with not_found. */
export function loadGroup(db: Db, groupId: number): GroupContext {
  const group = listGroups(db).find((g) => g.id === groupId);
  if (!group) throw new LifeboatError('not_found', `There is no service group with id ${groupId}`);
  const servers = new Map(listServers(db).map((s) => [s.id, s]));
  const services = listServices(db).filter((s) => s.groupId === groupId);
  const min = (values: (number | null)[]) => {
    const set = values.filter((v): v is number => v !== null);
    return set.length > 0 ? Math.min(...set) : null;
  };
  return {
    group,
    servers,
    rtoMinutes: min(services.map((s) => s.rtoMinutes)),
    rpoMinutes: min(services.map((s) => s.rpoMinutes)),
    services: services.map((s) => ({ name: s.name, workaround: s.workaround })),
  };
}

/**
 * The saved runbook moving the group to `targetServerId` (with what no longer fits the group, in
 * `problems`), else the generated default. A saved one whose steps no longer validate is returned
 * stale, never silently replaced by the default.
 */
export function resolveRunbook(db: Db, context: GroupContext, targetServerId: number): Runbook {
  const saved = findRunbook(db, context.group.id, targetServerId);
  if (saved && (saved.steps.length > 0 || saved.problems.length > 0)) return withProblems(context, saved);
  return generateRunbook(context, targetServerId);
}

/** A saved runbook with every way it no longer fits the group as it is now. */
export function withProblems(context: GroupContext, runbook: Runbook): Runbook {
  if (runbook.id === null) return runbook;
  return { ...runbook, problems: [...runbook.problems, ...staleRunbookIssues(context, runbook)] };
}

/**
 * The saved runbook as the plan and the start need it: one that no longer fits the group (a VIP
 * changed or moved to another group, a member removed, an interface changed) is refused with what
 * changed and how to fix it.
 */
export function requireCurrentRunbook(db: Db, context: GroupContext, targetServerId: number): Runbook {
  const runbook = resolveRunbook(db, context, targetServerId);
  if (runbook.problems.length === 0) return runbook;
  const target = context.servers.get(targetServerId)?.name ?? `server ${targetServerId}`;
  const what = runbook.problems.map((p) => p.message).join('; ');
  throw new LifeboatError(
    'conflict',
    `The saved runbook moving ${context.group.name} to ${target} no longer fits the group: ${what}. Nothing was run. On the Runbooks screen, start again from the generated runbook and save, or edit the marked steps.`,
    runbook.problems,
  );
}

/** Where a saved runbook and the group as it is now disagree, each said as what changed. */
export function staleRunbookIssues(context: GroupContext, runbook: Runbook): FieldIssue[] {
  const { group } = context;
  const nameOf = (id: number) => context.servers.get(id)?.name ?? `server ${id}`;
  const issues = runbookIssues(group, runbook, nameOf);
  const ends = runbookEnds(group, runbook.targetServerId);
  if (typeof ends === 'string') {
    if (!issues.some((i) => i.path[0] === 'targetServerId')) issues.push({ path: ['targetServerId'], message: ends });
  } else if (
    ends.sourceServerId !== runbook.sourceServerId &&
    group.members.some((m) => m.serverId === runbook.sourceServerId)
  ) {
    issues.push({
      path: ['sourceServerId'],
      message: `the members' roles changed: the runbook moves from ${nameOf(runbook.sourceServerId)}, the group now moves to ${nameOf(runbook.targetServerId)} from ${nameOf(ends.sourceServerId)}`,
    });
  }
  return issues;
}

/** The default runbook from the group's definition (not saved). */
export function generateRunbook(context: GroupContext, targetServerId: number): Runbook {
  const ends = runbookEnds(context.group, targetServerId);
  if (typeof ends === 'string')
    throw new LifeboatError('invalid_input', ends, [{ path: ['targetServerId'], message: ends }]);
  const steps = defaultRunbookSteps(context.group, ends, [...context.servers.values()], context.services);
  return Runbook.parse({ id: null, groupId: context.group.id, ...ends, steps, updatedAt: null, problems: [] });
}

/**
 * Every way a runbook may not fit its group: step servers, VIPs (address, prefix, and the
 * interface the group names on that member) and rsync sources must be the group's.
 */
export function runbookIssues(
  group: ServiceGroup,
  draft: Pick<RunbookDraft, 'sourceServerId' | 'targetServerId'> & { steps: RunbookStep[] },
  nameOf: (serverId: number) => string = (id) => `server ${id}`,
): FieldIssue[] {
  const members = new Set(group.members.map((m) => m.serverId));
  const vips = new Set(group.vips.map((v) => v.address));
  const vipList =
    group.vips.length > 0
      ? `its VIPs are now ${group.vips.map((v) => `${v.address}/${v.prefix}`).join(', ')}`
      : 'it has no VIP now';
  const issues: FieldIssue[] = [];
  if (!members.has(draft.sourceServerId))
    issues.push({ path: ['sourceServerId'], message: `${nameOf(draft.sourceServerId)} is not a member of the group` });
  if (!members.has(draft.targetServerId))
    issues.push({ path: ['targetServerId'], message: `${nameOf(draft.targetServerId)} is not a member of the group` });
  // Only a group with a single member recovers in place; otherwise a runbook moves between two members.
  if (draft.sourceServerId === draft.targetServerId && group.members.length > 1) {
    issues.push({ path: ['targetServerId'], message: 'the source and the target must be different members' });
  }
  draft.steps.forEach((step, index) => {
    if (step.type !== 'action') return;
    const at = (...path: (string | number)[]) => ['steps', index, ...path];
    if (!members.has(step.serverId))
      issues.push({
        path: at('serverId'),
        message: `the step runs on ${nameOf(step.serverId)}, which is not a member of the group`,
      });
    const action = step.action;
    if (
      action.kind === 'vip.acquire' ||
      action.kind === 'vip.release' ||
      action.kind === 'vip.listen' ||
      action.kind === 'vip.watch'
    ) {
      const vip = group.vips.find((v) => v.address === action.params.address);
      if (!vip)
        issues.push({
          path: at('action', 'params', 'address'),
          message: `${action.params.address} is not a VIP of the group (${vipList})`,
        });
      else {
        if ('prefix' in action.params && vip.prefix !== action.params.prefix)
          issues.push({
            path: at('action', 'params', 'prefix'),
            message: `${vip.address} is /${vip.prefix} in the group, /${action.params.prefix} in the step`,
          });
        const named = vip.interfaces.find((i) => i.serverId === step.serverId)?.interface;
        if (named !== undefined && named !== action.params.interface) {
          issues.push({
            path: at('action', 'params', 'interface'),
            message: `the group puts ${vip.address} on ${named} of ${nameOf(step.serverId)}, the step on ${action.params.interface}`,
          });
        }
      }
    }
    if (action.kind === 'vip.listen' && action.params.holder) {
      const holder = action.params.holder;
      const named = group.vips
        .find((v) => v.address === action.params.address)
        ?.interfaces.find((i) => i.serverId === holder.serverId)?.interface;
      if (!members.has(holder.serverId))
        issues.push({
          path: at('action', 'params', 'holder', 'serverId'),
          message: 'the holder must be a member of the group',
        });
      else if (named !== undefined && named !== holder.interface) {
        issues.push({
          path: at('action', 'params', 'holder', 'interface'),
          message: `the group puts ${action.params.address} on ${named} of ${nameOf(holder.serverId)}, the step on ${holder.interface}`,
        });
      }
    }
    if (action.kind === 'rsync.sync') {
      if (!members.has(action.params.sourceServerId))
        issues.push({
          path: at('action', 'params', 'sourceServerId'),
          message: 'the source must be a member of the group',
        });
      if (action.params.sourceServerId === step.serverId)
        issues.push({
          path: at('action', 'params', 'sourceServerId'),
          message: 'the source and the receiver must differ',
        });
      if (!vips.has(action.params.vipAddress))
        issues.push({
          path: at('action', 'params', 'vipAddress'),
          message: `${action.params.vipAddress} is not a VIP of the group (${vipList})`,
        });
    }
    if (
      action.kind === 'postgres.promote' &&
      action.params.fenceServerId !== null &&
      !members.has(action.params.fenceServerId)
    ) {
      issues.push({
        path: at('action', 'params', 'fenceServerId'),
        message: 'the server to fence must be a member of the group',
      });
    }
  });
  return issues;
}

/** sha256 of the group's members, VIPs, data and processes, the members' endpoints, and the steps. */
export function definitionHash(context: GroupContext, steps: readonly RunbookStep[]): string {
  const { group, servers } = context;
  const memberServers = group.members.map((m) => {
    const s = servers.get(m.serverId);
    return s
      ? { id: s.id, name: s.name, os: s.os, host: s.ssh.host, port: s.ssh.port, addresses: s.addresses }
      : { id: m.serverId };
  });
  const canonical = JSON.stringify({
    members: group.members,
    vips: group.vips,
    data: group.data,
    processes: group.processes,
    memberServers,
    steps,
  });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}
