/**
 * The scheduled guarded sync of an rsync group, as service functions: preview the exact files,
 * install them (typed confirmation bound to their sha256), read the status, remove them. Every
 * remote command goes through the audit log (intent row before, outcome row after).
 */
import crypto from 'node:crypto';
import type { ServiceContext } from '../ports/context';
import type { Server, ServiceGroup } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import {
  SyncTimerOptions,
  syncInterval,
  syncTimerFiles,
  syncTimerProblem,
  type SyncMemberFiles,
} from '../../shared/sync-timer';
import {
  actualRpoMinutes,
  parseStamp,
  stampFields,
  type SyncMemberStatus,
  type SyncTimerStatus,
} from '../../shared/sync-status';
import type { SyncTimerPreview } from '../../shared/contract/sync';
import { listGroups } from '../db/repositories/groups';
import { listServers } from '../db/repositories/servers';
import { listServices } from '../db/repositories/services';
import { auditedExec, type ExecScope } from '../failover/exec';
import { currentActor } from '../failover/audit';
import { outcomeText } from '../failover/actions/kit';
import { SYNC_END, installScript, removeScript, statusScript } from './timer-scripts';

const COMMAND_TIMEOUT_MS = 60_000;

interface GroupFacts {
  group: ServiceGroup;
  servers: Server[];
  members: Server[];
  rpoMinutes: number | null;
}

function groupFacts(ctx: ServiceContext, groupId: number): GroupFacts {
  const group = listGroups(ctx.db).find((g) => g.id === groupId);
  if (!group) throw new LifeboatError('not_found', `there is no service group #${groupId}`);
  const servers = listServers(ctx.db);
  const problem = syncTimerProblem(group, servers);
  if (problem) throw new LifeboatError('invalid_input', problem, [{ path: ['groupId'], message: problem }]);
  const members = group.members.map((m) => servers.find((s) => s.id === m.serverId)!);
  const rpos = listServices(ctx.db)
    .filter((s) => s.groupId === group.id && s.rpoMinutes !== null)
    .map((s) => s.rpoMinutes as number);
  return { group, servers, members, rpoMinutes: rpos.length ? Math.min(...rpos) : null };
}

/** sha256 over every member's files, in order (what the confirmation is bound to). */
function filesSha256(members: readonly SyncMemberFiles[]): string {
  const hash = crypto.createHash('sha256');
  for (const member of members)
    for (const file of member.files) hash.update(`${member.server}\n${file.path}\n${file.mode}\n${file.content}\n`);
  return hash.digest('hex');
}

/** The exact files each member would get. */
export function previewSyncTimer(ctx: ServiceContext, input: { groupId: number; options: unknown }): SyncTimerPreview {
  return previewOf(groupFacts(ctx, input.groupId), input.options);
}

/** The preview of the group's facts as read once (install checks the confirmation against the same read). */
function previewOf(facts: ReturnType<typeof groupFacts>, rawOptions: unknown): SyncTimerPreview {
  const options = SyncTimerOptions.parse(rawOptions ?? {});
  const members = syncTimerFiles(facts.group, facts.servers, options);
  return {
    groupId: facts.group.id,
    group: facts.group.name,
    intervalSeconds: syncInterval(facts.group, options),
    members,
    sha256: filesSha256(members),
    confirmation: facts.group.name,
  };
}

function scope(ctx: ServiceContext, groupId: number): ExecScope {
  if (!ctx.runner)
    throw new LifeboatError(
      'unavailable',
      'no SSH engine is available in this process, so nothing can run on a server',
    );
  return {
    db: ctx.db,
    runner: ctx.runner,
    actor: currentActor(),
    runId: null,
    groupId,
    stepIndex: null,
    output: () => undefined,
  };
}

/** Judge a status answer (the install and remove scripts end with one) into what the member has. */
function readMemberStatus(
  server: Server,
  outcome: Awaited<ReturnType<typeof auditedExec>>,
  expected: SyncMemberFiles | null,
): SyncMemberStatus {
  const base = { serverId: server.id, server: server.name, scheduler: null, next: null, paused: null, now: null };
  if (outcome.kind !== 'ok' && outcome.kind !== 'failed')
    return { ...base, state: 'unknown', detail: outcomeText(outcome), last: null, good: null };
  const stdout = outcome.result.stdout;
  if (!stdout.split('\n').some((l) => l.trim() === SYNC_END))
    return {
      ...base,
      state: 'unknown',
      detail: `no complete answer (${outcomeText(outcome)})`,
      last: null,
      good: null,
    };
  const lines = stdout.split('\n').map((l) => l.trimEnd());
  const fields = stampFields(stdout);
  const present = new Map<string, string>();
  let missing = 0;
  for (const line of lines) {
    const file = /^file=([0-9a-f]{64}) (\/\S+)$/.exec(line);
    if (file) present.set(file[2], file[1]);
    if (line.startsWith('missing=')) missing++;
  }
  const now = Number(fields.get('now'));
  const state =
    present.size === 0
      ? 'absent'
      : missing > 0
        ? 'partial'
        : expected &&
            expected.files
              .filter((f) => f.path.startsWith('/'))
              .some((f) => present.get(f.path) !== crypto.createHash('sha256').update(f.content).digest('hex'))
          ? 'differs'
          : 'installed';
  const scheduler =
    fields
      .get('scheduler')
      ?.replace(/[^A-Za-z0-9 -]/g, '')
      .slice(0, 80) ?? null;
  const next =
    fields
      .get('next')
      ?.replace(/[^A-Za-z0-9 :.-]/g, '')
      .slice(0, 80) || null;
  const words = {
    installed: 'installed as Lifeboat would write it',
    differs: 'installed, but its files differ from what Lifeboat would write now (install again to update)',
    partial: 'partly installed (some files are missing)',
    absent: 'not installed',
  } as const;
  return {
    ...base,
    state,
    detail: `${words[state]}${outcome.kind === 'failed' ? ` (the command failed: ${outcomeText(outcome)})` : ''}`,
    scheduler,
    next,
    paused: fields.get('paused') === '1' ? true : fields.get('paused') === '0' ? false : null,
    last: parseStamp(fields, 'last.'),
    good: parseStamp(fields, 'good.'),
    now: Number.isSafeInteger(now) && now > 0 ? now : null,
  };
}

