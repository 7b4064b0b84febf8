/**
 * One run of a runbook: steps in order, each action guarded, timed and bounded by its deadline and
 * the run's; manual steps wait (bounded) for the operator's tick; a failed, refused or
 * indeterminate step halts and asks (retry — at most a few times —, skip with a reason, abort) —
 * an indeterminate one after re-reading state, never retried by itself. A resumed run re-reads
 * the step Lifeboat stopped in and asks before anything runs. Every transition is saved to the
 * run row and streamed as `run.step`.
 */
import type { OperatorResponse, RunView, StepState, StepStatus, Waiting } from '../../shared/contract/failover';
import type { ActionStep } from '../../shared/runbooks';
import { LifeboatError } from '../../shared/errors';
import { updateRun } from '../db/repositories/runs';
import { appendAudit } from './audit';
import { actionModule, type ActionResult } from './actions';
import type { DeletionAcknowledgement } from './actions/kit';
import type { LagAcknowledgement } from './actions/postgres-promote';
import type { ExecScope } from './exec';
import { planEnvironment } from './plan';
import { releaseRunLock, setTokenActive } from './run-lock';
import { executeStep, observeStep, RESUME_OBSERVABLE, type StepExecution } from './step-execution';
import { finalVerification } from './verification';
import { goodDrillProblems } from './drill-judgement';
import { recordRunOutcome } from './group-record';

import { DEFAULT_LIMITS, type RunDeps, type RunLimits, type RunSetup } from './run-setup';

export * from './run-setup';

const DONE: readonly StepStatus[] = ['succeeded', 'no-op', 'skipped'];

interface Answer {
  action: OperatorResponse;
  reason?: string;
}

export class RunController {
  private waiting: (Waiting & { resolve: (answer: Answer) => void }) | null = null;
  /** Per step: the deletion list acknowledged (a different list asks again). */
  private readonly acknowledgedDeletions = new Map<number, DeletionAcknowledgement>();
  private readonly acknowledgedLag = new Map<number, LagAcknowledgement>();
  readonly finished: Promise<RunView['status']>;

  constructor(
    private readonly deps: RunDeps,
    readonly setup: RunSetup,
  ) {
    setTokenActive(setup.owner.token, true);
    this.finished = this.loop();
  }

  get runId(): number {
    return this.setup.runId;
  }

  /** The question the run is waiting on, if any. */
  get waitingFor(): Waiting | null {
    if (!this.waiting) return null;
    const { stepIndex, options, prompt } = this.waiting;
    return { stepIndex, options, prompt };
  }

  /** Answer the waiting step; refuses an answer that does not fit it. */
  respond(stepIndex: number, action: OperatorResponse, reason?: string): void {
    const waiting = this.waiting;
    if (!waiting) throw new LifeboatError('conflict', `Run #${this.runId} is not waiting for an answer`);
    if (waiting.stepIndex !== stepIndex)
      throw new LifeboatError(
        'conflict',
        `Run #${this.runId} is waiting on step ${waiting.stepIndex + 1}, not ${stepIndex + 1}`,
      );
    if (!waiting.options.includes(action))
      throw new LifeboatError(
        'invalid_input',
        `"${action}" is not an answer to this step (choose ${waiting.options.join(', ')})`,
      );
    if (action === 'skip' && !reason)
      throw new LifeboatError('invalid_input', 'Skipping a step needs a reason', [
        { path: ['reason'], message: 'give a reason' },
      ]);
    this.waiting = null;
    waiting.resolve({ action, reason });
  }

  private audit(
    kind: 'tick' | 'retry' | 'skip' | 'abort' | 'acknowledgement' | 'alarm' | 'run' | 'note',
    stepIndex: number | null,
    detail: string,
  ): void {
    appendAudit(this.deps.db, {
      kind,
      actor: this.deps.actor,
      runId: this.runId,
      groupId: this.setup.context.group.id,
      stepIndex,
      detail,
    });
  }

