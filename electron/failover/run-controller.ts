/**
 * One run of a runbook: steps in order, each action guarded, timed and bounded by its deadline;
 * manual steps wait for the operator's tick; a failed, refused or indeterminate step halts and asks
 * (retry, skip with a reason, abort) — an indeterminate one after re-reading state, never retried
 * by itself. Every transition is saved to the run row and streamed as `run.step`.
 */
import type { Db } from '../db/connection';
import type { EventSink } from '../host/dispatch';
import type { OperatorResponse, RunView, StepState, StepStatus, Waiting } from '../../shared/contract/failover';
import type { ActionStep, Runbook } from '../../shared/runbooks';
import { LifeboatError } from '../../shared/errors';
import type { RemoteRunner } from '../services/remote';
import { updateRun, type RunOwner } from '../db/repositories/runs';
import { appendAudit } from './audit';
import { actionModule, type ActionResult, type StepEnvironment } from './actions';
import { StepStop } from './actions/kit';
import { auditedExec, type ExecScope } from './exec';
import { planEnvironment } from './plan';
import type { GroupContext } from './definition';
import { releaseRunLock, setTokenActive } from './run-lock';
import { finalVerification } from './verification';

export interface RunDeps {
  db: Db;
  runner: RemoteRunner;
  emit: EventSink;
  actor: string;
}

export interface RunSetup {
  runId: number;
  owner: RunOwner;
  mode: 'real' | 'drill';
  context: GroupContext;
  runbook: Runbook;
  steps: StepState[];
  /** Members the pre-flight could not reach. */
  unreachable: ReadonlySet<number>;
  attested: boolean;
  acknowledgeLag: boolean;
  startedAt: number;
}

/** A person has this long to answer a halted or manual step before the run is aborted. */
export const OPERATOR_WAIT_MS = 8 * 3600_000;
/** Extra time after a step's deadline for the runner to report its cancelled command. */
const DEADLINE_GRACE_MS = 5000;
const DONE: readonly StepStatus[] = ['succeeded', 'no-op', 'skipped'];

interface Answer {
  action: OperatorResponse;
  reason?: string;
}

/** A fresh state for every step. */
export function pendingSteps(runbook: Runbook): StepState[] {
  return runbook.steps.map((step, index) => ({ index, title: step.title, status: 'pending', message: '', observed: '', startedAt: null, endedAt: null, elapsedMs: null, attempts: 0 }));
}

export class RunController {
  private waiting: (Waiting & { resolve: (answer: Answer) => void }) | null = null;
  private readonly acknowledged = new Set<number>();
  readonly finished: Promise<RunView['status']>;

  constructor(private readonly deps: RunDeps, readonly setup: RunSetup) {
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
    if (waiting.stepIndex !== stepIndex) throw new LifeboatError('conflict', `Run #${this.runId} is waiting on step ${waiting.stepIndex + 1}, not ${stepIndex + 1}`);
    if (!waiting.options.includes(action)) throw new LifeboatError('invalid_input', `"${action}" is not an answer to this step (choose ${waiting.options.join(', ')})`);
    if (action === 'skip' && !reason) throw new LifeboatError('invalid_input', 'Skipping a step needs a reason', [{ path: ['reason'], message: 'give a reason' }]);
    this.waiting = null;
    waiting.resolve({ action, reason });
  }

  private audit(kind: 'tick' | 'retry' | 'skip' | 'abort' | 'acknowledgement' | 'alarm' | 'run' | 'note', stepIndex: number | null, detail: string): void {
    appendAudit(this.deps.db, { kind, actor: this.deps.actor, runId: this.runId, groupId: this.setup.context.group.id, stepIndex, detail });
  }

  private update(index: number, patch: Partial<StepState>): void {
    const steps = this.setup.steps;
    steps[index] = { ...steps[index], ...patch };
    updateRun(this.deps.db, this.runId, { steps });
    this.deps.emit('run.step', { runId: this.runId, groupId: this.setup.context.group.id, step: steps[index], waiting: this.waitingFor });
  }

