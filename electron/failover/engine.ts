/**
 * The failover engine: pre-flight, plan, start (real, drill or dry run), answers to halted steps,
 * and closing runs. The same engine serves every window, the web host and the CLI; runs this
 * process drives are kept here, others are seen through the database.
 */
import type { Db } from '../db/connection';
import type { EventSink } from '../host/dispatch';
import type { Plan, Preflight, RunView, StartInput, StartResult, OperatorResponse } from '../../shared/contract/failover';
import { StartInput as StartInputSchema } from '../../shared/contract/failover';
import { LifeboatError } from '../../shared/errors';
import type { RemoteRunner } from '../services/remote';
import { getRun, listRuns, updateRun, getLock, deleteLock } from '../db/repositories/runs';
import { appendAudit, currentActor } from './audit';
import { definitionHash, loadGroup, resolveRunbook } from './definition';
import type { ExecScope } from './exec';
import { buildPlan } from './plan';
import { runPreflight } from './preflight';
import { pendingSteps, RunController } from './run-controller';
import { acquireRunLock, effectiveStatus, newOwner, ownerAlive, releaseRunLock, setTokenActive } from './run-lock';
import { runView } from './run-view';

export interface EngineDeps {
  db: Db;
  runner: RemoteRunner;
  emit: EventSink;
  /** Who is operating ("alice@laptop"); the OS user by default. */
  actor?: string;
}

const controllers = new WeakMap<Db, Map<number, RunController>>();

function liveRuns(db: Db): Map<number, RunController> {
  let map = controllers.get(db);
  if (!map) {
    map = new Map();
    controllers.set(db, map);
  }
  return map;
}

function standaloneScope(deps: EngineDeps, groupId: number): ExecScope {
  return { db: deps.db, runner: deps.runner, actor: deps.actor ?? currentActor(), runId: null, groupId, stepIndex: null, output: () => undefined };
}

/** Live pre-flight outside a run (every read still audited). */
export async function preflightOnly(deps: EngineDeps, groupId: number, targetServerId: number): Promise<Preflight> {
  const context = loadGroup(deps.db, groupId);
  const runbook = resolveRunbook(deps.db, context, targetServerId);
  return runPreflight(standaloneScope(deps, groupId), context, runbook, { attested: false });
}

/** The plan, touching no host. */
export function planOnly(db: Db, groupId: number, targetServerId: number): Plan {
  const context = loadGroup(db, groupId);
  return buildPlan(context, resolveRunbook(db, context, targetServerId));
}

/** What start returns in-process: the contract's result and, for a started run, its end. */
export interface StartedRun extends StartResult {
  finished: Promise<RunView['status']> | null;
}

