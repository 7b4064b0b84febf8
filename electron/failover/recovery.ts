/**
 * Recovering the whole company in one run, on the single-group engine: every group of the
 * recovery plan is an ordinary failover run (its own run lock, pre-flight, on-host lock, steps,
 * halts and audit rows), started together so that their pre-flights are the one pre-flight over
 * every group. No group changes anything before every pre-flight passed and every group it needs
 * is back (its steps done up to the watching that follows; `beforeStep` holds it); its read-only
 * listening goes on meanwhile. A group that does not come back holds the groups that need it,
 * never the unrelated ones. One typed confirmation (the company's name) is bound to the recovery
 * plan's hash, and each group's run to its own plan's hash as confirmed.
 */
import type { Preflight, RunStatus, RunStepEvent } from '../../shared/contract/failover';
import {
  RecoveryStartInput as StartSchema,
  type RecoveryGroupView,
  type RecoveryPlan,
  type RecoveryPlanGroup,
  type RecoveryPreflight,
  type RecoveryStartInput,
  type RecoveryView,
} from '../../shared/contract/recovery';
import { LifeboatError } from '../../shared/errors';
import { formatMinutes } from '../../shared/logic/recovery-order';
import type { EventSink } from '../ports/events';
import { appendAudit, currentActor } from './audit';
import { preflightOnly, startRun, type EngineDeps } from './engine';
import { backIndex, firstChangeIndex, recoveryPlan } from './recovery-plan';

export interface RecoveryDeps extends EngineDeps {
  /** The recoveries of this workspace in this process (ServiceContext.recoveries). */
  recoveries: Map<number, RecoveryView>;
}

/** How many finished recoveries a session keeps to show. */
const KEPT = 20;

/** One pre-flight over every group of the recovery, read in parallel; nothing is changed. */
export async function recoveryPreflight(deps: EngineDeps, groupIds?: readonly number[]): Promise<RecoveryPreflight> {
  const plan = recoveryPlan(deps.db, groupIds);
  const began = Date.now();
  const groups: Preflight[] = await Promise.all(
    plan.groups.map((g) => preflightOnly(deps, g.groupId, g.targetServerId)),
  );
  return { groups, passed: groups.every((p) => p.passed), durationMs: Date.now() - began };
}

/** What startRecovery returns in-process: the view after the pre-flight, and its end. */
export interface StartedRecovery {
  view: RecoveryView;
  finished: Promise<RecoveryView>;
}

/**
 * Start a recovery: refused (audited, nothing run) without the company's name or with a plan that
 * changed since it was shown. Resolves once every group's pre-flight has answered.
 */
export async function startRecovery(deps: RecoveryDeps, raw: RecoveryStartInput): Promise<StartedRecovery> {
  const input = StartSchema.parse(raw);
  const actor = deps.actor ?? currentActor();
  const plan = recoveryPlan(deps.db, input.groupIds);
  if (input.confirmation.trim() !== plan.confirmationWord) {
    const message = `Type the company's name (${plan.confirmationWord}) to confirm the recovery`;
    throw new LifeboatError('invalid_input', message, [{ path: ['confirmation'], message }]);
  }
  if (input.planHash !== plan.planHash) {
    appendAudit(deps.db, {
      kind: 'refusal',
      actor,
      runId: null,
      groupId: null,
      detail: `refused to start a recovery: the groups, their runbooks or their order changed since the plan was shown (confirmed ${input.planHash.slice(0, 12)}, now ${plan.planHash.slice(0, 12)}); nothing was run`,
    });
    throw new LifeboatError(
      'conflict',
      'The recovery plan changed since you reviewed it (a group, its runbook or the order): nothing was run. Review it again and confirm.',
    );
  }
  const inPlan = new Set(plan.groups.map((g) => g.groupId));
  for (const entry of [...input.attestations, ...input.acknowledgeLag])
    if (!inPlan.has(entry.groupId))
      throw new LifeboatError('invalid_input', `group #${entry.groupId} is not part of this recovery`);
  const id = Math.max(0, ...deps.recoveries.keys()) + 1;
  for (const old of [...deps.recoveries.keys()].sort((a, b) => a - b).slice(0, -KEPT)) deps.recoveries.delete(old);
  const live = new LiveRecovery(deps, actor, id, plan, input);
  deps.recoveries.set(id, live.view);
  const finished = live.run();
  await live.preflightAnswered;
  return { view: structuredClone(live.view), finished };
}

interface Gate {
  promise: Promise<string | null>;
  resolve: (problem: string | null) => void;
}

function gate(): Gate {
  let resolve!: (problem: string | null) => void;
  const promise = new Promise<string | null>((r) => (resolve = r));
  return { promise, resolve };
}

