/**
 * The test recovery: for every group (in parallel) and every direction, each step's preconditions
 * read on the real hosts, strictly read-only (test-recovery-reads.ts, test-recovery-live.ts), judged
 * (test-recovery-checks.ts), with each step's expected time from drill history, and stored: the
 * newest result of a group says whether it is "broken: <reason>" (readiness and the Dashboard).
 * Every command goes through the audit log as a read. Nothing is released, stopped, promoted or
 * copied; a read that did not prove itself fails the test, named.
 */
import type { Db } from '../db/connection';
import type { RemoteRunner } from '../ports/remote';
import type { Runbook } from '../../shared/runbooks';
import { LifeboatError } from '../../shared/errors';
import type {
  TestRecoveryCheck,
  TestRecoveryDirection,
  TestRecoveryGroup,
  TestRecoveryReport,
} from '../../shared/contract/test-recovery';
import { listGroups } from '../db/repositories/groups';
import { insertTestRecovery, lastDrillStepSeconds } from '../db/repositories/test-recoveries';
import { loadGroup, resolveRunbook, type GroupContext } from './definition';
import { findAddress } from './actions/vip-state';
import type { ExecScope } from './exec';
import { postgresAccessOf } from './actions/postgres-scripts';
import { interfacesToCheck, unitsToCheck } from './preflight-reads';
import { readTestMember, type TestMemberRead, type TestReadRequest } from './test-recovery-reads';
import {
  clockCheck,
  describeSteps,
  firstProblem,
  interfaceChecks,
  loginCheck,
  postgresCheck,
  replicationCheck,
  unitChecks,
} from './test-recovery-checks';
import { listenCheck, syncChecks } from './test-recovery-live';
import { testRecoverySettings } from './test-recovery-settings';

/** Each member's read is small: one that does not answer in this long counts as unknown. */
export const TEST_READ_TIMEOUT_MS = 10_000;

export interface TestRecoveryDeps {
  db: Db;
  runner: RemoteRunner;
  actor: string;
  trigger: 'operator' | 'schedule';
}

type Direction = { runbook: Runbook } | { targetServerId: number; problem: string };

function directionsOf(db: Db, context: GroupContext): Direction[] {
  return context.group.members.map((member) => {
    try {
      return { runbook: resolveRunbook(db, context, member.serverId) };
    } catch (error) {
      return { targetServerId: member.serverId, problem: (error as Error).message };
    }
  });
}

const merge = (into: Map<number, Set<string>>, from: Map<number, Set<string>>) => {
  for (const [id, set] of from) into.set(id, new Set([...(into.get(id) ?? []), ...set]));
};

/** One read request per member: what any direction needs of it. */
function requests(context: GroupContext, runbooks: readonly Runbook[]) {
  const interfaces = new Map<number, Set<string>>();
  const units = new Map<number, Set<string>>();
  const diskPaths = new Map<number, Set<string>>();
  for (const runbook of runbooks) {
    merge(interfaces, interfacesToCheck(context, runbook));
    merge(units, unitsToCheck(context, runbook));
    for (const step of runbook.steps)
      if (step.type === 'action' && step.action.kind === 'rsync.sync')
        merge(diskPaths, new Map([[step.serverId, new Set(step.action.params.paths)]]));
  }
  const pg = runbooks.map((r) => postgresAccessOf(context.group, r)).find((p) => p !== null) ?? null;
  const per = (serverId: number): TestReadRequest => ({
    links: (interfaces.get(serverId)?.size ?? 0) > 0,
    pg,
    units: [...(units.get(serverId) ?? [])],
    enabled: [...context.group.processes],
    streaming: pg !== null,
    diskPaths: [...(diskPaths.get(serverId) ?? [])],
  });
  return { interfaces, units, pg, per };
}

/** Who runs the group now: the one holder of its first VIP, else the PostgreSQL primary, else the primary member. */
function currentHolder(context: GroupContext, reads: ReadonlyMap<number, TestMemberRead>): number | string {
  const vip = context.group.vips[0];
  const all = [...reads.values()];
  if (vip) {
    const unread = all.filter((r) => !r.facts?.addresses.ok).map((r) => r.server.name);
    const holders = all.filter((r) => r.facts?.addresses.ok && findAddress(r.facts.addresses.value, vip.address));
    if (holders.length > 1)
      return `TWO HOLDERS: ${holders.map((h) => h.server.name).join(' and ')} both hold ${vip.address}`;
    if (holders.length === 1) return holders[0].server.id;
    if (unread.length > 0) return `cannot tell who holds ${vip.address}: ${unread.join(', ')} could not be read`;
    return `${vip.address} is held by no member`;
  }
  const primary = all.find((r) => r.facts?.postgres?.ok && r.facts.postgres.value.role === 'primary');
  if (primary) return primary.server.id;
  return (
    context.group.members.find((m) => m.role === 'primary')?.serverId ??
    context.group.members[0]?.serverId ??
    'no members'
  );
}