/** Start a run (or a dry run). Refusals before the lock throw; refusals at pre-flight are recorded on the run. */
export async function startRun(deps: EngineDeps, rawInput: StartInput): Promise<StartedRun> {
  const input = StartInputSchema.parse(rawInput);
  const { db } = deps;
  const actor = deps.actor ?? currentActor();
  const context = loadGroup(db, input.groupId);
  const runbook = resolveRunbook(db, context, input.targetServerId);
  const plan = buildPlan(context, runbook);
  if (input.mode === 'dry-run') {
    const preflight = await runPreflight(standaloneScope(deps, input.groupId), context, runbook, { attested: input.attestation !== undefined });
    return { runId: null, preflight, plan, refused: null, finished: null };
  }
  if (input.confirmation.trim() !== context.group.name) {
    const message = `Type the group's name (${context.group.name}) to confirm a ${input.mode === 'drill' ? 'drill' : 'failover'}`;
    throw new LifeboatError('invalid_input', message, [{ path: ['confirmation'], message }]);
  }
  const hash = definitionHash(context, runbook.steps);
  let steps = pendingSteps(runbook);
  if (input.resumeRunId !== undefined) {
    const previous = getRun(db, input.resumeRunId);
    if (previous && previous.definitionHash !== hash) {
      throw new LifeboatError('conflict', `The group or its runbook changed since run #${previous.id} started: close it with a note and start a new run`);
    }
    // Steps that finished stay finished; one caught mid-way starts again (its action is idempotent or guarded).
    if (previous) steps = previous.steps.map((s) => (['succeeded', 'no-op', 'skipped'].includes(s.status) ? s : { ...s, status: 'pending', message: s.status === 'pending' ? '' : `was ${s.status} when interrupted` }));
  }
  const owner = newOwner();
  const startedAt = Date.now();
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
      groupId: context.group.id, groupName: context.group.name, sourceServerId: runbook.sourceServerId, targetServerId: runbook.targetServerId,
      mode: input.mode, status: 'running', startedAt, finishedAt: null, definitionHash: hash, runbook: runbook.steps, preflight: null, steps,
      rtoMinutes: context.rtoMinutes, summary: '', note: '',
    },
    });
  } catch (error) {
    setTokenActive(owner.token, false);
    throw error;
  }
  const groupId = context.group.id;
  const audit = (kind: 'confirmation' | 'attestation' | 'acknowledgement' | 'alarm' | 'refusal' | 'run', detail: string) => appendAudit(db, { kind, actor, runId, groupId, detail });
  const target = context.servers.get(runbook.targetServerId)?.name ?? `server ${runbook.targetServerId}`;
  audit('confirmation', `${actor} typed "${context.group.name}" to ${input.resumeRunId ? 'resume' : 'start'} a ${input.mode} run to ${target}`);
  const refuse = (reason: string): StartedRun & { refused: string } => {
    audit('refusal', reason);
    const summary = `Refused at pre-flight: ${reason}`;
    updateRun(db, runId, { status: 'failed', finishedAt: Date.now(), summary });
    releaseRunLock(db, groupId, owner);
    setTokenActive(owner.token, false);
    deps.emit('run.finished', { runId, groupId, status: 'failed', elapsedMs: Date.now() - startedAt, rtoMinutes: context.rtoMinutes, summary });
    return { runId, preflight, plan, refused: summary, finished: null };
  };
  let preflight: Preflight;
  try {
    const scope: ExecScope = { ...standaloneScope(deps, groupId), actor, runId, stepIndex: -1, output: (line) => deps.emit('run.output', { ...line, runId, at: Date.now() }) };
    preflight = await runPreflight(scope, context, runbook, { attested: input.attestation !== undefined });
    updateRun(db, runId, { preflight });
  } catch (error) {
    updateRun(db, runId, { status: 'failed', finishedAt: Date.now(), summary: `pre-flight failed: ${(error as Error).message}` });
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
  if (preflight.needsAttestation && !input.attestation) {
    return refuse(preflight.checks.filter((c) => c.status === 'needs-attestation').map((c) => c.detail).join('; ') || 'the member being left cannot be reached: attestation required');
  }
  const unreachable = new Set(preflight.members.filter((m) => m.reachability !== 'reachable').map((m) => m.serverId));
  if (input.attestation && preflight.needsAttestation) {
    const names = preflight.members.filter((m) => unreachable.has(m.serverId)).map((m) => m.host).join(', ');
    audit('attestation', `${actor} attests ${names} is powered off or isolated: ${input.attestation.reason}`);
  }
  if (input.acknowledgeLag && preflight.needsAcknowledgement) audit('acknowledgement', `${actor} accepts the replay lag above the RPO`);
  const controller = new RunController(
    { db, runner: deps.runner, emit: deps.emit, actor },
    { runId, owner, mode: input.mode, context, runbook, steps, unreachable, attested: input.attestation !== undefined, acknowledgeLag: input.acknowledgeLag, startedAt },
  );
  const live = liveRuns(db);
  live.set(runId, controller);
  const finished = controller.finished.finally(() => live.delete(runId));
  return { runId, preflight, plan, refused: null, finished };
}

function requireRun(db: Db, runId: number) {
  const run = getRun(db, runId);
  if (!run) throw new LifeboatError('not_found', `There is no run #${runId}`);
  return run;
}

/** One run's view. */
export function viewRun(db: Db, runId: number): RunView {
  return runView(db, requireRun(db, runId), liveRuns(db).get(runId)?.waitingFor ?? null);
}

/** Runs newest first. */
export function viewRuns(db: Db, filter: { groupId?: number; limit: number }): RunView[] {
  const live = liveRuns(db);
  return listRuns(db, filter).map((run) => runView(db, run, live.get(run.id)?.waitingFor ?? null));
}

/** Answer a halted step of a run this process drives. */
export function respondToRun(db: Db, input: { runId: number; stepIndex: number; action: OperatorResponse; reason?: string }): RunView {
  const run = requireRun(db, input.runId);
  const controller = liveRuns(db).get(input.runId);
  if (!controller) {
    const status = effectiveStatus(run);
    if (status === 'running') throw new LifeboatError('conflict', `Run #${run.id} is driven by another Lifeboat (pid ${run.owner.pid} on ${run.owner.host}): answer it there`);
    throw new LifeboatError('conflict', `Run #${run.id} is ${status}: there is nothing to answer`);
  }
  controller.respond(input.stepIndex, input.action, input.reason);
  return viewRun(db, input.runId);
}

/** Close an interrupted, failed or aborted run with a note (its stale lock goes with it). */
export function closeRun(db: Db, runId: number, note: string, actor = currentActor()): RunView {
  const run = requireRun(db, runId);
  const status = effectiveStatus(run);
  if (status === 'running') throw new LifeboatError('conflict', `Run #${run.id} is still running: abort it first`);
  if (status === 'succeeded' || status === 'closed') throw new LifeboatError('conflict', `Run #${run.id} is ${status}: nothing to close`);
  const lock = getLock(db, run.groupId);
  if (lock && lock.runId === run.id && !ownerAlive(lock.owner)) deleteLock(db, run.groupId, lock.owner.token);
  updateRun(db, run.id, { status: 'closed', note, finishedAt: run.finishedAt ?? Date.now() });
  appendAudit(db, { kind: 'note', actor, runId: run.id, groupId: run.groupId, detail: `closed (was ${status}): ${note}` });
  return viewRun(db, run.id);
}
