/** The plan: every step of a runbook with the exact commands it runs, per host. Touches no host. */
import crypto from 'node:crypto';
import type { Plan, PlanStep } from '../../shared/contract/failover';
import type { Runbook, RunbookStep } from '../../shared/runbooks';
import { LifeboatError } from '../../shared/errors';
import { actionModule, type PlanEnvironment } from './actions';
import { definitionHash, type GroupContext } from './definition';

/** The environment an action step describes itself in. */
export function planEnvironment(context: GroupContext, serverId: number): PlanEnvironment {
  const server = context.servers.get(serverId);
  if (!server) throw new LifeboatError('not_found', `server ${serverId} of the runbook is not in the inventory`);
  return { servers: context.servers, group: context.group, server };
}

/** One step of the plan. */
export function planStep(context: GroupContext, step: RunbookStep, index: number): PlanStep {
  if (step.type === 'manual') {
    return {
      index,
      type: 'manual',
      title: step.title,
      kind: 'manual',
      serverId: null,
      host: '',
      description: step.instruction,
      commands: [],
      role: step.role,
      expectedMinutes: step.expectedMinutes,
    };
  }
  const env = planEnvironment(context, step.serverId);
  const module = actionModule(step.action.kind);
  return {
    index,
    type: 'action',
    title: step.title,
    kind: step.action.kind,
    serverId: step.serverId,
    host: env.server.name,
    description: module.describe(step.action.params, env),
    commands: module.commands(step.action.params, env),
    role: '',
    expectedMinutes: null,
  };
}

/** What the operator confirms: the definition hash and every step as shown, commands included. */
export function planHashOf(plan: Omit<Plan, 'planHash'>): string {
  const canonical = JSON.stringify({
    definitionHash: plan.definitionHash,
    source: plan.sourceServerId,
    target: plan.targetServerId,
    steps: plan.steps,
  });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** The whole plan of a runbook. */
export function buildPlan(context: GroupContext, runbook: Runbook): Plan {
  const plan = {
    groupId: context.group.id,
    groupName: context.group.name,
    direction: runbook.direction,
    sourceServerId: runbook.sourceServerId,
    targetServerId: runbook.targetServerId,
    runbookSaved: runbook.id !== null,
    definitionHash: definitionHash(context, runbook.steps),
    steps: runbook.steps.map((step, index) => planStep(context, step, index)),
  };
  return { ...plan, planHash: planHashOf(plan) };
}
