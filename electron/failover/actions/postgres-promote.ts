/**
 * postgres.promote: make the standby the primary. Refuses a server that is already a primary;
 * shows the replay lag against the RPO and needs an acknowledgement above it; fences the old
 * primary where it is reachable (stops it, and only `pg_ctl status` exit 3 counts as stopped) so
 * there are never two writable primaries; promotes with pg_promote() (a timed-out wait is unknown,
 * not failed); verifies pg_is_in_recovery() is false and that a write (a transaction id) succeeds;
 * then reads the old primary again, which must still be stopped.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import {
  outcomeText,
  planned,
  requireAnswer,
  requireOk,
  serverOf,
  StepStop,
  type ActionModule,
  type PlanEnvironment,
  type StepEnvironment,
} from './kit';
import { clip } from '../proven-read';
import {
  ctlReadScript,
  fenceScript,
  foundProblem,
  parseCtlStatus,
  parseStatus,
  PG_CTL_RUNNING,
  PG_CTL_STOPPED,
  PG_EXIT,
  promoteScript,
  statusScript,
  verifyScript,
} from './postgres-scripts';

type Params = ActionParams<'postgres.promote'>;

export { fenceScript, parseStatus, promoteScript, statusScript, verifyScript };

/** A replay lag the operator accepted: the value shown and when it was read. */
export interface LagAcknowledgement {
  lagSeconds: number | null;
  at: number;
}

/**
 * Whether the lag now is covered by what the operator accepted. Lag measured as "now minus the last
 * replayed transaction" grows with the clock while nothing new is replayed, so the accepted value
 * stretches by the time since it was read: the replay point must not be older than the one shown.
 * An unknown lag is covered only by an acknowledgement of an unknown lag, and vice versa.
 */
export function lagAccepted(lagSeconds: number | null, ack: LagAcknowledgement | null, now = Date.now()): boolean {
  if (!ack) return false;
  if (lagSeconds === null || ack.lagSeconds === null) return lagSeconds === null && ack.lagSeconds === null;
  return lagSeconds <= ack.lagSeconds + Math.max(0, now - ack.at) / 1000;
}

function fenceTarget(params: Params, env: PlanEnvironment): Server | null {
  return params.fenceServerId === null || params.fence.kind === 'none'
    ? null
    : serverOf(env.servers, params.fenceServerId);
}

/** Read time bound of the short PostgreSQL reads. */
const READ_TIMEOUT_MS = 15_000;

/** What `pg_ctl status` on the old primary says: stopped (3), running (0), or unknown with why. */
async function readOldPrimary(
  params: Params,
  env: StepEnvironment,
  fence: Server,
  purpose: string,
): Promise<{ state: 'stopped' | 'running' | 'unknown'; detail: string }> {
  const outcome = await env.exec(fence, purpose, ctlReadScript(fence.os, params), {
    readOnly: true,
    quick: true,
    timeoutMs: READ_TIMEOUT_MS,
    okCodes: [0, PG_EXIT.noCluster, PG_EXIT.noPgCtl],
  });
  if (outcome.kind !== 'ok')
    return { state: 'unknown', detail: `${fence.name}: could not read pg_ctl status (${outcomeText(outcome)})` };
  return judgeCtl(fence.name, params, outcome.result);
}

/** Judge a script that ends with `pg_ctl status`: only 3 is stopped, 0 is running, the rest is unknown. */
export function judgeCtl(
  host: string,
  params: Params,
  result: { code: number | null; stdout: string },
): { state: 'stopped' | 'running' | 'unknown'; detail: string } {
  const missing = foundProblem(host, params, result);
  if (missing) return { state: 'unknown', detail: missing };
  const code = parseCtlStatus(result.stdout);
  if (code === PG_CTL_STOPPED)
    return { state: 'stopped', detail: `PostgreSQL on ${host} is stopped (pg_ctl status exit 3)` };
  if (code === PG_CTL_RUNNING)
    return { state: 'running', detail: `PostgreSQL on ${host} is running (pg_ctl status exit 0)` };
  const said = code === null ? 'printed no status' : `exited ${code}`;
  return { state: 'unknown', detail: `pg_ctl status on ${host} ${said}: neither running nor stopped is proven` };
}

