/**
 * The parts of a test recovery that need more than a member's read, run only for the direction
 * from the member that holds the group now: the runbook's own listening step (vip.listen: only the
 * holder's MAC may answer), and the rsync dry run from the holder with the receiver's free space
 * against what would move. Both send read-only commands only: the environment handed to the
 * listening step refuses any other.
 */
import type { ActionParams, ActionStep } from '../../shared/runbooks';
import type { TestRecoveryCheck } from '../../shared/contract/test-recovery';
import { actionModule, type StepEnvironment } from './actions';
import { StepStop, type ActionResult } from './actions/kit';
import { dryRunScript, receiverAddress, RSYNC_OK } from './actions/rsync-sync';
import { auditedExec, type ExecScope } from './exec';
import { planEnvironment } from './plan';
import { clip } from './proven-read';
import type { GroupContext } from './definition';
import type { TestMemberRead } from './test-recovery-reads';
import { outcomeText } from './actions/kit';

/** Free space the receiver must keep after the copy (KiB): a full disk breaks the services writing there. */
export const DISK_RESERVE_KB = 16 * 1024;
/** Bound on the dry run (it walks the whole tree on both ends). */
const DRY_RUN_TIMEOUT_MS = 120_000;
/** Bound on the listening step, over its own window. */
const LISTEN_MARGIN_MS = 15_000;

/** Run the runbook's listening step as it would run, read-only; its result as a check. */
export async function listenCheck(
  scope: ExecScope,
  context: GroupContext,
  step: ActionStep,
  loggedIn: (serverId: number) => boolean,
): Promise<TestRecoveryCheck> {
  const params = step.action.params as ActionParams<'vip.listen'>;
  const deadline = Date.now() + params.listenMilliseconds + LISTEN_MARGIN_MS;
  const infos: string[] = [];
  const env: StepEnvironment = {
    ...planEnvironment(context, step.serverId),
    rpoMinutes: context.rpoMinutes,
    acknowledgedDeletions: null,
    acknowledgedLag: null,
    reachable: loggedIn,
    exec: (server, purpose, script, options) => {
      if (!options.readOnly) throw new Error('a test recovery sends read-only commands only');
      return auditedExec(scope, server, `test recovery: ${purpose}`, script, {
        ...options,
        readOnly: true,
        timeoutMs: Math.max(1, Math.min(options.timeoutMs ?? deadline - Date.now(), deadline - Date.now())),
      });
    },
    info: (text) => void infos.push(text),
    remainingMs: () => Math.max(1, deadline - Date.now()),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(ms, deadline - Date.now())))),
  };
  let result: ActionResult;
  try {
    result = await actionModule('vip.listen').execute(params, env);
  } catch (error) {
    result =
      error instanceof StepStop
        ? error.result
        : { status: 'indeterminate', message: `the listening did not finish: ${(error as Error).message}` };
  }
  const subject = `${params.address} from ${env.server.name}`;
  const status = result.status === 'succeeded' ? 'ok' : result.status === 'indeterminate' ? 'unknown' : 'failed';
  return { precondition: 'vip-holder', subject, status, detail: result.message };
}

/** What the dry run of one path said: the changes it listed and the bytes it would send. */
export interface DryRun {
  path: string;
  changes: string[];
  deletions: number;
  bytes: number;
}

/** Split a dry run's output by path: each rsync prints its changes, then its totals. */
export function parseDryRun(paths: readonly string[], stdout: string): DryRun[] | string {
  const runs: DryRun[] = [];
  let changes: string[] = [];
  for (const line of stdout.split('\n')) {
    const total = /^Total transferred file size: ([0-9,.]+) bytes/.exec(line);
    if (total) {
      const path = paths[runs.length];
      if (path === undefined) return 'more totals than paths';
      const bytes = Number(total[1].replace(/[,.]/g, ''));
      const deletions = changes.filter((c) => c.startsWith('*deleting')).length;
      runs.push({ path, changes, deletions, bytes });
      changes = [];
      continue;
    }
    // An itemized change: `>f+++++++++ name`, `cd+++++++++ dir/`, `*deleting name`; `.` lines change attributes only.
    if (/^(\*deleting |[<>ch.][fdLDS][^ ]{9} )/.test(line) && !/^\.d\.\.t\.{6} \.\/$/.test(line)) changes.push(line);
  }
  if (runs.length !== paths.length) return `totals for ${runs.length} of ${paths.length} paths`;
  return runs;
}

