/**
 * The on-host lock around a run and by hand: taken on every reachable member, one after the other
 * in name order (so two takers meet at the first member and one stops there), refused when any
 * member is held by another run or cannot be read, and released at the end. A stale lock is shown
 * (owner, run, age) and broken only with a typed confirmation naming the host and the run.
 */
import os from 'node:os';
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { HostLockView } from '../../shared/contract/locks';
import { LifeboatError } from '../../shared/errors';
import { appendAudit, currentActor } from './audit';
import type { ExecScope } from './exec';
import type { GroupContext } from './definition';
import {
  describeRecord,
  lockCommand,
  readScript,
  releaseScript,
  takeScript,
  workspaceId,
  type HostLockOwner,
} from './host-lock';

/** Tokens of the on-host locks this process holds now (a run's own lock is never offered for breaking). */
const heldHere = new Set<string>();

/** The members in the order every taker uses. */
function membersInOrder(context: GroupContext, skip: ReadonlySet<number>): Server[] {
  return context.group.members
    .map((m) => context.servers.get(m.serverId))
    .filter((s): s is Server => s !== undefined && !skip.has(s.id))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
}

export interface HostLockHold {
  owner: HostLockOwner;
  groupName: string;
  servers: Server[];
}

export interface TakeRequest {
  runId: number;
  token: string;
  actor: string;
  /** Members pre-flight could not reach (attested or warned): no lock can be taken there. */
  unreachable: ReadonlySet<number>;
  /**
   * Owners known to be over, whose locks are taken over: a resumed run's previous owner, and this
   * workspace's ended runs of the group (closed, failed, aborted, succeeded).
   */
  endedTokens: readonly string[];
}

/** Take the lock on every reachable member; on any refusal, give back what was taken and say why. */
export async function takeHostLocks(
  scope: ExecScope,
  context: GroupContext,
  request: TakeRequest,
): Promise<{ hold: HostLockHold; refusal: string | null }> {
  const groupName = context.group.name;
  const owner: HostLockOwner = {
    token: request.token,
    runId: request.runId,
    workspaceId: workspaceId(scope.db),
    actor: request.actor,
    machine: os.hostname(),
    groupName,
    at: Date.now(),
  };
  const hold: HostLockHold = { owner, groupName, servers: [] };
  let refusal: string | null = null;
  for (const server of membersInOrder(context, request.unreachable)) {
    const answer = await lockCommand(
      scope,
      server,
      `take the on-host lock of ${groupName} on ${server.name}`,
      takeScript(server, groupName, owner, request.endedTokens),
      false,
    );
    if (answer.state === 'taken' || answer.state === 'taken-over') {
      hold.servers.push(server);
      heldHere.add(owner.token);
      continue;
    }
    refusal =
      answer.state === 'held'
        ? `${server.name} is locked by another failover of ${groupName}: ${describeRecord(answer.record)}. Two workspaces may not move one group at once; if that run is over, break the stale lock (Failover screen, or \`lifeboat runs host-locks ${groupName}\`)`
        : `the on-host lock on ${server.name} could not be taken (${answer.detail}): nothing was changed`;
    break;
  }
  if (refusal) await releaseHostLocks(scope, hold);
  return { hold, refusal };
}

/** Give the lock back on every member it was taken on; returns what could not be released. */
export async function releaseHostLocks(scope: ExecScope, hold: HostLockHold): Promise<string[]> {
  const problems: string[] = [];
  for (const server of hold.servers) {
    const answer = await lockCommand(
      scope,
      server,
      `release the on-host lock of ${hold.groupName} on ${server.name}`,
      releaseScript(server, hold.groupName, hold.owner.token),
      false,
    );
    if (answer.state === 'released' || answer.state === 'free') continue;
    problems.push(
      answer.state === 'held'
        ? `the on-host lock on ${server.name} now belongs to ${describeRecord(answer.record)}: left as it is`
        : `the on-host lock on ${server.name} could not be released (${answer.detail}): it stays until broken by hand`,
    );
  }
  heldHere.delete(hold.owner.token);
  hold.servers = [];
  return problems;
}

/** What a person types to break a member's lock: the member and the run it names. */
export function hostBreakConfirmation(host: string, runId: number | null): string {
  return `${host} run ${runId ?? 'unknown'}`;
}

