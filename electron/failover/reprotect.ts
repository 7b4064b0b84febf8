/**
 * Re-protect: after a failover, make the member left behind a standby of the primary now again.
 * The runbook is generated (shared/logic/reprotect-runbook.ts) from the group and its recorded
 * state, and runs in the same engine as a failover (pre-flight, the exact commands, typed
 * confirmation, audit). Its pre-flight is the failover's, judged for a rebuild: the member to
 * rebuild is expected stopped or broken (not a blocker), the primary now must answer, and no lag
 * is acknowledged. The dry run also reads what the reverse sync would overwrite or delete on the
 * member that comes back (an rsync dry run from the VIP holder, read only and audited).
 */
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { Preflight, StartInput } from '../../shared/contract/failover';
import type { OverwritePreview, ReprotectPreview } from '../../shared/contract/reprotect';
import { LifeboatError } from '../../shared/errors';
import { Runbook, type ActionStep } from '../../shared/runbooks';
import { reprotectEnds, reprotectSteps, type ReprotectOptions } from '../../shared/logic/reprotect-runbook';
import { getGroupState } from '../db/repositories/group-state';
import { listRunbooks } from '../db/repositories/runbooks';
import { auditedExec, type ExecScope } from './exec';
import { loadGroup, requireCurrentRunbook, type GroupContext } from './definition';
import { buildPlan } from './plan';
import { outcomeText } from './actions/kit';
import { overwriteList, overwritePreviewScript } from './actions/rsync-preview';
import { addressSanityProblem, findAddress, listAddressesScript, parseAddresses } from './actions/vip-state';

/** How the group's saved runbooks reach the members for rsync (the first sync step found), if any says. */
function savedRsyncAccess(db: Db, groupId: number): ReprotectOptions['rsync'] {
  for (const runbook of listRunbooks(db, groupId))
    for (const step of runbook.steps)
      if (step.type === 'action' && step.action.kind === 'rsync.sync') {
        const { sshUser, identityFile, knownHostsFile, maxDelete } = step.action.params;
        return { sshUser, identityFile, knownHostsFile, maxDelete };
      }
  return undefined;
}

/** The group's re-protect runbook as things are recorded now (generated, never saved). */
function reprotectRunbook(db: Db, context: GroupContext, options: ReprotectOptions = {}): Runbook {
  const state = getGroupState(db, context.group.id);
  const ends = reprotectEnds(context.group, state?.primaryServerId ?? null);
  if (typeof ends === 'string') throw new LifeboatError('invalid_input', ends, [{ path: ['groupId'], message: ends }]);
  const rsync = options.rsync ?? savedRsyncAccess(db, context.group.id);
  const steps = reprotectSteps(context.group, ends, [...context.servers.values()], { ...options, rsync });
  return Runbook.parse({
    id: null,
    groupId: context.group.id,
    direction: 'reprotect',
    sourceServerId: ends.primaryServerId,
    targetServerId: ends.targetServerId,
    steps,
    updatedAt: null,
    problems: [],
  });
}

/** The runbook a start runs: the move to the target, or the group's re-protect (whose target must be the one shown). */
export function runbookToStart(
  db: Db,
  context: GroupContext,
  input: Pick<StartInput, 'purpose' | 'mode' | 'targetServerId'>,
): Runbook {
  if (input.purpose !== 'reprotect') return requireCurrentRunbook(db, context, input.targetServerId);
  if (input.mode === 'drill')
    throw new LifeboatError('invalid_input', 'A re-protect is not a drill: start it as a real run (or a dry run)', [
      { path: ['mode'], message: 'real or dry-run' },
    ]);
  const runbook = reprotectRunbook(db, context);
  if (runbook.targetServerId !== input.targetServerId) {
    const name = (id: number) => context.servers.get(id)?.name ?? `server ${id}`;
    throw new LifeboatError(
      'conflict',
      `The re-protect of ${context.group.name} now rebuilds ${name(runbook.targetServerId)}, not ${name(input.targetServerId)} (the group's recorded primary changed): review the new plan`,
    );
  }
  return runbook;
}

/** The plan of the re-protect, touching no host. */
export function reprotectPlan(db: Db, groupId: number): ReprotectPreview {
  const context = loadGroup(db, groupId);
  return {
    plan: buildPlan(context, reprotectRunbook(db, context)),
    state: getGroupState(db, groupId),
    preflight: null,
    overwrites: [],
    previewProblems: [],
  };
}

/**
 * The failover pre-flight judged for a re-protect: the member to rebuild may be stopped (it is
 * rebuilt) and is not promoted, so its PostgreSQL state and lag are not asked about; the primary
 * now (the run's source) must answer, since everything is copied from it: it cannot be attested.
 */
