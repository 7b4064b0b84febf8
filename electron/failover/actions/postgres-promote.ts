/**
 * postgres.promote: make the standby the primary. Refuses a server that is already a primary;
 * shows the replay lag against the RPO and needs an acknowledgement above it; fences the old
 * primary where it is reachable (stops it) so there are never two writable primaries; promotes
 * with pg_promote(); verifies pg_is_in_recovery() is false and that a write (a transaction id)
 * succeeds.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { shellQuote, word } from '../../ssh/quote';
import { LifeboatError } from '../../../shared/errors';
import { asUser, outcomeText, planned, requireAnswer, requireOk, serverOf, StepStop, type ActionModule, type PlanEnvironment, type StepEnvironment } from './kit';

type Params = ActionParams<'postgres.promote'>;

/** Whether in recovery, and replay lag in seconds (0 when streaming and caught up, -1 unknown). */
const STATUS_SQL =
  "select pg_is_in_recovery(), case when not pg_is_in_recovery() then 0 when (select status from pg_stat_wal_receiver) = 'streaming' and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0 else coalesce(round(extract(epoch from now() - pg_last_xact_replay_timestamp())), -1) end";

function tool(params: Params, name: 'psql' | 'pg_ctl'): string {
  return params.binDir === '' ? name : word.path(`${params.binDir.replace(/\/+$/, '')}/${name}`).quoted;
}

/** A database name, checked against the same allowlist as the runbook schema, then quoted. */
function databaseWord(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new LifeboatError('invalid_input', 'a database name is letters, digits and _');
  return shellQuote(name);
}

