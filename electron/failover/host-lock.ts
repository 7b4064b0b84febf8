/**
 * The on-host lock: two workspaces (the desktop app and `lifeboat serve` on a jump box, or two
 * copies of a workspace) must not fail over one group at once, and the workspace's own run lock
 * cannot see the other file. So after pre-flight and before the first change, a run takes an atomic
 * `mkdir` under /run/lifeboat/ (OpenBSD: /var/run/lifeboat/) on every member it can reach, with
 * an owner record inside (owner, machine, run, workspace, group, time, token), and gives it back at
 * the end. /run is emptied at boot, so a rebooted member holds no stale lock; any other stale one
 * is shown and broken by a person (typed confirmation, audited). The group is named on the hosts
 * by its name, which a plan file carries from one workspace to another.
 *
 * Every script is built from checked words (shared/quoting.ts) and goes through auditedExec, and a
 * read counts only when it exited 0, printed its end line and a state line; anything else is unknown.
 */
import crypto from 'node:crypto';
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { HostLockRecord } from '../../shared/contract/locks';
import { sh, word, type Script } from '../ssh/quote';
import { getFailoverSetting, setFailoverSetting } from '../db/repositories/runs';
import { auditedExec, type ExecScope } from './exec';
import { outcomeText } from './actions/kit';

const MARK = 'lifeboat-lock:';
const LOCK_TIMEOUT_MS = 8000;

/** This workspace's identity on the hosts: a random id made once and kept in the workspace. */
export function workspaceId(db: Db): string {
  const known = getFailoverSetting<string | null>(db, 'workspaceId', null);
  if (typeof known === 'string' && /^[0-9a-f-]{36}$/.test(known)) return known;
  const made = crypto.randomUUID();
  setFailoverSetting(db, 'workspaceId', made);
  return made;
}

/** The lock directory of a group on a member. */
export function hostLockDir(server: Pick<Server, 'os'>, groupName: string): string {
  const slug =
    groupName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'group';
  const digest = crypto.createHash('sha256').update(groupName).digest('hex').slice(0, 8);
  return `${baseDir(server)}/group-${slug}-${digest}`;
}

function baseDir(server: Pick<Server, 'os'>): string {
  return server.os === 'openbsd' ? '/var/run/lifeboat' : '/run/lifeboat';
}

/** Text of a record value: the closed set word.label accepts. */
function label(value: string): string {
  return value.replace(/[^A-Za-z0-9@._:= -]/g, '_').slice(0, 200) || '_';
}

export interface HostLockOwner {
  token: string;
  runId: number;
  workspaceId: string;
  actor: string;
  machine: string;
  groupName: string;
  at: number;
}

/** The owner record's lines, each a checked word. */
function recordWords(owner: HostLockOwner) {
  return [
    `token=${owner.token}`,
    `run=${owner.runId}`,
    `workspace=${owner.workspaceId}`,
    `owner=${owner.actor}`,
    `host=${owner.machine}`,
    `group=${owner.groupName}`,
    `at=${owner.at}`,
  ].map((line) => word.label(label(line)));
}

/** Write the owner record atomically (a temporary file renamed into place). */
function writeRecord(dir: string, owner: HostLockOwner): Script {
  const d = word.path(dir);
  return sh`printf '%s\n' ${recordWords(owner)} > ${word.path(`${dir}/owner.tmp`)} && mv -f -- ${word.path(`${dir}/owner.tmp`)} ${word.path(`${dir}/owner`)} || { rm -f -- ${word.path(`${dir}/owner.tmp`)}; rmdir -- ${d} 2>/dev/null; echo 'lifeboat-lock: error: cannot write the owner record'; exit 4; }`;
}

/**
 * Take the lock, or take over one whose owner is known to be over: the lock a resumed run's
 * previous owner left, or one of this workspace's runs of the group that has ended (`endedTokens`).
 */
export function takeScript(
  server: Pick<Server, 'os'>,
  groupName: string,
  owner: HostLockOwner,
  endedTokens: readonly string[],
): Script {
  const dir = hostLockDir(server, groupName);
  const d = word.path(dir);
  const ownerFile = word.path(`${dir}/owner`);
  const patterns = endedTokens.slice(0, 50).map((token) => sh`-e ${word.label(label(`token=${token}`))}`);
  const takeOver =
    patterns.length > 0
      ? sh`elif [ -d ${d} ] && grep -qxF ${patterns} ${ownerFile} 2>/dev/null; then
  ${writeRecord(dir, owner)}
  echo 'lifeboat-lock: taken-over'
`
      : sh``;
  return sh`mkdir -p -m 0700 -- ${word.path(baseDir(server))} || { echo 'lifeboat-lock: error: cannot create the lock directory'; exit 4; }
if mkdir -m 0700 -- ${d} 2>/dev/null; then
  ${writeRecord(dir, owner)}
  echo 'lifeboat-lock: taken'
elif [ -d ${d} ] && grep -qxF -- ${word.label(label(`token=${owner.token}`))} ${ownerFile} 2>/dev/null; then
  echo 'lifeboat-lock: taken'
${takeOver}elif [ -d ${d} ]; then
  echo 'lifeboat-lock: held'
  cat -- ${ownerFile} 2>/dev/null
else
  echo 'lifeboat-lock: error: the lock path is not a directory'; exit 4
fi
echo 'lifeboat-lock: end'`;
}

