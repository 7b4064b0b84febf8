/**
 * A whole-company recovery of the lab through the engine, as the console or the CLI starts one:
 * the recovery plan's hash confirmed with the company's name, and a person who ticks each manual
 * step (the PBX vendor call) as it comes. Shared by the lab test and `npm run bench:recover`.
 */
import type { RecoveryView } from '../../../shared/contract/recovery';
import type { Runbook } from '../../../shared/runbooks';
import type { Lab } from '../../lab/lab';
import { respondToRun } from '../../../electron/failover/engine';
import { recoveryPlan } from '../../../electron/failover/recovery-plan';
import { startRecovery, type RecoveryDeps } from '../../../electron/failover/recovery';
import type { LabFailover } from './lab-failover';

/** Answer every manual step of the recovery's runs with a tick until `stop()` (bounded). */
function tickManualSteps(deps: RecoveryDeps, id: () => number | null, stop: () => boolean): Promise<void> {
  return (async () => {
    const deadline = Date.now() + 10 * 60_000;
    while (!stop() && Date.now() < deadline) {
      const view = id() === null ? undefined : deps.recoveries.get(id()!);
      for (const g of view?.groups ?? []) {
        const manual = g.waiting && g.manual.some((m) => m.stepIndex === g.waiting!.stepIndex);
        if (g.runId !== null && manual && g.waiting!.options.includes('tick'))
          respondToRun(deps, { runId: g.runId, stepIndex: g.waiting!.stepIndex, action: 'tick' });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
}

/**
 * The files group's runbook to `target` (files-b unless named) as generated, with the lab's key and
 * known_hosts for the final rsync (one member reaches the other over SSH; an admin sets these up
 * once on a real pair).
 */
export async function saveLabFilesRunbook(
  w: LabFailover,
  lab: Lab,
  target: 'files-a' | 'files-b' = 'files-b',
): Promise<void> {
  const key = { groupId: w.group('files').id, targetServerId: w.serverId(target) };
  const runbook = await w.ws.ok<Runbook>('runbooks.generate', key);
  for (const step of runbook.steps)
    if (step.type === 'action' && step.action.kind === 'rsync.sync')
      Object.assign(step.action.params, { identityFile: lab.keyPath, knownHostsFile: lab.knownHostsPath });
  await w.ws.ok('runbooks.save', {
    ...key,
    direction: runbook.direction,
    sourceServerId: runbook.sourceServerId,
    steps: runbook.steps,
  });
}

/**
 * Recover `groups` (names; default every group) in one run; manual steps are ticked, halts left to
 * `onView` (unanswered, a halt aborts its run after `operatorWaitMs`, default 60 s).
 */
export async function recoverInOneRun(
  w: LabFailover,
  opts: { groups?: string[]; onView?: (view: RecoveryView) => void; operatorWaitMs?: number } = {},
): Promise<RecoveryView> {
  const recoveries = w.ws.ctx.recoveries;
  const deps: RecoveryDeps = {
    ...w.deps,
    limits: { operatorWaitMs: opts.operatorWaitMs ?? 60_000 },
    recoveries,
    emit: (event, payload) => {
      w.deps.emit(event, payload);
      if (event === 'recovery.changed') opts.onView?.(payload as RecoveryView);
    },
  };
  const groupIds = opts.groups?.map((name) => w.group(name).id);
  const plan = recoveryPlan(w.ws.db, groupIds);
  let id: number | null = null;
  let done = false;
  const ticking = tickManualSteps(
    deps,
    () => id,
    () => done,
  );
  try {
    const started = startRecovery(deps, {
      groupIds,
      confirmation: plan.confirmationWord,
      planHash: plan.planHash,
    });
    // The recovery is registered before its pre-flight ends: its manual steps may wait already.
    id = Math.max(...recoveries.keys());
    return await (
      await started
    ).finished;
  } finally {
    done = true;
    await ticking;
  }
}