  private update(index: number, patch: Partial<StepState>): void {
    const steps = this.setup.steps;
    steps[index] = { ...steps[index], ...patch };
    updateRun(this.deps.db, this.runId, { steps });
    this.deps.emit('run.step', {
      runId: this.runId,
      groupId: this.setup.context.group.id,
      step: steps[index],
      waiting: this.waitingFor,
    });
  }

  private output(stepIndex: number, stream: 'info' | 'alarm', text: string, host = ''): void {
    this.deps.emit('run.output', { runId: this.runId, stepIndex, host, stream, text, at: Date.now() });
  }

  private scope(stepIndex: number | null, signal?: AbortSignal): ExecScope {
    return {
      db: this.deps.db,
      runner: this.deps.runner,
      actor: this.deps.actor,
      runId: this.runId,
      groupId: this.setup.context.group.id,
      stepIndex,
      signal,
      output: (line) => this.deps.emit('run.output', { ...line, runId: this.runId, at: Date.now() }),
    };
  }

  private get limits(): RunLimits {
    return { ...DEFAULT_LIMITS, ...this.setup.limits };
  }

  private runRemainingMs(): number {
    return this.setup.deadlineAt - Date.now();
  }

  /** Wait for the operator, bounded by the operator wait and by the run's deadline. */
  private ask(stepIndex: number, options: OperatorResponse[], prompt: string, status: StepStatus): Promise<Answer> {
    return new Promise((resolve) => {
      const { operatorWaitMs } = this.limits;
      const runLeft = this.runRemainingMs();
      const waitMs = Math.max(0, Math.min(operatorWaitMs, runLeft));
      const why =
        runLeft <= operatorWaitMs
          ? `the run's deadline (${this.deadlineText()}) passed while waiting for an answer`
          : `nobody answered for ${Math.round(operatorWaitMs / 60_000)} minutes`;
      const timer = setTimeout(() => {
        if (this.waiting?.stepIndex === stepIndex) {
          this.waiting = null;
          resolve({ action: 'abort', reason: why });
        }
      }, waitMs);
      timer.unref?.();
      this.waiting = {
        stepIndex,
        options,
        prompt,
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
      };
      this.update(stepIndex, { status });
    });
  }

  private deadlineText(): string {
    return `${Math.round((this.setup.deadlineAt - this.setup.startedAt) / 60_000)} min after the start`;
  }

  private async loop(): Promise<RunView['status']> {
    let status: RunView['status'] = 'succeeded';
    let summary = '';
    try {
      for (let index = 0; index < this.setup.runbook.steps.length; index++) {
        if (DONE.includes(this.setup.steps[index].status)) continue;
        if (this.runRemainingMs() <= 0) {
          const reason = `the run's deadline (${this.deadlineText()}) passed before this step`;
          this.audit('abort', index, reason);
          this.update(index, { status: 'aborted', message: reason });
          status = 'aborted';
          break;
        }
        const held = await this.setup.beforeStep?.(index, this.runRemainingMs());
        if (held) {
          this.audit('abort', index, held);
          this.update(index, { status: 'aborted', message: held });
          status = 'aborted';
          break;
        }
        const outcome = await this.runStep(index);
        if (outcome === 'abort') {
          status = 'aborted';
          break;
        }
      }
      if (status === 'succeeded') {
        const problems = await finalVerification(this.scope(-1), this.setup);
        for (const problem of problems) {
          // Two holders or two primaries are alarms: recorded as such, not only shown.
          if (problem.alarm) this.audit('alarm', null, problem.text);
          this.output(-1, 'alarm', problem.text);
        }
        if (problems.length > 0) status = 'failed';
        summary = problems.map((p) => p.text).join('; ');
      }
    } catch (error) {
      status = 'failed';
      summary = `the run stopped on an internal error: ${(error as Error).message}`;
    }
    try {
      for (const problem of (await this.setup.onEnd?.()) ?? []) {
        this.audit('alarm', null, problem);
        this.output(-1, 'alarm', problem);
      }
    } catch (error) {
      this.output(-1, 'alarm', `the on-host lock was not released: ${(error as Error).message}`);
    }
    return this.finish(status, summary);
  }

