/**
 * The failover engine: pre-flight, plan, start (real, drill or dry run), answers to halted steps,
 * and closing runs. The same engine serves every window, the web host and the CLI; runs this
 * process drives are kept here, others are seen through the database.
 */
import type { Db } from '../db/connection';
import type { EventSink } from '../ports/events';
import type { LiveRuns, ServiceContext } from '../ports/context';
import type {
  Plan,
  Preflight,
  RunView,
  StartInput,
  StartResult,
  OperatorResponse,
  StepState,
} from '../../shared/contract/failover';
import { StartInput as StartInputSchema } from '../../shared/contract/failover';
import { LifeboatError } from '../../shared/errors';
import type { RemoteRunner } from '../ports/remote';
import {
  getRun,
  listRuns,
  updateRun,
  getLock,
  deleteLock,
  getFailoverSetting,
  endedRunTokens,
} from '../db/repositories/runs';
import { appendAudit, currentActor } from './audit';
import { loadGroup, requireCurrentRunbook } from './definition';
import type { ExecScope } from './exec';
import { buildPlan } from './plan';
import { runPreflight } from './preflight';
import { attestationLines, attestationRefusal } from './attestation';
import { pendingSteps, RunController, type RunLimits, type RunSetup } from './run-controller';
import { acquireRunLock, effectiveStatus, newOwner, ownerAlive, releaseRunLock, setTokenActive } from './run-lock';
import { runView } from './run-view';
import { releaseHostLocks, takeHostLocks } from './host-lock-run';
import { judgeForReprotect, reprotectPreview, runbookToStart } from './reprotect';
import type { ReprotectPreview } from '../../shared/contract/reprotect';
import type { Runbook } from '../../shared/runbooks';

export interface EngineDeps {
  db: Db;
  runner: RemoteRunner;
  emit: EventSink;
  /** The runs this process drives (the ServiceContext's): a started run is kept there until it ends. */
  runs: LiveRuns;
  /** Who is operating ("alice@laptop"); the OS user by default. */
  actor?: string;
  /** Tighter bounds (tests): the run's deadline in ms, the operator wait, the attempts of a step. */
  limits?: Partial<RunLimits> & { runDeadlineMs?: number };
}

/** What the views of runs need: the workspace and the runs this process drives. */
export type RunsAccess = Pick<ServiceContext, 'db' | 'runs'>;

function standaloneScope(deps: EngineDeps, groupId: number): ExecScope {
  return {
    db: deps.db,
    runner: deps.runner,
    actor: deps.actor ?? currentActor(),
    runId: null,
    groupId,
    stepIndex: null,
    output: () => undefined,
  };
}

/** Live pre-flight outside a run (every read still audited). */
export async function preflightOnly(deps: EngineDeps, groupId: number, targetServerId: number): Promise<Preflight> {
  const context = loadGroup(deps.db, groupId);
  const runbook = requireCurrentRunbook(deps.db, context, targetServerId);
  return runPreflight(standaloneScope(deps, groupId), context, runbook, { attested: false });
}

/** The re-protect dry run: plan, live pre-flight and the reverse sync's overwrite preview (every read audited). */
export async function reprotectDryRun(deps: EngineDeps, groupId: number): Promise<ReprotectPreview> {
  const scope = standaloneScope(deps, groupId);
  return reprotectPreview(scope, groupId, (context, runbook) =>
    runPreflight(scope, context, runbook, { attested: false }),
  );
}

/** The plan, touching no host. */
export function planOnly(db: Db, groupId: number, targetServerId: number): Plan {
  const context = loadGroup(db, groupId);
  return buildPlan(context, requireCurrentRunbook(db, context, targetServerId));
}

/** What start returns in-process: the contract's result and, for a started run, its end. */
export interface StartedRun extends StartResult {
  finished: Promise<RunView['status']> | null;
}

/** Default bound on a whole run, unless the workspace's setting or the start says otherwise. */
export const DEFAULT_RUN_DEADLINE_MINUTES = 240;

/** The run deadline in minutes: the start's, else the workspace's setting, else 4 hours. */
export function runDeadlineMinutes(db: Db, requested?: number): number {
  if (requested !== undefined) return requested;
  const setting = getFailoverSetting(db, 'runDeadlineMinutes', DEFAULT_RUN_DEADLINE_MINUTES);
  return Number.isInteger(setting) && setting > 0 && setting <= 1440 ? setting : DEFAULT_RUN_DEADLINE_MINUTES;
}