/**
 * Remove the lock only if its record holds `token` (the empty token: only a lock with no record,
 * left by a taker stopped between mkdir and writing it). Another owner's lock is left and shown.
 */
export function releaseScript(server: Pick<Server, 'os'>, groupName: string, token: string | null): Script {
  const dir = hostLockDir(server, groupName);
  const d = word.path(dir);
  const ownerFile = word.path(`${dir}/owner`);
  const match =
    token === null
      ? sh`[ ! -e ${ownerFile} ]`
      : sh`grep -qxF -- ${word.label(label(`token=${token}`))} ${ownerFile} 2>/dev/null`;
  return sh`if [ ! -e ${d} ]; then
  echo 'lifeboat-lock: free'
elif [ -d ${d} ] && ${match}; then
  rm -f -- ${ownerFile} ${word.path(`${dir}/owner.tmp`)} && rmdir -- ${d} || { echo 'lifeboat-lock: error: cannot remove the lock'; exit 4; }
  echo 'lifeboat-lock: released'
elif [ -d ${d} ]; then
  echo 'lifeboat-lock: held'
  cat -- ${ownerFile} 2>/dev/null
else
  echo 'lifeboat-lock: error: the lock path is not a directory'; exit 4
fi
echo 'lifeboat-lock: end'`;
}

/** Read the lock, changing nothing. */
export function readScript(server: Pick<Server, 'os'>, groupName: string): Script {
  const dir = hostLockDir(server, groupName);
  const d = word.path(dir);
  return sh`if [ -d ${d} ]; then
  echo 'lifeboat-lock: held'
  cat -- ${word.path(`${dir}/owner`)} 2>/dev/null
elif [ -e ${d} ]; then
  echo 'lifeboat-lock: error: the lock path is not a directory'; exit 4
else
  echo 'lifeboat-lock: free'
fi
echo 'lifeboat-lock: end'`;
}

export type HostLockState = 'taken' | 'taken-over' | 'held' | 'free' | 'released';

export interface HostLockAnswer {
  /** null: the answer did not prove itself (unknown). */
  state: HostLockState | null;
  record: HostLockRecord | null;
  detail: string;
}

/** The owner record as the host printed it (untrusted text: each field checked, the rest dropped). */
export function parseRecord(lines: readonly string[]): HostLockRecord | null {
  const fields = new Map<string, string>();
  for (const line of lines.slice(0, 20)) {
    const match = /^([a-z]+)=([A-Za-z0-9@._:= -]{0,200})$/.exec(line);
    if (match && !fields.has(match[1])) fields.set(match[1], match[2]);
  }
  const token = fields.get('token');
  if (!token || !/^[A-Za-z0-9:._-]{1,100}$/.test(token)) return null;
  const run = Number(fields.get('run'));
  const at = Number(fields.get('at'));
  return {
    token,
    runId: Number.isSafeInteger(run) && run > 0 ? run : null,
    workspaceId: fields.get('workspace') ?? '',
    owner: fields.get('owner') ?? '',
    ownerHost: fields.get('host') ?? '',
    groupName: fields.get('group') ?? '',
    at: Number.isSafeInteger(at) && at > 0 ? at : null,
  };
}

/** Judge a lock script's answer: exit 0, a state line first, the end line last; else unknown. */
export function parseAnswer(outcome: Awaited<ReturnType<typeof auditedExec>>): HostLockAnswer {
  if (outcome.kind !== 'ok') return { state: null, record: null, detail: outcomeText(outcome) };
  const lines = outcome.result.stdout
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
  const first = lines[0] ?? '';
  if (lines.at(-1) !== `${MARK} end`)
    return {
      state: null,
      record: null,
      detail: `the lock script did not finish (no end line): ${first.slice(0, 200)}`,
    };
  const state = /^lifeboat-lock: (taken-over|taken|held|free|released)$/.exec(first)?.[1] as HostLockState | undefined;
  if (!state) return { state: null, record: null, detail: `unexpected answer: ${first.slice(0, 200)}` };
  const record = state === 'held' ? parseRecord(lines.slice(1, -1)) : null;
  return { state, record, detail: state };
}

/** How a held lock reads to a person: owner, machine, run, age. */
export function describeRecord(record: HostLockRecord | null, now = Date.now()): string {
  if (!record) return 'a lock with no readable owner record (its taker stopped before writing it)';
  const age = record.at === null ? 'age unknown' : `taken ${Math.max(0, Math.round((now - record.at) / 1000))} s ago`;
  return `run #${record.runId ?? '?'} of ${record.groupName || 'a group'} by ${record.owner || '?'} on ${record.ownerHost || '?'} (workspace ${record.workspaceId.slice(0, 8) || '?'}, ${age})`;
}

/** Run one lock script on a member, audited like every remote command. */
export async function lockCommand(
  scope: ExecScope,
  server: Server,
  purpose: string,
  script: Script,
  readOnly: boolean,
): Promise<HostLockAnswer> {
  const outcome = await auditedExec(scope, server, purpose, script.text, {
    readOnly,
    quick: true,
    timeoutMs: LOCK_TIMEOUT_MS,
  });
  return parseAnswer(outcome);
}