  private finish(status: RunView['status'], problems: string): RunView['status'] {
    const { context, mode, startedAt, steps } = this.setup;
    const elapsedMs = Date.now() - startedAt;
    const rto = context.rtoMinutes;
    const target = context.servers.get(this.setup.runbook.targetServerId)?.name ?? 'the target';
    const skipped = steps.filter((s) => s.status === 'skipped').length;
    const rtoText =
      rto === null ? 'no RTO set' : `RTO ${rto} min: ${elapsedMs <= rto * 60_000 ? 'within' : 'EXCEEDED'}`;
    const notGood =
      mode === 'drill' && status === 'succeeded' ? goodDrillProblems(this.deps.db, this.runId, steps) : [];
    const drillText = notGood.length > 0 ? `; not a good drill: ${notGood.join(', ')}` : '';
    const recorded = recordRunOutcome(this.deps.db, this.setup, this.runId, status);
    const what = this.setup.runbook.direction === 'reprotect' ? 'Re-protect' : mode === 'drill' ? 'Drill' : 'Failover';
    const summary = `${what} of ${context.group.name} to ${target}: ${status} in ${(elapsedMs / 1000).toFixed(1)} s (${rtoText})${skipped ? `; ${skipped} step(s) skipped` : ''}${drillText}${problems ? `; ${problems}` : ''}${recorded ? `; recorded: ${recorded}` : ''}`;
    updateRun(this.deps.db, this.runId, { status, finishedAt: Date.now(), summary });
    this.audit('run', null, summary);
    releaseRunLock(this.deps.db, context.group.id, this.setup.owner);
    setTokenActive(this.setup.owner.token, false);
    this.deps.emit('run.finished', {
      runId: this.runId,
      groupId: context.group.id,
      status,
      elapsedMs,
      rtoMinutes: rto,
      summary,
    });
    return status;
  }

  /** Run one step to a settled state; 'abort' ends the run. */
  private async runStep(index: number): Promise<'next' | 'abort'> {
    const step = this.setup.runbook.steps[index];
    const began = Date.now();
    const settle = (status: StepStatus, message: string) => {
      const endedAt = Date.now();
      this.update(index, { status, message, endedAt, elapsedMs: endedAt - began });
    };
    if (step.type === 'manual') {
      this.update(index, { status: 'running', startedAt: began, message: '', observed: '' });
      const answer = await this.ask(
        index,
        ['tick', 'skip', 'abort'],
        `${step.title}${step.role ? ` (${step.role})` : ''}: tick it when done`,
        'waiting',
      );
      return this.apply(index, answer, settle, 'done by the operator');
    }
    const unreachable = this.touched(step).filter((id) => this.setup.unreachable.has(id));
    if (unreachable.length > 0) {
      const names = unreachable.map((id) => this.setup.context.servers.get(id)?.name ?? `server ${id}`).join(', ');
      if (step.whenUnreachable === 'skip-when-attested' && unreachable.every((id) => this.setup.attested.has(id))) {
        const reason = `${names} unreachable at pre-flight; attested powered off or isolated`;
        this.audit('skip', index, reason);
        settle('skipped', reason);
        return 'next';
      }
    }
    if (index === this.setup.resumeIndex) {
      // Lifeboat stopped during this step: its outcome is unknown. Re-read, then ask; never re-run blindly.
      const answer = await this.askAfterInterruption(index, step);
      if (answer.action !== 'retry') return this.apply(index, answer, settle, '');
      this.audit('retry', index, answer.reason ?? 'run the interrupted step again after re-reading its state');
    }
    for (let attempt = 0; ; attempt++) {
      const attempts = this.setup.steps[index].attempts + 1;
      // One write per attempt: every commit between the release and the acquire is client downtime.
      this.update(index, {
        status: 'running',
        attempts,
        ...(attempt === 0 ? { startedAt: began, message: '', observed: '' } : {}),
      });
      const result = await executeStep(this.execution(index, step));
      if (result.status === 'succeeded' || result.status === 'no-op') {
        settle(result.status, result.message);
        return 'next';
      }
      this.update(index, { message: result.message, observed: result.observed ?? '' });
      if (result.alarm) this.audit('alarm', index, result.alarm);
      this.output(
        index,
        result.status === 'indeterminate' || result.alarm ? 'alarm' : 'info',
        `${result.status}: ${result.message}${result.observed ? `\nobserved: ${result.observed}` : ''}`,
      );
      const spent = attempts >= this.limits.maxAttempts;
      const again: OperatorResponse[] = spent
        ? []
        : [result.status === 'needs-acknowledgement' ? 'acknowledge' : 'retry'];
      const prompt = spent
        ? `${result.message} (tried ${attempts} times: skip with a reason or abort)`
        : result.message;
      const answer = await this.ask(index, [...again, 'skip', 'abort'], prompt, result.status);
      if (answer.action === 'retry' || answer.action === 'acknowledge') {
        this.audit(answer.action === 'retry' ? 'retry' : 'acknowledgement', index, answer.reason ?? result.message);
        if (answer.action === 'acknowledge') this.acknowledge(index, result);
        continue;
      }
      return this.apply(index, answer, settle, '');
    }
  }