/** Refuse (audited, nothing run) a start whose confirmed plan is not the plan of now. */
function requireConfirmedPlan(
  deps: EngineDeps,
  actor: string,
  input: ReturnType<typeof StartInputSchema.parse>,
  plan: Plan,
): void {
  if (input.planHash === undefined) {
    const message =
      'Review the plan first: failover.start needs the planHash of the plan you confirmed (failover.plan)';
    throw new LifeboatError('invalid_input', message, [{ path: ['planHash'], message }]);
  }
  if (input.planHash === plan.planHash) return;
  const detail = `refused to start: the runbook, the group or its servers changed since the plan was shown (confirmed plan ${input.planHash.slice(0, 12)}, now ${plan.planHash.slice(0, 12)}); nothing was run`;
  appendAudit(deps.db, { kind: 'refusal', actor, runId: input.resumeRunId ?? null, groupId: input.groupId, detail });
  throw new LifeboatError(
    'conflict',
    `The plan changed since you reviewed it (the runbook, the group or its servers were edited): nothing was run. Review the new plan and confirm again.`,
  );
}

/** The step a resumed run was caught in (neither finished nor pending), or null. */
function interruptedStep(steps: StepState[]): number | null {
  const found = steps.find((s) => !FINISHED.includes(s.status) && s.status !== 'pending');
  return found ? found.index : null;
}

const FINISHED: readonly StepState['status'][] = ['succeeded', 'no-op', 'skipped'];

/** What a whole-company recovery adds to a group's run (electron/failover/recovery.ts). */
export interface RunHooks {
  /** Holds a step until the groups this one needs are back (RunSetup.beforeStep). */
  beforeStep?: RunSetup['beforeStep'];
  /** Who confirmed, when it was not by typing the group's name: "recovery #3 (typed "Northwind")". */
  confirmedBy?: string;
}

