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
    group, servers, rtoMinutes: min(services.map((s) => s.rtoMinutes)), rpoMinutes: min(services.map((s) => s.rpoMinutes)),
    services: services.map((s) => ({ name: s.name, workaround: s.workaround })),
  };
}

/** The saved runbook moving the group to `targetServerId`, else the generated default. */
export function resolveRunbook(db: Db, context: GroupContext, targetServerId: number): Runbook {
  const saved = findRunbook(db, context.group.id, targetServerId);
  if (saved && saved.steps.length > 0) return saved;
  return generateRunbook(context, targetServerId);
}

/** The default runbook from the group's definition (not saved). */
export function generateRunbook(context: GroupContext, targetServerId: number): Runbook {
  const ends = runbookEnds(context.group, targetServerId);
  if (typeof ends === 'string') throw new LifeboatError('invalid_input', ends, [{ path: ['targetServerId'], message: ends }]);
  const steps = defaultRunbookSteps(context.group, ends, [...context.servers.values()], context.services);
  return Runbook.parse({ id: null, groupId: context.group.id, ...ends, steps, updatedAt: null });
}

/** Every way a runbook may not fit its group: step servers, VIPs and rsync sources must be the group's. */
export function runbookIssues(group: ServiceGroup, draft: Pick<RunbookDraft, 'sourceServerId' | 'targetServerId'> & { steps: RunbookStep[] }): FieldIssue[] {
  const members = new Set(group.members.map((m) => m.serverId));
  const vips = new Set(group.vips.map((v) => v.address));
  const issues: FieldIssue[] = [];
  if (!members.has(draft.sourceServerId)) issues.push({ path: ['sourceServerId'], message: 'not a member of the group' });
  if (!members.has(draft.targetServerId)) issues.push({ path: ['targetServerId'], message: 'not a member of the group' });
  // Only a group with a single member recovers in place; otherwise a runbook moves between two members.
  if (draft.sourceServerId === draft.targetServerId && group.members.length > 1) {
    issues.push({ path: ['targetServerId'], message: 'the source and the target must be different members' });
  }
  draft.steps.forEach((step, index) => {
    if (step.type !== 'action') return;
    const at = (...path: (string | number)[]) => ['steps', index, ...path];
    if (!members.has(step.serverId)) issues.push({ path: at('serverId'), message: 'the step must run on a member of the group' });
    const action = step.action;
    if ((action.kind === 'vip.acquire' || action.kind === 'vip.release') && !vips.has(action.params.address)) {
      issues.push({ path: at('action', 'params', 'address'), message: `${action.params.address} is not a VIP of the group` });
    }
    if (action.kind === 'rsync.sync') {
      if (!members.has(action.params.sourceServerId)) issues.push({ path: at('action', 'params', 'sourceServerId'), message: 'the source must be a member of the group' });
      if (action.params.sourceServerId === step.serverId) issues.push({ path: at('action', 'params', 'sourceServerId'), message: 'the source and the receiver must differ' });
      if (!vips.has(action.params.vipAddress)) issues.push({ path: at('action', 'params', 'vipAddress'), message: `${action.params.vipAddress} is not a VIP of the group` });
    }
    if (action.kind === 'postgres.promote' && action.params.fenceServerId !== null && !members.has(action.params.fenceServerId)) {
      issues.push({ path: at('action', 'params', 'fenceServerId'), message: 'the server to fence must be a member of the group' });
    }
  });
  return issues;
}

/** sha256 of the group's members, VIPs, data and processes, the members' endpoints, and the steps. */
export function definitionHash(context: GroupContext, steps: readonly RunbookStep[]): string {
  const { group, servers } = context;
  const memberServers = group.members.map((m) => {
    const s = servers.get(m.serverId);
    return s ? { id: s.id, name: s.name, os: s.os, host: s.ssh.host, port: s.ssh.port, addresses: s.addresses } : { id: m.serverId };
  });
  const canonical = JSON.stringify({ members: group.members, vips: group.vips, data: group.data, processes: group.processes, memberServers, steps });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}
