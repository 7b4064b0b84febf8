/**
 * The whole-company recovery plan: every group (or those chosen) in recovery order with its
 * priority, the member it moves to, its own failover plan (the same plan a single-group failover
 * shows and confirms) and the owner of each manual step. Touches no host.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { Plan } from '../../shared/contract/failover';
import type { RecoveryPlan, RecoveryPlanGroup } from '../../shared/contract/recovery';
import type { ServiceGroup } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import { groupRecoveryOrder, manualStepOwner } from '../../shared/logic/recovery-plan';
import { runbookEnds } from '../../shared/logic/runbook-defaults';
import { listContacts } from '../db/repositories/contacts';
import { listGroups } from '../db/repositories/groups';
import { listServers } from '../db/repositories/servers';
import { listServices } from '../db/repositories/services';
import { getSettings } from '../db/repositories/settings';
import { actionModule } from './actions';
import type { ActionKind } from '../../shared/runbooks';
import { planOnly } from './engine';

/**
 * The member a recovery moves a group to: its standby (the first one), or the only member of a
 * group without a standby (recovered in place, usually by hand). A string says why there is none.
 */
export function recoveryTarget(group: ServiceGroup): number | string {
  if (group.members.length === 0) return `${group.name} has no members`;
  if (group.members.length === 1) return group.members[0].serverId;
  const standby = group.members.find((m) => m.role === 'standby');
  return standby ? standby.serverId : `${group.name} has no standby to recover to`;
}

/** What the operator types to confirm a recovery: the company's name, or "recover" when it has none. */
export function confirmationWord(companyName: string): string {
  return companyName.trim() || 'recover';
}

/** Where a group's run changes something first: a manual step or a step with a command that is not read-only. */
export function firstChangeIndex(plan: Plan): number {
  const index = plan.steps.findIndex((s) => s.type === 'manual' || s.commands.some((c) => !c.readOnly));
  return index < 0 ? plan.steps.length : index;
}

/** The last step before the trailing aftercare (watching after the clients moved): when it settles, the group is back. */
export function backIndex(plan: Plan): number {
  let index = plan.steps.length - 1;
  while (index >= 0) {
    const step = plan.steps[index];
    if (step.type !== 'action' || !actionModule(step.kind as ActionKind).aftercare) break;
    index--;
  }
  return index;
}

/** The recovery plan of the workspace as it is now. */
export function recoveryPlan(db: Db, groupIds?: readonly number[]): RecoveryPlan {
  const settings = getSettings(db);
  const groups = listGroups(db);
  const services = listServices(db);
  const contacts = listContacts(db);
  const servers = new Map(listServers(db).map((s) => [s.id, s]));
  const nameOf = (id: number) => servers.get(id)?.name ?? `server ${id}`;
  const groupName = (id: number) => groups.find((g) => g.id === id)?.name ?? `group ${id}`;
  const order = groupRecoveryOrder(groups, services, groupIds);
  if (order.length === 0) throw new LifeboatError('invalid_input', 'There is no service group to recover');
  const entries: RecoveryPlanGroup[] = order.map((entry) => {
    const group = groups.find((g) => g.id === entry.groupId)!;
    const target = recoveryTarget(group);
    if (typeof target === 'string')
      throw new LifeboatError('invalid_input', `${target}: leave it out of the recovery (choose the groups)`);
    const ends = runbookEnds(group, target);
    if (typeof ends === 'string') throw new LifeboatError('invalid_input', ends);
    let plan: Plan;
    try {
      plan = planOnly(db, group.id, target);
    } catch (error) {
      const e = error as LifeboatError;
      throw new LifeboatError(e.code ?? 'internal', `${group.name}: ${e.message}`, e.issues);
    }
    const owners = services.filter((s) => s.groupId === group.id && s.ownerContactId !== null);
    return {
      groupId: group.id,
      groupName: group.name,
      priority: entry.priority,
      needs: entry.needs.map(groupName),
      assumedRunning: entry.assumedRunning.map(groupName),
      sourceServerId: ends.sourceServerId,
      sourceName: nameOf(ends.sourceServerId),
      targetServerId: target,
      targetName: nameOf(target),
      direction: ends.direction,
      rtoMinutes: entry.rtoMinutes,
      services: entry.services.map((s) => ({ name: s.name, rtoMinutes: s.rtoMinutes })),
      manual: plan.steps
        .filter((s) => s.type === 'manual')
        .map((s) => {
          const owner = manualStepOwner(
            s.role,
            contacts,
            owners.map((o) => o.ownerContactId!),
          );
          return {
            stepIndex: s.index,
            title: s.title,
            role: s.role,
            owner: owner?.name ?? '',
            phone: owner?.phone ?? '',
          };
        }),
      plan,
    };
  });
  const planHash = crypto
    .createHash('sha256')
    .update(
      JSON.stringify({
        company: settings.companyName,
        target: settings.targetMinutes,
        groups: entries.map((g) => [g.groupId, g.priority, g.needs, g.targetServerId, g.plan.planHash]),
      }),
    )
    .digest('hex');
  return {
    companyName: settings.companyName,
    confirmationWord: confirmationWord(settings.companyName),
    targetMinutes: settings.targetMinutes,
    groups: entries,
    planHash,
  };
}