/** The first problem any of `gates` reports, or null once all have passed. */
function firstProblem(gates: readonly Promise<string | null>[]): Promise<string | null> {
  return new Promise((resolve) => {
    let left = gates.length;
    if (left === 0) resolve(null);
    for (const g of gates)
      void g.then((problem) => {
        if (problem) resolve(problem);
        else if (--left === 0) resolve(null);
      });
  });
}

/** `promise`, or `timeoutText` once `ms` have passed (docs/safety.md, invariant 8: every wait is bounded). */
function bounded(promise: Promise<string | null>, ms: number, timeoutText: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(timeoutText), Math.max(0, ms));
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

class LiveRecovery {
  readonly view: RecoveryView;
  readonly preflightAnswered: Promise<void>;
  private readonly preflight = gate();
  private readonly back = new Map<number, Gate>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly deps: RecoveryDeps,
    private readonly actor: string,
    id: number,
    private readonly plan: RecoveryPlan,
    private readonly input: ReturnType<typeof StartSchema.parse>,
  ) {
    this.preflightAnswered = this.preflight.promise.then(() => undefined);
    for (const g of plan.groups) this.back.set(g.groupId, gate());
    this.view = {
      id,
      status: 'running',
      actor,
      companyName: plan.companyName,
      targetMinutes: plan.targetMinutes,
      planHash: plan.planHash,
      startedAt: this.startedAt,
      finishedAt: null,
      withinTarget: null,
      summary: '',
      groups: plan.groups.map((g) => ({
        groupId: g.groupId,
        groupName: g.groupName,
        priority: g.priority,
        needs: g.needs,
        targetName: g.targetName,
        runId: null,
        runStatus: null,
        state: 'waiting',
        detail: 'pre-flight',
        waiting: null,
        backAfterMs: null,
        endedAfterMs: null,
        rtoMinutes: g.rtoMinutes,
        services: g.services.map((s) => ({ ...s, withinRto: null })),
        manual: g.manual,
      })),
    };
  }

  /** Every group started together; resolves with the view once every group's run has ended. */
  async run(): Promise<RecoveryView> {
    const order = this.plan.groups
      .map(
        (g) =>
          `${g.groupName} → ${g.targetName} (priority ${g.priority}${g.needs.length ? `, after ${g.needs.join(', ')}` : ''})`,
      )
      .join('; ');
    this.audit(
      'confirmation',
      `${this.actor} typed "${this.plan.confirmationWord}" to start recovery #${this.view.id} of ${this.plan.groups.length} group(s): ${order} (recovery plan ${this.plan.planHash.slice(0, 12)})`,
    );
    this.changed();
    const ends = this.plan.groups.map((g) => this.startGroup(g));
    const problems = await Promise.all(ends.map((e) => e.started));
    const refusal = problems.find((p) => p !== null) ?? null;
    this.preflight.resolve(
      refusal === null ? null : `the recovery was refused at pre-flight (${refusal}): nothing was changed`,
    );
    await Promise.all(ends.map((e) => e.ended));
    return this.finish(refusal);
  }

  private group(groupId: number): RecoveryGroupView {
    return this.view.groups.find((g) => g.groupId === groupId)!;
  }

  private set(groupId: number, patch: Partial<RecoveryGroupView>): void {
    Object.assign(this.group(groupId), patch);
    this.changed();
  }

  private changed(): void {
    this.deps.emit('recovery.changed', structuredClone(this.view));
  }

  private audit(kind: 'confirmation' | 'run', detail: string): void {
    appendAudit(this.deps.db, { kind, actor: this.actor, runId: null, groupId: null, detail });
  }

  /** The group's clients reach it again: the groups that need it may go on. */
  private markBack(groupId: number): void {
    const view = this.group(groupId);
    if (view.backAfterMs !== null) return;
    const after = Date.now() - this.startedAt;
    this.set(groupId, {
      state: 'back',
      backAfterMs: after,
      services: view.services.map((s) => ({ ...s, withinRto: after <= s.rtoMinutes * 60_000 })),
    });
    this.back.get(groupId)!.resolve(null);
  }

  /** Start one group's run; `started` is its pre-flight problem (or null), `ended` its end. */
  private startGroup(g: RecoveryPlanGroup): { started: Promise<string | null>; ended: Promise<void> } {
    const firstChange = firstChangeIndex(g.plan);
    const lastBeforeBack = backIndex(g.plan);
    let passed = false;
    const beforeStep = async (index: number, remainingMs: number): Promise<string | null> => {
      if (index > lastBeforeBack) this.markBack(g.groupId);
      if (index < firstChange || passed) return null;
      passed = true;
      const waitingFor = g.needs.length ? `${g.needs.join(', ')} to be back` : 'the pre-flight of every group';
      this.set(g.groupId, { state: 'waiting', detail: `waiting for ${waitingFor}` });
      const needs = this.plan.groups.filter((o) => g.needs.includes(o.groupName));
      const problem = await bounded(
        firstProblem([this.preflight.promise, ...needs.map((o) => this.back.get(o.groupId)!.promise)]),
        remainingMs,
        `the run's deadline passed while waiting for ${waitingFor}`,
      );
      if (problem) {
        this.set(g.groupId, { state: 'held', detail: `changed nothing: ${problem}` });
        return problem;
      }
      this.set(g.groupId, { state: 'running', detail: '' });
      return null;
    };
    // This group's run.step events carry the question it waits on (a manual step, a halt).
    const emit: EventSink = (event, payload) => {
      this.deps.emit(event, payload);
      if (event !== 'run.step') return;
      const step = payload as RunStepEvent;
      const view = this.group(g.groupId);
      if (step.groupId === g.groupId && (view.runId === null || view.runId === step.runId))
        this.set(g.groupId, { waiting: step.waiting });
    };
    const attestation = this.input.attestations.find((a) => a.groupId === g.groupId)?.attestation;
    const lag = this.input.acknowledgeLag.find((a) => a.groupId === g.groupId);
    const begun = startRun(
      { ...this.deps, emit, actor: this.actor },
      {
        groupId: g.groupId,
        targetServerId: g.targetServerId,
        mode: 'real',
        confirmation: g.groupName,
        planHash: g.plan.planHash,
        attestation,
        acknowledgeLag: lag ? { lagSeconds: lag.lagSeconds } : undefined,
        deadlineMinutes: this.input.deadlineMinutes,
      },
      {
        beforeStep,
        confirmedBy: `confirmed recovery #${this.view.id} (typed "${this.plan.confirmationWord}")`,
      },
    );
    const started = begun.then(
      (run) => {
        if (run.refused) this.set(g.groupId, { runId: run.runId, state: 'failed', detail: run.refused });
        else this.set(g.groupId, { runId: run.runId });
        return run.refused ? `${g.groupName}: ${run.refused}` : null;
      },
      (error: Error) => {
        this.set(g.groupId, { state: 'failed', detail: `not started: ${error.message}` });
        return `${g.groupName}: ${error.message}`;
      },
    );
    const ended = begun
      .then((run) => run.finished ?? Promise.resolve<RunStatus>('failed'))
      .catch(() => 'failed' as RunStatus)
      .then((status) => this.runEnded(g, status));
    return { started, ended };
  }

  private runEnded(g: RecoveryPlanGroup, status: RunStatus): void {
    const view = this.group(g.groupId);
    if (status === 'succeeded') this.markBack(g.groupId);
    const state =
      view.state === 'held'
        ? 'held'
        : status === 'succeeded'
          ? 'succeeded'
          : status === 'aborted'
            ? 'aborted'
            : 'failed';
    const detail = state === 'held' || state === 'succeeded' ? view.detail : view.detail || `its run ${status}`;
    this.set(g.groupId, { runStatus: status, state, detail, waiting: null, endedAfterMs: Date.now() - this.startedAt });
    this.back.get(g.groupId)!.resolve(`${g.groupName} did not come back (its run ${status})`);
  }

  private finish(refusal: string | null): RecoveryView {
    const view = this.view;
    const elapsed = Date.now() - this.startedAt;
    const allBack = view.groups.every((g) => g.backAfterMs !== null);
    const latest = Math.max(0, ...view.groups.map((g) => g.backAfterMs ?? 0));
    view.status = refusal ? 'refused' : view.groups.every((g) => g.state === 'succeeded') ? 'succeeded' : 'failed';
    view.finishedAt = Date.now();
    view.withinTarget = view.targetMinutes === null ? null : allBack && latest <= view.targetMinutes * 60_000;
    const target =
      view.targetMinutes === null
        ? 'no company target set'
        : `target ${formatMinutes(view.targetMinutes)}: ${view.withinTarget ? 'within' : 'MISSED'}`;
    const lines = view.groups.map((g) => {
      const services = g.services
        .map(
          (s) =>
            `${s.name} RTO ${formatMinutes(s.rtoMinutes)}: ${s.withinRto === null ? 'not back' : s.withinRto ? 'within' : 'EXCEEDED'}`,
        )
        .join(', ');
      const when =
        g.backAfterMs === null
          ? `${g.state}${g.detail ? ` (${g.detail})` : ''}`
          : `back after ${seconds(g.backAfterMs)}`;
      return `${g.groupName} → ${g.targetName}: ${when}${services ? `; ${services}` : ''}`;
    });
    view.summary = `Recovery of ${view.companyName || 'the company'}: ${view.status} in ${seconds(elapsed)} (${target}). ${lines.join('. ')}`;
    this.audit('run', `recovery #${view.id}: ${view.summary}`);
    this.changed();
    return structuredClone(view);
  }
}