/** psql with constant SQL statements (written in code, never from input). */
export function psqlScript(os: Server['os'], params: Params, statements: readonly string[]): string {
  const sql = statements.map((s) => `-c '${s.replace(/'/g, `'\\''`)}'`).join(' ');
  return asUser(os, params.osUser, `${tool(params, 'psql')} -X -A -t -q -p ${word.port(params.port).quoted} -d ${databaseWord(params.database)} ${sql}`);
}

/** Stop the old primary, then print "stopped" or "running" (pg_ctl status). */
export function fenceScript(os: Server['os'], params: Params): string {
  const dir = word.path(params.dataDir).quoted;
  const pgctl = (args: string) => asUser(os, params.osUser, `${tool(params, 'pg_ctl')} ${args}`);
  const status = `if ${pgctl(`-D ${dir} status`)} >/dev/null 2>&1; then echo running; else echo stopped; fi`;
  if (params.fence.kind === 'service') {
    const unit = word.unit(params.fence.unit).quoted;
    return os === 'openbsd' ? `rcctl stop ${unit}\n${status}` : `systemctl stop -- ${unit}\n${status}`;
  }
  return [`if ${pgctl(`-D ${dir} status`)} >/dev/null 2>&1; then ${pgctl(`-D ${dir} -m fast -w -t 60 stop`)}; fi`, status].join('\n');
}

export function statusScript(os: Server['os'], params: Params): string {
  return psqlScript(os, params, [STATUS_SQL]);
}

export function promoteScript(os: Server['os'], params: Params): string {
  return psqlScript(os, params, ['select pg_promote(true, 60)']);
}

/** pg_is_in_recovery(), then a write: assigning a transaction id fails on a read-only standby. */
export function verifyScript(os: Server['os'], params: Params): string {
  return psqlScript(os, params, ['select pg_is_in_recovery()', 'select txid_current()']);
}

/** Parse "t|0" into recovery and lag. */
export function parseStatus(stdout: string): { inRecovery: boolean; lagSeconds: number | null } | null {
  const m = /^([tf])\|(-?[0-9.]+)\s*$/m.exec(stdout);
  if (!m) return null;
  const lag = Number(m[2]);
  return { inRecovery: m[1] === 't', lagSeconds: lag < 0 ? null : lag };
}

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
  return params.fenceServerId === null || params.fence.kind === 'none' ? null : serverOf(env.servers, params.fenceServerId);
}

async function observe(params: Params, env: StepEnvironment): Promise<string> {
  const outcome = await env.exec(env.server, 'read recovery state and replay lag', statusScript(env.server.os, params), { readOnly: true, timeoutMs: 10_000 });
  if (outcome.kind !== 'ok') return `${env.server.name}: could not read PostgreSQL (${outcomeText(outcome)})`;
  const status = parseStatus(outcome.result.stdout);
  if (!status) return `${env.server.name}: unexpected answer from PostgreSQL`;
  return `${env.server.name} is ${status.inRecovery ? `a standby (replay lag ${status.lagSeconds ?? 'unknown'} s)` : 'a primary (not in recovery)'}`;
}

export const postgresPromote: ActionModule<'postgres.promote'> = {
  kind: 'postgres.promote',
  describe(params, env) {
    const fence = fenceTarget(params, env);
    return `Check ${env.server.name} is a standby and its replay lag against the RPO, ${fence ? `stop PostgreSQL on ${fence.name} where reachable, ` : ''}promote ${env.server.name}, and verify it accepts writes`;
  },
  commands(params, env) {
    const fence = fenceTarget(params, env);
    return [
      planned(env.server, 'read recovery state and replay lag', statusScript(env.server.os, params), true),
      ...(fence ? [planned(fence, 'fence the old primary: stop PostgreSQL', fenceScript(fence.os, params), false)] : []),
      planned(env.server, 'promote', promoteScript(env.server.os, params), false),
      planned(env.server, 'verify: not in recovery, a write succeeds', verifyScript(env.server.os, params), true),
    ];
  },
  servers(params, env) {
    const fence = fenceTarget(params, env);
    return fence ? [env.server, fence] : [env.server];
  },
  async execute(params, env) {
    const server = env.server;
    const before = requireOk(await env.exec(server, 'read recovery state and replay lag', statusScript(server.os, params), { readOnly: true, timeoutMs: 15_000 }), 'reading PostgreSQL');
    const status = parseStatus(before.stdout);
    if (!status) return { status: 'failed', message: `unexpected answer from PostgreSQL on ${server.name}: ${before.stdout.slice(0, 200)}` };
    if (!status.inRecovery) {
      return { status: 'refused', message: `${server.name} is already a primary (pg_is_in_recovery() is false): promotion refused. If the old primary is also running, stop one of them before anything else.` };
    }
    const rpo = params.rpoMinutes ?? env.rpoMinutes;
    const lagText = status.lagSeconds === null ? 'unknown' : `${status.lagSeconds} s`;
    env.info(`replay lag on ${server.name}: ${lagText}; RPO: ${rpo === null ? 'none set' : `${rpo} min`}`);
    const overRpo = rpo !== null && (status.lagSeconds === null || status.lagSeconds > rpo * 60);
    if (overRpo && !lagAccepted(status.lagSeconds, env.acknowledgedLag)) {
      const before = env.acknowledgedLag ? ` (you accepted ${env.acknowledgedLag.lagSeconds === null ? 'an unknown lag' : `${env.acknowledgedLag.lagSeconds} s`}; it is more now)` : '';
      return {
        status: 'needs-acknowledgement',
        message: `the replay lag is ${lagText}${before}, above the RPO of ${rpo} min: writes made in that window may be lost. Acknowledge ${lagText} to promote anyway.`,
        lag: { lagSeconds: status.lagSeconds, at: Date.now() },
      };
    }
    const fence = fenceTarget(params, env);
    if (fence && env.reachable(fence.id)) {
      const fenced = requireOk(await env.exec(fence, 'fence the old primary: stop PostgreSQL', fenceScript(fence.os, params), { readOnly: false, timeoutMs: 90_000, okCodes: [0, 1, 3] }), `fencing ${fence.name}`);
      if (!fenced.stdout.trim().endsWith('stopped')) throw new StepStop({ status: 'failed', message: `PostgreSQL on ${fence.name} is still running after the stop: not promoting (two primaries)` });
      env.info(`PostgreSQL on ${fence.name} is stopped`);
    } else if (fence) {
      env.info(`${fence.name} is unreachable: not fenced (the operator attested it is powered off or isolated)`);
    }
    const promoted = requireAnswer(await env.exec(server, 'promote', promoteScript(server.os, params), { readOnly: false, timeoutMs: 90_000 }), `promoting ${server.name}`);
    if (promoted.code !== 0) env.info(`pg_promote answered with exit status ${promoted.code}: ${promoted.stderr.trim().slice(0, 200)}`);
    const verified = requireAnswer(await env.exec(server, 'verify: not in recovery, a write succeeds', verifyScript(server.os, params), { readOnly: true, timeoutMs: 15_000 }), `verifying ${server.name}`);
    const lines = verified.stdout.trim().split('\n');
    if (verified.code !== 0 || lines[0] !== 'f' || !/^[0-9]+$/.test(lines[1] ?? '')) {
      throw new StepStop({ status: 'failed', message: `${server.name} is not accepting writes after promotion: ${(verified.stderr || verified.stdout).trim().slice(0, 300)}` });
    }
    return { status: 'succeeded', message: `${server.name} is the primary: not in recovery, and a write succeeded (transaction ${lines[1]})` };
  },
  observe: (params, env) => observe(params, env),
};