const mib = (kb: number) => `${Math.round((kb / 1024) * 10) / 10} MiB`;

/** The dry run from the holder, and the receiver's free space against it: the rsync and disk checks. */
export async function syncChecks(
  scope: ExecScope,
  context: GroupContext,
  step: ActionStep,
  source: TestMemberRead,
  receiver: TestMemberRead,
): Promise<TestRecoveryCheck[]> {
  const params = step.action.params as ActionParams<'rsync.sync'>;
  const subject = `${source.server.name} → ${receiver.server.name}`;
  const vips = context.group.vips.map((v) => v.address);
  let script: string;
  try {
    receiverAddress(receiver.server, vips);
    script = dryRunScript(params, receiver.server, vips);
  } catch (error) {
    return [{ precondition: 'rsync', subject, status: 'failed', detail: (error as Error).message }];
  }
  const outcome = await auditedExec(
    scope,
    source.server,
    `test recovery: rsync dry run to ${receiver.server.name}`,
    script,
    {
      readOnly: true,
      timeoutMs: DRY_RUN_TIMEOUT_MS,
      okCodes: RSYNC_OK,
    },
  );
  const skippedDisk: TestRecoveryCheck = {
    precondition: 'disk',
    subject: receiver.server.name,
    status: 'skipped',
    detail: 'what would move is not known (the dry run did not answer)',
  };
  if (outcome.kind !== 'ok' && outcome.kind !== 'failed')
    return [
      { precondition: 'rsync', subject, status: 'unknown', detail: `the dry run: ${outcomeText(outcome)}` },
      skippedDisk,
    ];
  const { code, stdout, stderr } = outcome.result;
  if (!RSYNC_OK.includes(code ?? -1))
    return [
      {
        precondition: 'rsync',
        subject,
        status: 'failed',
        detail: `the dry run from ${source.server.name} exited ${code}: ${clip(stderr || stdout)}`,
      },
      skippedDisk,
    ];
  const runs = parseDryRun(params.paths, stdout);
  if (typeof runs === 'string')
    return [
      { precondition: 'rsync', subject, status: 'unknown', detail: `the dry run did not prove itself (${runs})` },
      skippedDisk,
    ];
  const changes = runs.flatMap((r) => r.changes);
  const bytes = runs.reduce((sum, r) => sum + r.bytes, 0);
  const deletions = runs.reduce((sum, r) => sum + r.deletions, 0);
  const shown = changes.slice(0, 5).map((c) => c.replace(/^\S+ /, ''));
  const rsyncCheck: TestRecoveryCheck = {
    precondition: 'rsync',
    subject,
    status: 'ok',
    detail:
      changes.length === 0
        ? `nothing would move: ${receiver.server.name} is in step with ${source.server.name}`
        : `${changes.length} change${changes.length === 1 ? '' : 's'} would move (${bytes} bytes${deletions ? `, ${deletions} deletions` : ''}): ${shown.join(', ')}${changes.length > shown.length ? ', …' : ''}`,
  };
  return [rsyncCheck, diskCheck(receiver, runs)];
}

function diskCheck(receiver: TestMemberRead, runs: readonly DryRun[]): TestRecoveryCheck {
  const name = receiver.server.name;
  const disk = receiver.facts?.disk;
  if (!disk?.ok)
    return { precondition: 'disk', subject: name, status: 'unknown', detail: `${name}: ${disk?.why ?? 'not read'}` };
  for (const run of runs) {
    const free = disk.value.find((d) => d.path === run.path);
    const needKb = Math.ceil(run.bytes / 1024) + DISK_RESERVE_KB;
    if (!free)
      return { precondition: 'disk', subject: name, status: 'unknown', detail: `${run.path} on ${name} was not read` };
    if (free.availableKb < needKb)
      return {
        precondition: 'disk',
        subject: `${run.path} on ${name}`,
        status: 'failed',
        detail: `${mib(free.availableKb)} free for ${run.path} on ${name}: the copy needs ${mib(Math.ceil(run.bytes / 1024))} and ${mib(DISK_RESERVE_KB)} to spare`,
      };
  }
  const least = Math.min(...disk.value.map((d) => d.availableKb));
  return {
    precondition: 'disk',
    subject: name,
    status: 'ok',
    detail: `${mib(least)} free, enough for what would move`,
  };
}