async function testDirection(
  scope: ExecScope,
  context: GroupContext,
  runbook: Runbook,
  reads: ReadonlyMap<number, TestMemberRead>,
  plan: ReturnType<typeof requests>,
  live: { holder: number | string; isLive: boolean },
  toleranceMs: number,
  early: ReadonlyMap<string, Promise<TestRecoveryCheck>>,
): Promise<TestRecoveryCheck[]> {
  const checks: TestRecoveryCheck[] = [];
  for (const problem of runbook.problems)
    checks.push({ precondition: 'runbook', subject: context.group.name, status: 'failed', detail: problem.message });
  const loggedIn = (id: number) => {
    const read = reads.get(id);
    return read !== undefined && loginCheck(read).status === 'ok';
  };
  const hosts = [...new Set([runbook.sourceServerId, runbook.targetServerId])];
  for (const id of hosts) {
    const read = reads.get(id);
    if (!read) continue;
    const login = loginCheck(read);
    checks.push(login);
    if (login.status !== 'ok') continue; // everything else on it is unread, named once as the login
    checks.push(clockCheck(read, toleranceMs));
    const enabled = id === runbook.targetServerId ? context.group.processes : [];
    checks.push(...unitChecks(read, [...(plan.units.get(id) ?? [])], enabled));
    checks.push(...interfaceChecks(read, [...(interfacesToCheck(context, runbook).get(id) ?? [])]));
    if (plan.pg) checks.push(postgresCheck(read, plan.pg.dataDir));
  }
  const holderName = typeof live.holder === 'number' ? context.servers.get(live.holder)?.name : undefined;
  const elsewhere = `tested in the direction from ${holderName ?? 'the member that runs the group'}`;
  const steps = runbook.steps.flatMap((step) => (step.type === 'action' ? [step] : []));
  const source = reads.get(runbook.sourceServerId);
  const target = reads.get(runbook.targetServerId);
  const pending: Promise<TestRecoveryCheck[]>[] = [];
  const skip = (precondition: TestRecoveryCheck['precondition'], detail: string) =>
    checks.push({ precondition, subject: context.group.name, status: 'skipped', detail });
  const hasListen = steps.some((s) => s.action.kind === 'vip.listen');
  if (!live.isLive) {
    if (hasListen) skip('vip-holder', elsewhere);
    if (plan.pg && steps.some((s) => s.action.kind === 'postgres.promote')) skip('replication', elsewhere);
    if (steps.some((s) => s.action.kind === 'rsync.sync')) skip('rsync', elsewhere);
    return checks;
  }
  if (typeof live.holder === 'string' && context.group.vips.length > 0)
    checks.push({ precondition: 'vip-holder', subject: context.group.name, status: 'failed', detail: live.holder });
  const interfaceOk = (serverId: number, itf: string) =>
    !checks.some(
      (c) =>
        c.precondition === 'interface' &&
        c.status !== 'ok' &&
        (c.subject === `${itf} on ${context.servers.get(serverId)?.name}` ||
          c.subject === context.servers.get(serverId)?.name),
    );
  for (const step of steps) {
    if (step.action.kind === 'vip.listen') {
      const itf = step.action.params.interface;
      const holder = step.action.params.holder;
      if (!loggedIn(step.serverId) || (holder && !loggedIn(holder.serverId)))
        skip('vip-holder', 'not listened: a member could not be logged in to');
      else if (!interfaceOk(step.serverId, itf)) skip('vip-holder', `not listened: ${itf} is not up`);
      else {
        const started = early.get(`${runbook.targetServerId}:${runbook.steps.indexOf(step)}`);
        pending.push((started ?? listenCheck(scope, context, step, loggedIn)).then((c) => [c]));
      }
    }
    if (step.action.kind === 'rsync.sync') {
      const from = reads.get(step.action.params.sourceServerId);
      const to = reads.get(step.serverId);
      if (typeof live.holder !== 'number') skip('rsync', 'not run: no proven holder of the VIP to copy from');
      else if (!from || !to || !loggedIn(from.server.id) || !loggedIn(to.server.id))
        skip('rsync', 'not run: a member could not be logged in to');
      else pending.push(syncChecks(scope, context, step, from, to));
    }
  }
  if (plan.pg && source && target && steps.some((s) => s.action.kind === 'postgres.promote')) {
    if (loggedIn(source.server.id) && loggedIn(target.server.id))
      checks.push(replicationCheck(source, target, context.rpoMinutes));
    else skip('replication', 'not read: a member could not be logged in to');
  }
  for (const more of await Promise.all(pending)) checks.push(...more);
  return checks;
}