/** Start a run (or a dry run). Refusals before the lock throw; refusals at pre-flight are recorded on the run. */
export async function startRun(deps: EngineDeps, rawInput: StartInput, hooks: RunHooks = {}): Promise<StartedRun> {
  const input = StartInputSchema.parse(rawInput);
  const { db } = deps;
  const actor = deps.actor ?? currentActor();
  const context = loadGroup(db, input.groupId);
  let runbook: Runbook;
  try {
    runbook = runbookToStart(db, context, input);
  } catch (error) {
    // A saved runbook gone stale since the plan was shown: refused (audited) before anything runs.
    appendAudit(db, {
      kind: 'refusal',
      actor,
      runId: input.resumeRunId ?? null,
      groupId: input.groupId,
      detail: `refused to start: ${(error as Error).message}`,
    });
    throw error;
  }
  const plan = buildPlan(context, runbook);
  // The pre-flight counts the member being left as attested only where the attestation names it.
  const attested = new Set(input.attestation?.servers.map((s) => s.serverId) ?? []);
  const sourceAttested = attested.has(runbook.sourceServerId);
  const reprotect = runbook.direction === 'reprotect';
  const judged = (preflight: Preflight) => (reprotect ? judgeForReprotect(preflight) : preflight);
  if (input.mode === 'dry-run') {
    const preflight = judged(
      await runPreflight(standaloneScope(deps, input.groupId), context, runbook, { attested: sourceAttested }),
    );
    return { runId: null, preflight, plan, refused: null, finished: null };
  }
  const previous = input.resumeRunId === undefined ? undefined : getRun(db, input.resumeRunId);
  // A resumed run keeps its mode: a drill stays a drill, a real failover stays real.
  const mode = previous?.mode ?? input.mode;
  if (input.confirmation.trim() !== context.group.name) {
    const message = `Type the group's name (${context.group.name}) to confirm a ${reprotect ? 're-protect' : mode === 'drill' ? 'drill' : 'failover'}`;
    throw new LifeboatError('invalid_input', message, [{ path: ['confirmation'], message }]);
  }
  requireConfirmedPlan(deps, actor, input, plan);
  const hash = plan.definitionHash;
  let steps = pendingSteps(runbook);
  let resumeIndex: number | null = null;
  if (previous) {
    if (previous.definitionHash !== hash) {
      throw new LifeboatError(
        'conflict',
        `The group or its runbook changed since run #${previous.id} started: close it with a note and start a new run`,
      );
    }
    // Finished steps stay finished; the one caught mid-way is re-observed and asked about first.
    resumeIndex = interruptedStep(previous.steps);
    steps = previous.steps.map((s) =>
      FINISHED.includes(s.status) || s.index === resumeIndex
        ? { ...s, message: s.index === resumeIndex ? `was ${s.status} when Lifeboat stopped` : s.message }
        : { ...s, status: 'pending', message: '' },
    );
  }
  const owner = newOwner();
  const startedAt = Date.now();
  const deadlineMinutes = runDeadlineMinutes(db, input.deadlineMinutes);
  // The owner counts as alive from the moment it may hold the lock (pre-flight runs under it).
  setTokenActive(owner.token, true);
  let runId: number;
  try {
    runId = acquireRunLock(db, {
      groupId: context.group.id,
      operator: actor,
      owner,
      resumeRunId: input.resumeRunId,
      run: {
        groupId: context.group.id,
        groupName: context.group.name,
        sourceServerId: runbook.sourceServerId,
        targetServerId: runbook.targetServerId,
        mode,
        status: 'running',
        startedAt,
        finishedAt: null,
        definitionHash: hash,
        runbook: runbook.steps,
        preflight: null,
        steps,
        rtoMinutes: context.rtoMinutes,
        summary: '',
        note: '',
      },
    });
  } catch (error) {
    setTokenActive(owner.token, false);
    throw error;
  }
  const groupId = context.group.id;
  const audit = (
    kind: 'confirmation' | 'attestation' | 'acknowledgement' | 'alarm' | 'refusal' | 'run',
    detail: string,
  ) => appendAudit(db, { kind, actor, runId, groupId, detail });
  const target = context.servers.get(runbook.targetServerId)?.name ?? `server ${runbook.targetServerId}`;
  audit(
    'confirmation',
    `${actor} ${hooks.confirmedBy ?? `typed "${context.group.name}"`} to ${input.resumeRunId ? 'resume' : 'start'} a ${reprotect ? 're-protect' : mode} run ${reprotect ? 'rebuilding' : 'to'} ${target} (plan ${plan.planHash.slice(0, 12)}, deadline ${deadlineMinutes} min)`,
  );
  const refuse = (reason: string): StartedRun & { refused: string } => {
    audit('refusal', reason);
    const summary = `Refused at pre-flight: ${reason}`;
    updateRun(db, runId, { status: 'failed', finishedAt: Date.now(), summary });
    releaseRunLock(db, groupId, owner);
    setTokenActive(owner.token, false);
    deps.emit('run.finished', {
      runId,
      groupId,
      status: 'failed',
      elapsedMs: Date.now() - startedAt,
      rtoMinutes: context.rtoMinutes,
      summary,
    });
    return { runId, preflight, plan, refused: summary, finished: null };
  };
  let preflight: Preflight;
  try {
    const scope: ExecScope = {
      ...standaloneScope(deps, groupId),
      actor,
      runId,
      stepIndex: -1,
      output: (line) => deps.emit('run.output', { ...line, runId, at: Date.now() }),
    };
    preflight = judged(await runPreflight(scope, context, runbook, { attested: sourceAttested }));
    updateRun(db, runId, { preflight });
  } catch (error) {
    updateRun(db, runId, {
      status: 'failed',
      finishedAt: Date.now(),
      summary: `pre-flight failed: ${(error as Error).message}`,
    });
    releaseRunLock(db, groupId, owner);
    setTokenActive(owner.token, false);
    throw error;
  }
  const blocks = preflight.checks.filter((c) => c.status === 'block');
  for (const block of blocks.filter((b) => b.detail.includes('TWO'))) {
    audit('alarm', block.detail);
    deps.emit('run.output', { runId, stepIndex: -1, host: '', stream: 'alarm', text: block.detail, at: Date.now() });
  }
  if (blocks.length > 0) return refuse(blocks.map((b) => `${b.name}: ${b.detail}`).join('; '));
  // An attestation names its servers and the pre-flight it answers; the pre-flight of now must agree.
  const attestationProblem = attestationRefusal(preflight, input.attestation);
  if (attestationProblem) return refuse(`attestation: ${attestationProblem}; nothing was run`);
  const unreachable = new Set(preflight.members.filter((m) => m.reachability !== 'reachable').map((m) => m.serverId));
  if (input.attestation)
    for (const line of attestationLines(actor, preflight, input.attestation)) audit('attestation', line);
  const lagShown = input.acknowledgeLag ? input.acknowledgeLag.lagSeconds : undefined;
  if (lagShown !== undefined) {
    audit(
      'acknowledgement',
      `${actor} accepts a replay lag of ${lagShown === null ? 'unknown size' : `${lagShown} s`} (RPO ${context.rpoMinutes ?? 'none'} min); more lag at promotion time asks again`,
    );
  }
  // The on-host lock, after pre-flight and before the first change: another workspace moving this
  // group now is refused here. A runbook of manual steps only changes nothing on the hosts.
  const runScope: ExecScope = {
    ...standaloneScope(deps, groupId),
    actor,
    runId,
    stepIndex: -1,
    output: (line) => deps.emit('run.output', { ...line, runId, at: Date.now() }),
  };
  const remote = runbook.steps.some((step) => step.type === 'action');
  const endedTokens = [...(previous ? [previous.owner.token] : []), ...endedRunTokens(db, groupId)];
  const hostLock = remote
    ? await takeHostLocks(runScope, context, { runId, token: owner.token, actor, unreachable, endedTokens })
    : null;
  if (hostLock?.refusal) return refuse(`on-host lock: ${hostLock.refusal}`);
  const releaseHostLock = async (): Promise<string[]> => (hostLock ? releaseHostLocks(runScope, hostLock.hold) : []);
  const controller = new RunController(
    { db, runner: deps.runner, emit: deps.emit, actor },
    {
      runId,
      owner,
      mode,
      context,
      runbook,
      steps,
      unreachable,
      attested,
      startedAt,
      acknowledgedLag: lagShown === undefined ? null : { lagSeconds: lagShown, at: preflight.at },
      deadlineAt: startedAt + (deps.limits?.runDeadlineMs ?? deadlineMinutes * 60_000),
      resumeIndex,
      limits: deps.limits,
      onEnd: releaseHostLock,
      beforeStep: hooks.beforeStep,
    },
  );
  deps.runs.set(runId, controller);
  const finished = controller.finished.finally(() => deps.runs.delete(runId));
  return { runId, preflight, plan, refused: null, finished };
}