async function observe(params: Params, env: StepEnvironment): Promise<string> {
  const said: string[] = [];
  const outcome = await env.exec(
    env.server,
    'read recovery state and replay lag',
    statusScript(env.server.os, params),
    { readOnly: true, quick: true, timeoutMs: 10_000, okCodes: [0, PG_EXIT.noCluster, PG_EXIT.noPgCtl] },
  );
  const status = outcome.kind === 'ok' ? parseStatus(outcome.result.stdout) : null;
  if (outcome.kind !== 'ok') said.push(`${env.server.name}: could not read PostgreSQL (${outcomeText(outcome)})`);
  else if (!status)
    said.push(
      `${env.server.name}: PostgreSQL did not answer (${foundProblem(env.server.name, params, outcome.result) ?? clip(outcome.result.stdout)})`,
    );
  else
    said.push(
      `${env.server.name} is ${status.inRecovery ? `a standby (replay lag ${status.lagSeconds ?? 'unknown'} s)` : 'a primary (not in recovery)'}`,
    );
  const fence = fenceTarget(params, env);
  if (fence && env.reachable(fence.id))
    said.push((await readOldPrimary(params, env, fence, 're-read the old primary: pg_ctl status')).detail);
  return said.join('; ');
}

export const postgresPromote: ActionModule<'postgres.promote'> = {
  kind: 'postgres.promote',
  describe(params, env) {
    const fence = fenceTarget(params, env);
    return `Check ${env.server.name} is a standby and its replay lag against the RPO, ${fence ? `stop PostgreSQL on ${fence.name} where reachable and prove it stopped, ` : ''}promote ${env.server.name}, verify it accepts writes${fence ? `, and re-read ${fence.name} (still stopped)` : ''}`;
  },
  commands(params, env) {
    const fence = fenceTarget(params, env);
    return [
      planned(env.server, 'read recovery state and replay lag', statusScript(env.server.os, params), true),
      ...(fence
        ? [
            planned(
              fence,
              'fence the old primary: stop PostgreSQL, then pg_ctl status (only exit 3 is stopped)',
              fenceScript(fence.os, params),
              false,
            ),
          ]
        : []),
      planned(env.server, 'promote', promoteScript(env.server.os, params), false),
      planned(env.server, 'verify: not in recovery, a write succeeds', verifyScript(env.server.os, params), true),
      ...(fence
        ? [planned(fence, 're-read the old primary: pg_ctl status', ctlReadScript(fence.os, params), true)]
        : []),
    ];
  },
  servers(params, env) {
    const fence = fenceTarget(params, env);
    return fence ? [env.server, fence] : [env.server];
  },
  async execute(params, env) {
    const server = env.server;
    const findCodes = [0, PG_EXIT.noCluster, PG_EXIT.noPgCtl];
    // Every command of the step: a read (bounded like the other reads) or a change (promote, fence).
    const reading = { readOnly: true, quick: true, timeoutMs: READ_TIMEOUT_MS, okCodes: findCodes };
    const changing = { readOnly: false, quick: true, timeoutMs: 90_000, okCodes: findCodes };
    const before = requireOk(
      await env.exec(server, 'read recovery state and replay lag', statusScript(server.os, params), reading),
      'reading PostgreSQL',
    );
    const missing = foundProblem(server.name, params, before);
    if (missing) return { status: 'refused', message: `${missing}: nothing was changed` };
    const status = parseStatus(before.stdout);
    if (!status)
      return {
        status: 'failed',
        message: `PostgreSQL on ${server.name} did not answer the status query: ${clip(before.stdout)}; nothing was changed`,
      };
    if (!status.inRecovery) {
      return {
        status: 'refused',
        message: `${server.name} is already a primary (pg_is_in_recovery() is false): promotion refused. If the old primary is also running, stop one of them before anything else.`,
      };
    }
    const rpo = params.rpoMinutes ?? env.rpoMinutes;
    const lagText = status.lagSeconds === null ? 'unknown' : `${status.lagSeconds} s`;
    env.info(`replay lag on ${server.name}: ${lagText}; RPO: ${rpo === null ? 'none set' : `${rpo} min`}`);
    const overRpo = rpo !== null && (status.lagSeconds === null || status.lagSeconds > rpo * 60);
    if (overRpo && !lagAccepted(status.lagSeconds, env.acknowledgedLag)) {
      const before = env.acknowledgedLag
        ? ` (you accepted ${env.acknowledgedLag.lagSeconds === null ? 'an unknown lag' : `${env.acknowledgedLag.lagSeconds} s`}; it is more now)`
        : '';
      return {
        status: 'needs-acknowledgement',
        message: `the replay lag is ${lagText}${before}, above the RPO of ${rpo} min: writes made in that window may be lost. Acknowledge ${lagText} to promote anyway.`,
        lag: { lagSeconds: status.lagSeconds, at: Date.now() },
      };
    }
    const fence = fenceTarget(params, env);
    if (fence && env.reachable(fence.id)) {
      const fenced = requireOk(
        await env.exec(fence, 'fence the old primary: stop PostgreSQL', fenceScript(fence.os, params), changing),
        `fencing ${fence.name}`,
      );
      const judged = judgeCtl(fence.name, params, fenced);
      if (judged.state === 'running')
        throw new StepStop({
          status: 'failed',
          message: `PostgreSQL on ${fence.name} is still running after the stop: not promoting (two primaries)`,
          observed: judged.detail,
        });
      // Not proven stopped (pg_ctl missing, a wrong data directory, runuser failing): never promote on a guess.
      if (judged.state === 'unknown')
        throw new StepStop({
          status: 'indeterminate',
          message: `the fence of ${fence.name} is not proven: ${judged.detail}. Not promoting.`,
        });
      env.info(judged.detail);
    } else if (fence) {
      env.info(`${fence.name} is unreachable: not fenced (the operator attested it is powered off or isolated)`);
    }
    const promoted = requireAnswer(
      await env.exec(server, 'promote', promoteScript(server.os, params), changing),
      `promoting ${server.name}`,
    );
    const answer = promoted.stdout.trim().split('\n').pop();
    if (promoted.code !== 0 || answer !== 't') {
      // pg_promote() returns f when its wait ran out: the promotion may still complete. Unknown, not failed.
      const why =
        answer === 'f'
          ? 'pg_promote() timed out (it may still finish)'
          : `exit status ${promoted.code}: ${clip(promoted.stderr || promoted.stdout)}`;
      throw new StepStop({ status: 'indeterminate', message: `promoting ${server.name}: ${why}` });
    }
    // Two reads on two hosts, sent together: the new primary's verification and the old primary's
    // re-read. Both must prove themselves before the step succeeds, so nothing is judged on one alone.
    const reread = fence && env.reachable(fence.id);
    const [verifying, after] = await Promise.all([
      env.exec(server, 'verify: not in recovery, a write succeeds', verifyScript(server.os, params), reading),
      reread ? readOldPrimary(params, env, fence, 're-read the old primary: pg_ctl status') : null,
    ]);
    if (after && fence) {
      // The old primary is read again after the promotion: a unit that restarted it means two primaries,
      // whatever the new primary's verification said.
      if (after.state === 'running')
        throw new StepStop({
          status: 'failed',
          message: `TWO PRIMARIES: PostgreSQL on ${fence.name} is running again after ${server.name} was promoted. Stop it now.`,
          observed: after.detail,
        });
      if (after.state === 'unknown')
        throw new StepStop({
          status: 'indeterminate',
          message: `${server.name} was promoted, but the old primary could not be re-read: ${after.detail}`,
        });
    }
    const verified = requireAnswer(verifying, `verifying ${server.name}`);
    const lines = verified.stdout.trim().split('\n').slice(-2);
    if (verified.code !== 0 || lines[0] !== 'f' || !/^[0-9]+$/.test(lines[1] ?? '')) {
      throw new StepStop({
        status: 'indeterminate',
        message: `${server.name} is not proven to accept writes after promotion: ${clip(verified.stderr || verified.stdout, 300)}`,
      });
    }
    return {
      status: 'succeeded',
      message: `${server.name} is the primary: not in recovery, and a write succeeded (transaction ${lines[1]})${after && fence ? `; ${fence.name} is still stopped` : ''}`,
    };
  },
  observe: (params, env) => observe(params, env),
};