/** Read the lock on every member (read-only, audited). */
export async function hostLockViews(
  scope: ExecScope,
  context: GroupContext,
  now = Date.now(),
): Promise<HostLockView[]> {
  return Promise.all(
    membersInOrder(context, new Set()).map(async (server): Promise<HostLockView> => {
      const answer = await lockCommand(
        scope,
        server,
        `read the on-host lock of ${context.group.name} on ${server.name}`,
        readScript(server, context.group.name),
        true,
      );
      const base = {
        serverId: server.id,
        host: server.name,
        lock: answer.record,
        ours: false,
        ageSeconds: null,
        confirmation: '',
      };
      if (answer.state === 'free') return { ...base, state: 'free', detail: 'no lock' };
      if (answer.state !== 'held')
        return { ...base, state: 'unknown', detail: `could not read the lock: ${answer.detail}` };
      const record = answer.record;
      return {
        ...base,
        state: 'held',
        detail: describeRecord(record, now),
        ours: record !== null && heldHere.has(record.token),
        ageSeconds: record?.at ? Math.max(0, Math.round((now - record.at) / 1000)) : null,
        confirmation: hostBreakConfirmation(server.name, record?.runId ?? null),
      };
    }),
  );
}

export interface HostBreakRequest {
  serverId: number;
  /** The lock's token as shown ('empty' for a lock with no owner record). */
  token: string;
  confirmation: string;
  reason: string;
}

/** Break one member's lock, only if it is still the lock shown; audited before it is removed. */
export async function breakHostLock(
  scope: ExecScope,
  context: GroupContext,
  request: HostBreakRequest,
  actor = currentActor(),
): Promise<HostLockView> {
  const server = context.servers.get(request.serverId);
  if (!server || !context.group.members.some((m) => m.serverId === server.id)) {
    throw new LifeboatError('invalid_input', `server ${request.serverId} is not a member of ${context.group.name}`, [
      { path: ['serverId'], message: 'not a member of this group' },
    ]);
  }
  const [view] = (await hostLockViews(scope, context)).filter((v) => v.serverId === server.id);
  if (view.state !== 'held')
    throw new LifeboatError(
      'conflict',
      `${server.name} holds no lock of ${context.group.name} to break (${view.detail})`,
    );
  const shownToken = view.lock?.token ?? 'empty';
  if (shownToken !== request.token)
    throw new LifeboatError(
      'conflict',
      `The lock on ${server.name} changed since it was shown (now ${view.detail}): look again`,
    );
  if (view.ours)
    throw new LifeboatError(
      'conflict',
      `The lock on ${server.name} belongs to a run this Lifeboat is driving now: abort that run instead`,
    );
  if (request.confirmation.trim() !== view.confirmation) {
    const message = `Type "${view.confirmation}" (the member and the run) to break this lock`;
    throw new LifeboatError('invalid_input', message, [{ path: ['confirmation'], message }]);
  }
  appendAudit(scope.db, {
    kind: 'lock',
    actor,
    groupId: context.group.id,
    serverId: server.id,
    host: server.name,
    detail: `${actor} breaks the on-host lock of ${context.group.name} on ${server.name}, ${view.detail}, typing "${view.confirmation}": ${request.reason}`,
  });
  const answer = await lockCommand(
    scope,
    server,
    `break the on-host lock of ${context.group.name} on ${server.name}`,
    releaseScript(server, context.group.name, view.lock ? view.lock.token : null),
    false,
  );
  if (answer.state !== 'released' && answer.state !== 'free') {
    throw new LifeboatError(
      'conflict',
      `The lock on ${server.name} was not broken: ${answer.state === 'held' ? `it now belongs to ${describeRecord(answer.record)}` : answer.detail}`,
    );
  }
  return { ...view, state: 'free', detail: 'no lock (broken)', lock: null, ageSeconds: null, confirmation: '' };
}

/** A scope for lock commands outside a run (audited, no run id). */
export function lockScope(db: Db, runner: ExecScope['runner'], groupId: number, actor = currentActor()): ExecScope {
  return { db, runner, actor, runId: null, groupId, stepIndex: null, output: () => undefined };
}