function statusOf(facts: GroupFacts, members: SyncMemberStatus[]): SyncTimerStatus {
  return {
    groupId: facts.group.id,
    group: facts.group.name,
    members,
    actualRpoMinutes: actualRpoMinutes(members),
    rpoMinutes: facts.rpoMinutes,
  };
}

/** Read the timer on every member (read-only, audited). */
export async function syncTimerStatus(ctx: ServiceContext, groupId: number): Promise<SyncTimerStatus> {
  const facts = groupFacts(ctx, groupId);
  const members = await Promise.all(
    facts.members.map(async (server) => {
      const outcome = await auditedExec(
        scope(ctx, groupId),
        server,
        `read the scheduled sync of ${facts.group.name}`,
        statusScript(server, facts.group.name),
        { readOnly: true, timeoutMs: COMMAND_TIMEOUT_MS },
      );
      // The options are not stored: the files are compared with what was confirmed only at install.
      return readMemberStatus(server, outcome, null);
    }),
  );
  return statusOf(facts, members);
}

/** Install after the typed confirmation, bound to the sha256 of the files shown. */
export async function installSyncTimer(
  ctx: ServiceContext,
  input: { groupId: number; options: unknown; sha256: string; confirmation: string },
): Promise<SyncTimerStatus> {
  const facts = groupFacts(ctx, input.groupId);
  const preview = previewOf(facts, input.options);
  if (input.confirmation.trim() !== preview.confirmation)
    throw new LifeboatError('invalid_input', `type the group's name "${preview.confirmation}" to confirm`, [
      { path: ['confirmation'], message: `type "${preview.confirmation}"` },
    ]);
  if (input.sha256 !== preview.sha256)
    throw new LifeboatError(
      'conflict',
      `the files changed since they were shown (sha256 ${input.sha256.slice(0, 12)} confirmed, ${preview.sha256.slice(0, 12)} now): review them again; nothing was written`,
    );
  const members: SyncMemberStatus[] = [];
  for (const member of preview.members) {
    const server = facts.members.find((s) => s.id === member.serverId)!;
    const outcome = await auditedExec(
      scope(ctx, facts.group.id),
      server,
      `install the scheduled sync of ${facts.group.name} (${member.scheduler})`,
      installScript(server, facts.group.name, member),
      { readOnly: false, timeoutMs: COMMAND_TIMEOUT_MS },
    );
    members.push(readMemberStatus(server, outcome, member));
  }
  const status = statusOf(facts, members);
  const bad = members.filter((m) => m.state !== 'installed');
  if (bad.length > 0)
    throw new LifeboatError(
      'unavailable',
      `the scheduled sync is not proven installed on ${bad.map((m) => `${m.server} (${m.detail})`).join(', ')}: read its status, then install again or remove it`,
    );
  return status;
}

/** Remove from every member after the typed confirmation. */
export async function removeSyncTimer(
  ctx: ServiceContext,
  input: { groupId: number; confirmation: string },
): Promise<SyncTimerStatus> {
  const facts = groupFacts(ctx, input.groupId);
  if (input.confirmation.trim() !== facts.group.name)
    throw new LifeboatError('invalid_input', `type the group's name "${facts.group.name}" to confirm`, [
      { path: ['confirmation'], message: `type "${facts.group.name}"` },
    ]);
  const members: SyncMemberStatus[] = [];
  for (const server of facts.members) {
    const outcome = await auditedExec(
      scope(ctx, facts.group.id),
      server,
      `remove the scheduled sync of ${facts.group.name}`,
      removeScript(server, facts.group.name),
      { readOnly: false, timeoutMs: COMMAND_TIMEOUT_MS },
    );
    members.push(readMemberStatus(server, outcome, null));
  }
  const left = members.filter((m) => m.state !== 'absent');
  if (left.length > 0)
    throw new LifeboatError(
      'unavailable',
      `the scheduled sync is not proven removed from ${left.map((m) => `${m.server} (${m.detail})`).join(', ')}`,
    );
  return statusOf(facts, members);
}
