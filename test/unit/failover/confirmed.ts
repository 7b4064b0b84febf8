/** Start a run as an operator who reviewed the current plan: the plan's hash goes with the start. */
import { planOnly, startRun, type EngineDeps } from '../../../electron/failover/engine';
import type { StartInput } from '../../../shared/contract/failover';

/** startRun with the planHash of the plan as it is now (tests of the refusal call startRun itself). */
export function startConfirmed(deps: EngineDeps, input: StartInput): ReturnType<typeof startRun> {
  return startRun(deps, {
    ...input,
    planHash: input.planHash ?? planOnly(deps.db, input.groupId, input.targetServerId).planHash,
  });
}
