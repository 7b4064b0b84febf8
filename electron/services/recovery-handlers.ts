/** Service functions for recovering the whole company in one run (electron/failover/recovery.ts). */
import type { HandlersFor } from './handler-types';
import type { ServiceContext } from '../ports/context';
import type { recoveryMethods } from '../../shared/contract/recovery';
import { LifeboatError } from '../../shared/errors';
import { recoveryPlan } from '../failover/recovery-plan';
import { recoveryPreflight, startRecovery, type RecoveryDeps } from '../failover/recovery';
import { requireRunner } from './require-runner';

function recoveryDeps(ctx: ServiceContext): RecoveryDeps {
  return { db: ctx.db, runner: requireRunner(ctx), emit: ctx.emit, runs: ctx.runs, recoveries: ctx.recoveries };
}

export const recoveryHandlers: HandlersFor<keyof typeof recoveryMethods> = {
  'recovery.plan': (ctx, { groupIds }) => recoveryPlan(ctx.db, groupIds),
  'recovery.preflight': (ctx, { groupIds }) => recoveryPreflight(recoveryDeps(ctx), groupIds),
  'recovery.start': async (ctx, input) => (await startRecovery(recoveryDeps(ctx), input)).view,
  'recovery.get': (ctx, { recoveryId }) => {
    const view = ctx.recoveries.get(recoveryId);
    if (!view) throw new LifeboatError('not_found', `There is no recovery #${recoveryId} in this session`);
    return structuredClone(view);
  },
  'recovery.list': (ctx) => [...ctx.recoveries.values()].reverse().map((v) => structuredClone(v)),
};