export function judgeForReprotect(preflight: Preflight): Preflight {
  const checks = preflight.checks
    .filter((c) => c.name !== 'PostgreSQL target' && c.name !== 'replication lag')
    .map((c) => {
      if (c.name !== 'old member') return c;
      // The run's source is the primary now: everything is copied from it, so it must answer.
      if (c.status === 'ok')
        return {
          ...c,
          name: 'primary now',
          detail: c.detail.replace(/: it will be released and fenced first$/, ': everything is copied from it'),
        };
      return {
        ...c,
        name: 'primary now',
        status: 'block' as const,
        // The failover's advice (release, attest powered off) does not apply: say what the member's read said.
        detail: `${preflight.members.find((m) => m.serverId === preflight.sourceServerId)?.detail ?? c.detail}. Everything is copied from the primary now: it must answer to re-protect.`,
      };
    });
  return {
    ...preflight,
    checks,
    passed: !checks.some((c) => c.status === 'block'),
    needsAttestation: false,
    needsAcknowledgement: false,
  };
}

/** Read who holds `address` on a server, or why it is unknown. */
async function holds(scope: ExecScope, server: Server, address: string): Promise<boolean | string> {
  const outcome = await auditedExec(
    scope,
    server,
    `does ${server.name} hold ${address}?`,
    listAddressesScript(server.os),
    {
      readOnly: true,
      quick: true,
      timeoutMs: 10_000,
    },
  );
  if (outcome.kind !== 'ok') return `${server.name}: ${outcomeText(outcome)}`;
  const addresses = parseAddresses(server.os, outcome.result.stdout);
  const problem = addressSanityProblem(server, addresses);
  if (problem) return `${server.name}: ${problem}`;
  return findAddress(addresses, address) !== undefined;
}

/** What one previewing sync step would overwrite or delete, read with an rsync dry run from the VIP holder. */
async function previewStep(
  scope: ExecScope,
  context: GroupContext,
  step: ActionStep,
  index: number,
): Promise<OverwritePreview | string> {
  if (step.action.kind !== 'rsync.sync') return 'not a sync step';
  const params = step.action.params;
  const source = context.servers.get(params.sourceServerId);
  const receiver = context.servers.get(step.serverId);
  if (!source || !receiver) return `step ${index + 1}: a server is not in the inventory`;
  const [onSource, onReceiver] = await Promise.all([
    holds(scope, source, params.vipAddress),
    holds(scope, receiver, params.vipAddress),
  ]);
  if (typeof onSource === 'string' || typeof onReceiver === 'string')
    return `cannot tell who holds ${params.vipAddress} (${[onSource, onReceiver].filter((v) => typeof v === 'string').join('; ')}): no preview was run`;
  if (!onSource || onReceiver)
    return `${!onSource ? `${source.name} does not hold ${params.vipAddress}` : `${receiver.name} holds ${params.vipAddress}`}: the sync runs only from the VIP holder, so no preview was run`;
  const vips = context.group.vips.map((v) => v.address);
  const outcome = await auditedExec(
    scope,
    source,
    `dry run: what the copy would overwrite${params.delete ? ' or delete' : ''} on ${receiver.name}`,
    overwritePreviewScript(params, receiver, vips),
    { readOnly: true, timeoutMs: 120_000, okCodes: [0, 24] },
  );
  if (outcome.kind !== 'ok') return `the overwrite preview on ${source.name} did not answer: ${outcomeText(outcome)}`;
  const list = overwriteList(outcome.result.stdout);
  return { stepIndex: index, host: receiver.name, lines: list.lines, count: list.count, sha256: list.sha256 };
}

/** The dry run of a re-protect: its plan, the live pre-flight, and what each previewing sync would overwrite. */
export async function reprotectPreview(
  scope: ExecScope,
  groupId: number,
  preflightOf: (context: GroupContext, runbook: Runbook) => Promise<Preflight>,
): Promise<ReprotectPreview> {
  const context = loadGroup(scope.db, groupId);
  const runbook = reprotectRunbook(scope.db, context);
  const preflight = judgeForReprotect(await preflightOf(context, runbook));
  const overwrites: OverwritePreview[] = [];
  const previewProblems: string[] = [];
  for (const [index, step] of runbook.steps.entries()) {
    if (step.type !== 'action' || step.action.kind !== 'rsync.sync' || !step.action.params.previewOverwrites) continue;
    const preview = await previewStep(scope, context, step, index);
    if (typeof preview === 'string') previewProblems.push(`step ${index + 1}: ${preview}`);
    else overwrites.push(preview);
  }
  return {
    plan: buildPlan(context, runbook),
    state: getGroupState(scope.db, groupId),
    preflight,
    overwrites,
    previewProblems,
  };
}