  private output(stepIndex: number, stream: 'info' | 'alarm', text: string, host = ''): void {
    this.deps.emit('run.output', { runId: this.runId, stepIndex, host, stream, text, at: Date.now() });
  }

  private scope(stepIndex: number | null, signal?: AbortSignal): ExecScope {
    return {
      db: this.deps.db, runner: this.deps.runner, actor: this.deps.actor, runId: this.runId, groupId: this.setup.context.group.id, stepIndex, signal,
      output: (line) => this.deps.emit('run.output', { ...line, runId: this.runId, at: Date.now() }),
    };
  }

  /** Wait (bounded) for the operator. */
  private ask(stepIndex: number, options: OperatorResponse[], prompt: string, status: StepStatus): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (this.waiting?.stepIndex === stepIndex) {
          this.waiting = null;
          resolve({ action: 'abort', reason: `nobody answered for ${OPERATOR_WAIT_MS / 3600_000} hours` });
        }
      }, OPERATOR_WAIT_MS);
      timer.unref?.();
      this.waiting = { stepIndex, options, prompt, resolve: (answer) => { clearTimeout(timer); resolve(answer); } };
      this.update(stepIndex, { status });
    });
  }

  private async loop(): Promise<RunView['status']> {
    let status: RunView['status'] = 'succeeded';
    let summary = '';
    try {
      for (let index = 0; index < this.setup.runbook.steps.length; index++) {
        if (DONE.includes(this.setup.steps[index].status)) continue;
        const outcome = await this.runStep(index);
        if (outcome === 'abort') { status = 'aborted'; break; }
      }
      if (status === 'succeeded') {
        const problems = await finalVerification(this.scope(-1), this.setup);
        for (const problem of problems) this.output(-1, 'alarm', problem);
        if (problems.length > 0) status = 'failed';
        summary = problems.join('; ');
      }
    } catch (error) {
      status = 'failed';
      summary = `the run stopped on an internal error: ${(error as Error).message}`;
    }
    return this.finish(status, summary);
  }

  private finish(status: RunView['status'], problems: string): RunView['status'] {
    const { context, mode, startedAt, steps } = this.setup;
    const elapsedMs = Date.now() - startedAt;
    const rto = context.rtoMinutes;
    const target = context.servers.get(this.setup.runbook.targetServerId)?.name ?? 'the target';
    const skipped = steps.filter((s) => s.status === 'skipped').length;
    const rtoText = rto === null ? 'no RTO set' : `RTO ${rto} min: ${elapsedMs <= rto * 60_000 ? 'within' : 'EXCEEDED'}`;
    const summary = `${mode === 'drill' ? 'Drill' : 'Failover'} of ${context.group.name} to ${target}: ${status} in ${(elapsedMs / 1000).toFixed(1)} s (${rtoText})${skipped ? `; ${skipped} step(s) skipped` : ''}${problems ? `; ${problems}` : ''}`;
    updateRun(this.deps.db, this.runId, { status, finishedAt: Date.now(), summary });
    this.audit('run', null, summary);
    releaseRunLock(this.deps.db, context.group.id, this.setup.owner);
    setTokenActive(this.setup.owner.token, false);
    this.deps.emit('run.finished', { runId: this.runId, groupId: context.group.id, status, elapsedMs, rtoMinutes: rto, summary });
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
      const answer = await this.ask(index, ['tick', 'skip', 'abort'], `${step.title}${step.role ? ` (${step.role})` : ''}: tick it when done`, 'waiting');
      return this.apply(index, answer, settle, 'done by the operator');
    }
    const unreachable = this.touched(step).filter((id) => this.setup.unreachable.has(id));
    if (unreachable.length > 0) {
      const names = unreachable.map((id) => this.setup.context.servers.get(id)?.name ?? `server ${id}`).join(', ');
      if (step.whenUnreachable === 'skip-when-attested' && this.setup.attested) {
        const reason = `${names} unreachable at pre-flight; attested powered off or isolated`;
        this.audit('skip', index, reason);
        settle('skipped', reason);
        return 'next';
      }
    }
    for (let attempt = 0; ; attempt++) {
      // One write per attempt: every commit between the release and the acquire is client downtime.
      this.update(index, { status: 'running', attempts: this.setup.steps[index].attempts + 1, ...(attempt === 0 ? { startedAt: began, message: '', observed: '' } : {}) });
      const result = await this.execute(index, step);
      if (result.status === 'succeeded' || result.status === 'no-op') {
        settle(result.status, result.message);
        return 'next';
      }
      this.update(index, { message: result.message, observed: result.observed ?? '' });
      this.output(index, result.status === 'indeterminate' ? 'alarm' : 'info', `${result.status}: ${result.message}${result.observed ? `\nobserved: ${result.observed}` : ''}`);
      const options: OperatorResponse[] = result.status === 'needs-acknowledgement' ? ['acknowledge', 'skip', 'abort'] : ['retry', 'skip', 'abort'];
      const answer = await this.ask(index, options, result.message, result.status);
      if (answer.action === 'retry' || answer.action === 'acknowledge') {
        if (answer.action === 'acknowledge') this.acknowledged.add(index);
        this.audit(answer.action === 'retry' ? 'retry' : 'acknowledgement', index, answer.reason ?? result.message);
        continue;
      }
      return this.apply(index, answer, settle, '');
    }
  }

  private apply(index: number, answer: Answer, settle: (status: StepStatus, message: string) => void, tickMessage: string): 'next' | 'abort' {
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
    return actionModule(step.action.kind).servers(step.action.params, env).map((s) => s.id);
  }

  /** Execute an action within its deadline; an indeterminate result comes with re-read state. */
  private async execute(index: number, step: ActionStep): Promise<ActionResult> {
    const module = actionModule(step.action.kind);
    const deadline = Date.now() + step.timeoutSeconds * 1000;
    const abort = new AbortController();
    const scope = this.scope(index, abort.signal);
    const env: StepEnvironment = {
      ...planEnvironment(this.setup.context, step.serverId),
      rpoMinutes: this.setup.context.rpoMinutes,
      acknowledged: this.acknowledged.has(index) || (step.action.kind === 'postgres.promote' && this.setup.acknowledgeLag),
      reachable: (id) => !this.setup.unreachable.has(id),
      exec: (server, purpose, script, options) =>
        auditedExec(scope, server, purpose, script, { ...options, timeoutMs: Math.max(1, Math.min(options.timeoutMs ?? deadline - Date.now(), deadline - Date.now())) }),
      info: (text) => this.output(index, 'info', text),
      remainingMs: () => Math.max(1, deadline - Date.now()),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now())))),
    };
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<ActionResult>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve({ status: 'indeterminate', message: `the step did not finish within ${step.timeoutSeconds} s` });
      }, step.timeoutSeconds * 1000 + DEADLINE_GRACE_MS);
    });
    let result: ActionResult;
    try {
      result = await Promise.race([module.execute(step.action.params, env), expired]);
    } catch (error) {
      if (error instanceof StepStop) result = error.result;
      else if (error instanceof LifeboatError) result = { status: 'refused', message: error.message };
      else result = { status: 'failed', message: `internal error: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
    if (result.status === 'indeterminate') {
      // Unknown is not success: re-read the state (fresh deadline) before asking the operator.
      const observeEnv = { ...env, exec: (server: Parameters<StepEnvironment['exec']>[0], purpose: string, script: string, options: Parameters<StepEnvironment['exec']>[3]) => auditedExec(this.scope(index), server, purpose, script, { ...options, timeoutMs: 10_000 }) };
      try {
        result = { ...result, observed: await module.observe(step.action.params, observeEnv) };
      } catch (error) {
        result = { ...result, observed: `the state could not be re-read: ${(error as Error).message}` };
      }
    }
    return result;
  }
}
