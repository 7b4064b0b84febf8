/**
 * Executing one action step inside its deadline (the step's own bound, cut to what is left of the
 * run's), and re-reading the state after an unknown outcome or an interrupted run. Unknown is not
 * success: an indeterminate result always comes back with what was re-observed. An internal error
 * after a command was sent is indeterminate too (the command may have acted), never "failed".
 */
import type { ActionKind, ActionStep } from '../../shared/runbooks';
import { LifeboatError } from '../../shared/errors';
import { actionModule, type ActionResult, type StepEnvironment } from './actions';
import { StepStop, type DeletionAcknowledgement } from './actions/kit';
import type { LagAcknowledgement } from './actions/postgres-promote';
import { auditedExec, type ExecScope } from './exec';
import { planEnvironment } from './plan';
import type { GroupContext } from './definition';

/** Extra time after a step's deadline for the runner to report its cancelled command. */
const DEADLINE_GRACE_MS = 5000;
/** Bound on each re-read after an unknown outcome. */
const OBSERVE_TIMEOUT_MS = 10_000;

/** Kinds whose state can be re-read on resume (who holds the VIP; pg_is_in_recovery()). */
export const RESUME_OBSERVABLE: readonly ActionKind[] = ['vip.release', 'vip.acquire', 'vip.watch', 'postgres.promote'];

export interface StepExecution {
  context: GroupContext;
  step: ActionStep;
  /** Builds the audited scope of the step (with the cancel signal of this attempt). */
  scope(signal?: AbortSignal): ExecScope;
  info(text: string): void;
  rpoMinutes: number | null;
  acknowledgedDeletions: DeletionAcknowledgement | null;
  acknowledgedLag: LagAcknowledgement | null;
  reachable(serverId: number): boolean;
  /** Milliseconds left of the whole run. */
  runRemainingMs(): number;
}

/** Counts the commands handed to the runner, so an error after one was sent is known to be after. */
interface SentCounter {
  commands: number;
}

function environment(
  run: StepExecution,
  scope: ExecScope,
  deadline: number,
  sent: SentCounter = { commands: 0 },
): StepEnvironment {
  const left = () => Math.max(1, deadline - Date.now());
  return {
    ...planEnvironment(run.context, run.step.serverId),
    rpoMinutes: run.rpoMinutes,
    acknowledgedDeletions: run.acknowledgedDeletions,
    acknowledgedLag: run.acknowledgedLag,
    reachable: run.reachable,
    exec: (server, purpose, script, options) => {
      sent.commands++;
      return auditedExec(scope, server, purpose, script, {
        ...options,
        timeoutMs: Math.min(options.timeoutMs ?? left(), left()),
      });
    },
    info: run.info,
    remainingMs: left,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now())))),
  };
}

/** Re-read the state the step changes, as a sentence (never throws). */
export async function observeStep(run: StepExecution): Promise<string> {
  const module = actionModule(run.step.action.kind);
  const env = environment(run, run.scope(), Date.now() + OBSERVE_TIMEOUT_MS);
  try {
    return await module.observe(run.step.action.params, env);
  } catch (error) {
    return `the state could not be re-read: ${(error as Error).message}`;
  }
}

/** Run the action within min(its timeout, the run's remaining time); indeterminate comes with re-read state. */
export async function executeStep(run: StepExecution): Promise<ActionResult> {
  const { step } = run;
  const module = actionModule(step.action.kind);
  const boundMs = Math.max(1, Math.min(step.timeoutSeconds * 1000, run.runRemainingMs()));
  const abort = new AbortController();
  const sent: SentCounter = { commands: 0 };
  const env = environment(run, run.scope(abort.signal), Date.now() + boundMs, sent);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<ActionResult>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve({ status: 'indeterminate', message: `the step did not finish within ${Math.round(boundMs / 1000)} s` });
    }, boundMs + DEADLINE_GRACE_MS);
  });
  let result: ActionResult;
  try {
    result = await Promise.race([module.execute(step.action.params, env), expired]);
  } catch (error) {
    if (error instanceof StepStop) result = error.result;
    else if (error instanceof LifeboatError) result = { status: 'refused', message: error.message };
    // After a command went out, an error of Lifeboat's own says nothing about the host: unknown, re-read.
    else if (sent.commands > 0)
      result = {
        status: 'indeterminate',
        message: `internal error after ${sent.commands} command(s) were sent: ${(error as Error).message}`,
      };
    else
      result = { status: 'failed', message: `internal error before any command was sent: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
  if (result.status === 'indeterminate') result = { ...result, observed: await observeStep(run) };
  return result;
}