  private acknowledge(index: number, result: ActionResult): void {
    if (result.deletions) this.acknowledgedDeletions.set(index, result.deletions);
    if (result.lag) this.acknowledgedLag.set(index, result.lag);
  }

  /** The interrupted step of a resumed run: re-observe what can be, mark it indeterminate, and ask. */
  private async askAfterInterruption(index: number, step: ActionStep): Promise<Answer> {
    const was = this.setup.steps[index].message;
    const observed = RESUME_OBSERVABLE.includes(step.action.kind)
      ? await observeStep(this.execution(index, step))
      : "not re-read automatically: check this step's state on the host before answering";
    const message = `Lifeboat stopped during this step (${was || 'outcome unknown'}): it is indeterminate`;
    this.update(index, { status: 'indeterminate', message, observed });
    this.output(index, 'alarm', `indeterminate: ${message}\nobserved: ${observed}`);
    return this.ask(
      index,
      ['retry', 'skip', 'abort'],
      `${message}. Observed: ${observed}. Retry it, skip it with a reason, or abort.`,
      'indeterminate',
    );
  }

  private apply(
    index: number,
    answer: Answer,
    settle: (status: StepStatus, message: string) => void,
    tickMessage: string,
  ): 'next' | 'abort' {
    if (answer.action === 'tick') {
      this.audit('tick', index, tickMessage);
      settle('succeeded', tickMessage);
      return 'next';
    }
    if (answer.action === 'skip') {
      this.audit('skip', index, answer.reason ?? '');
      settle('skipped', `skipped: ${answer.reason ?? ''}`);
      return 'next';
    }
    this.audit('abort', index, answer.reason ?? 'aborted by the operator');
    settle('aborted', answer.reason ?? 'aborted by the operator');
    return 'abort';
  }

  private touched(step: ActionStep): number[] {
    const env = planEnvironment(this.setup.context, step.serverId);
    return actionModule(step.action.kind)
      .servers(step.action.params, env)
      .map((s) => s.id);
  }

  private execution(index: number, step: ActionStep): StepExecution {
    return {
      context: this.setup.context,
      step,
      scope: (signal) => this.scope(index, signal),
      info: (text) => this.output(index, 'info', text),
      rpoMinutes: this.setup.context.rpoMinutes,
      acknowledgedDeletions: this.acknowledgedDeletions.get(index) ?? null,
      acknowledgedLag:
        this.acknowledgedLag.get(index) ??
        (step.action.kind === 'postgres.promote' ? this.setup.acknowledgedLag : null),
      reachable: (id) => !this.setup.unreachable.has(id),
      runRemainingMs: () => this.runRemainingMs(),
    };
  }
}