function requireRun(db: Db, runId: number) {
  const run = getRun(db, runId);
  if (!run) throw new LifeboatError('not_found', `There is no run #${runId}`);
  return run;
}

/** One run's view. */
export function viewRun({ db, runs }: RunsAccess, runId: number): RunView {
  return runView(db, requireRun(db, runId), runs.get(runId)?.waitingFor ?? null);
}

/** Runs newest first. */
export function viewRuns({ db, runs }: RunsAccess, filter: { groupId?: number; limit: number }): RunView[] {
  return listRuns(db, filter).map((run) => runView(db, run, runs.get(run.id)?.waitingFor ?? null));
}

/** Answer a halted step of a run this process drives. */
export function respondToRun(
  access: RunsAccess,
  input: { runId: number; stepIndex: number; action: OperatorResponse; reason?: string },
): RunView {
  const run = requireRun(access.db, input.runId);
  const controller = access.runs.get(input.runId);
  if (!controller) {
    const status = effectiveStatus(run);
    if (status === 'running')
      throw new LifeboatError(
        'conflict',
        `Run #${run.id} is driven by another Lifeboat (pid ${run.owner.pid} on ${run.owner.host}): answer it there`,
      );
    throw new LifeboatError('conflict', `Run #${run.id} is ${status}: there is nothing to answer`);
  }
  controller.respond(input.stepIndex, input.action, input.reason);
  return viewRun(access, input.runId);
}

/** Close an interrupted, failed or aborted run with a note (its stale lock goes with it). */
export function closeRun(access: RunsAccess, runId: number, note: string, actor = currentActor()): RunView {
  const { db } = access;
  const run = requireRun(db, runId);
  const status = effectiveStatus(run);
  if (status === 'running') throw new LifeboatError('conflict', `Run #${run.id} is still running: abort it first`);
  if (status === 'succeeded' || status === 'closed')
    throw new LifeboatError('conflict', `Run #${run.id} is ${status}: nothing to close`);
  const lock = getLock(db, run.groupId);
  if (lock && lock.runId === run.id && !ownerAlive(lock.owner)) deleteLock(db, run.groupId, lock.owner.token);
  updateRun(db, run.id, { status: 'closed', note, finishedAt: run.finishedAt ?? Date.now() });
  appendAudit(db, {
    kind: 'note',
    actor,
    runId: run.id,
    groupId: run.groupId,
    detail: `closed (was ${status}): ${note}`,
  });
  return viewRun(access, run.id);
}