/** Test one group: read every member once, judge every direction. */
export async function testGroup(
  deps: TestRecoveryDeps,
  groupId: number,
  toleranceMs: number,
): Promise<TestRecoveryGroup> {
  const at = Date.now();
  const context = loadGroup(deps.db, groupId);
  const scope: ExecScope = {
    db: deps.db,
    runner: deps.runner,
    actor: deps.actor,
    runId: null,
    groupId,
    stepIndex: null,
    output: () => undefined,
  };
  const directions = directionsOf(deps.db, context);
  const runbooks = directions.flatMap((d) => ('runbook' in d ? [d.runbook] : []));
  const plan = requests(context, runbooks);
  const primary = context.group.members.find((m) => m.role === 'primary')?.serverId;
  // The listening takes over a second, so it starts with the reads, for the moves from the primary
  // (the ones an outage meets unless the group already moved). It only reads; its result counts only
  // where the reads then show that move is the live one, its members logged in and the interface up.
  const early = new Map<string, Promise<TestRecoveryCheck>>();
  for (const runbook of runbooks)
    if (runbook.sourceServerId === primary && runbook.targetServerId !== primary)
      runbook.steps.forEach((step, index) => {
        if (step.type === 'action' && step.action.kind === 'vip.listen')
          early.set(
            `${runbook.targetServerId}:${index}`,
            listenCheck(scope, context, step, () => true).catch((error: unknown): TestRecoveryCheck => ({
              precondition: 'vip-holder',
              subject: step.title,
              status: 'unknown',
              detail: `the listening did not run: ${(error as Error).message}`,
            })),
          );
      });
  const memberReads = await Promise.all(
    context.group.members.flatMap((m) => {
      const server = context.servers.get(m.serverId);
      return server ? [readTestMember(scope, server, plan.per(server.id), TEST_READ_TIMEOUT_MS)] : [];
    }),
  );
  const reads = new Map(memberReads.map((r) => [r.server.id, r]));
  const holder = currentHolder(context, reads);
  const liveSource = typeof holder === 'number' ? holder : primary;
  const name = (id: number) => context.servers.get(id)?.name ?? `server ${id}`;
  const results: TestRecoveryDirection[] = await Promise.all(
    directions.map(async (d): Promise<TestRecoveryDirection> => {
      if (!('runbook' in d))
        return {
          direction: 'failover',
          sourceServerId: d.targetServerId,
          targetServerId: d.targetServerId,
          source: '',
          target: name(d.targetServerId),
          live: false,
          steps: [],
          expectedSeconds: null,
          checks: [{ precondition: 'runbook', subject: name(d.targetServerId), status: 'failed', detail: d.problem }],
          passed: false,
        };
      const { runbook } = d;
      const inPlace = runbook.sourceServerId === runbook.targetServerId;
      const isLive = inPlace || runbook.sourceServerId === liveSource;
      const checks = await testDirection(scope, context, runbook, reads, plan, { holder, isLive }, toleranceMs, early);
      const steps = describeSteps(runbook, lastDrillStepSeconds(deps.db, groupId, runbook.targetServerId));
      const expected = steps.every((s) => s.expectedSeconds !== null)
        ? steps.reduce((sum, s) => sum + (s.expectedSeconds ?? 0), 0)
        : null;
      return {
        // Moves only: a test recovery never reads a re-protect runbook.
        direction: inPlace ? 'in place' : runbook.direction === 'switchback' ? 'switchback' : 'failover',
        sourceServerId: runbook.sourceServerId,
        targetServerId: runbook.targetServerId,
        source: name(runbook.sourceServerId),
        target: name(runbook.targetServerId),
        live: isLive,
        steps,
        expectedSeconds: expected === null ? null : Math.round(expected * 10) / 10,
        checks,
        passed: firstProblem(checks) === undefined,
      };
    }),
  );
  // A listening started early and not counted (the group had moved, or a member was not up) still ends here.
  await Promise.allSettled(early.values());
  // The live direction first: its reason is the one an outage would meet.
  results.sort((a, b) => Number(b.live) - Number(a.live));
  const problems = results.flatMap((r) => r.checks).filter((c) => c.status === 'failed' || c.status === 'unknown');
  const first = problems[0];
  return {
    id: null,
    groupId,
    groupName: context.group.name,
    at,
    durationMs: Date.now() - at,
    trigger: deps.trigger,
    actor: deps.actor,
    passed: problems.length === 0 && results.length > 0,
    reason: first
      ? `${first.precondition}: ${first.detail}`
      : results.length === 0
        ? 'runbook: the group has no members'
        : null,
    failed: [...new Set(results.length === 0 ? (['runbook'] as const) : problems.map((p) => p.precondition))],
    directions: results,
  };
}

/** Test every group (or the chosen ones) in parallel, store each group's result, and report. */
export async function runTestRecovery(
  deps: TestRecoveryDeps,
  groupIds?: readonly number[],
): Promise<TestRecoveryReport> {
  const at = Date.now();
  const all = listGroups(deps.db);
  for (const id of groupIds ?? [])
    if (!all.some((g) => g.id === id)) throw new LifeboatError('not_found', `There is no service group with id ${id}`);
  const chosen = groupIds ? all.filter((g) => groupIds.includes(g.id)) : all;
  const { clockToleranceMs } = testRecoverySettings(deps.db);
  const groups = await Promise.all(chosen.map((g) => testGroup(deps, g.id, clockToleranceMs)));
  const stored = groups.map((g) => insertTestRecovery(deps.db, g));
  return { at, durationMs: Date.now() - at, passed: stored.every((g) => g.passed), groups: stored };
}
