/**
 * postgres.rebuild: make the step's server (the member a failover left) a standby of the primary
 * now. Refuses unless the primary is proven a primary and holds the group's VIP while the step's
 * server does not; stops PostgreSQL on the step's server (only `pg_ctl status` exit 3 is stopped);
 * rewinds with pg_rewind when the cluster allows it (data checksums or wal_log_hints, and
 * full_page_writes on the primary) and otherwise says why and copies with pg_basebackup (the old
 * data directory kept aside); a pg_rewind that fails falls back to pg_basebackup. Then
 * standby.signal and primary_conninfo, start, and a re-read: it must be in recovery. Streaming is
 * proven by the next step (postgres.streaming).
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { clip } from '../proven-read';
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
import { judgeCtl } from './postgres-promote';
import { fenceScript, foundProblem, PG_EXIT } from './postgres-scripts';
import {
  basebackupScript,
  parseControlData,
  parsePrimaryRead,
  parseReceiver,
  primaryConninfo,
  primaryReadScript,
  REBUILD_EXIT,
  rebuildReadScript,
  receiverReadScript,
  rewindScript,
  standbyConfigScript,
  startScript,
} from './postgres-standby-scripts';
import { receiverAddress } from './rsync-lines';
import { addressSanityProblem, findAddress, listAddressesScript, parseAddresses } from './vip-state';

type Params = ActionParams<'postgres.rebuild'>;

const READ_TIMEOUT_MS = 15_000;
const FIND_CODES = [0, PG_EXIT.noCluster, PG_EXIT.noPgCtl];

interface Ends {
  primary: Server;
  standby: Server;
  /** The primary's own address (never a VIP): what the standby connects to. */
  primaryAddress: string;
  conninfo: string;
}

function ends(params: Params, env: PlanEnvironment): Ends {
  const primary = serverOf(env.servers, params.primaryServerId);
  const primaryAddress = receiverAddress(
    primary,
    env.group.vips.map((v) => v.address),
  );
  return {
    primary,
    standby: env.server,
    primaryAddress,
    conninfo: primaryConninfo(primaryAddress, params, env.server.name),
  };
}

/** The stop of the step's server, as the fence of a promotion does it (only exit 3 is stopped). */
function stopScript(os: Server['os'], params: Params): string {
  return fenceScript(os, asFence(params));
}

/** A read-only PostgreSQL read on one member; the cluster-not-found exits are answers, not failures. */
async function readPostgres(env: StepEnvironment, server: Server, title: string, script: string) {
  return requireOk(
    await env.exec(server, title, script, {
      readOnly: true,
      quick: true,
      timeoutMs: READ_TIMEOUT_MS,
      okCodes: FIND_CODES,
    }),
    `reading PostgreSQL on ${server.name}`,
  );
}
/** The rebuild's own control of PostgreSQL, in the fence's terms (its unit or pg_ctl; nothing else fenced). */
function asFence(params: Params) {
  return { ...params, fence: params.control, fenceServerId: null, rpoMinutes: null };
}

/** Stop or start PostgreSQL on the member being rebuilt, judged by `pg_ctl status` as the fence judges it. */
async function controlPostgres(
  params: Params,
  env: StepEnvironment,
  e: Ends,
  what: 'stop' | 'start',
): Promise<ReturnType<typeof judgeCtl> & { stdout: string }> {
  const outcome = requireOk(
    await env.exec(
      e.standby,
      `${what} PostgreSQL, then pg_ctl status`,
      what === 'stop' ? stopScript(e.standby.os, params) : startScript(e.standby.os, params),
      {
        readOnly: false,
        quick: true,
        timeoutMs: what === 'stop' ? 90_000 : Math.min(120_000, env.remainingMs()),
        okCodes: FIND_CODES,
      },
    ),
    `${what === 'stop' ? 'stopping' : 'starting'} PostgreSQL on ${e.standby.name}`,
  );
  return { ...judgeCtl(e.standby.name, asFence(params), outcome), stdout: outcome.stdout };
}
/** Whether `server` holds the VIP, from a proven address list. */
async function holdsVip(env: StepEnvironment, server: Server, address: string): Promise<boolean> {
  const outcome = await env.exec(server, `does ${server.name} hold ${address}?`, listAddressesScript(server.os), {
    readOnly: true,
    quick: true,
    timeoutMs: READ_TIMEOUT_MS,
  });
  const result = requireOk(outcome, `reading the addresses of ${server.name}`);
  const addresses = parseAddresses(server.os, result.stdout);
  const problem = addressSanityProblem(server, addresses);
  if (problem)
    throw new StepStop({
      status: 'indeterminate',
      message: `cannot tell whether ${server.name} holds ${address}: ${problem}; nothing was changed`,
    });
  return findAddress(addresses, address) !== undefined;
}

/** Which tool rebuilds, and why (said to the operator either way). */
export function chooseMethod(
  params: Params,
  standby: string,
  control: ReturnType<typeof parseControlData>,
  fullPageWrites: boolean,
): { method: 'rewind' | 'basebackup'; why: string } {
  if (params.method === 'basebackup')
    return { method: 'basebackup', why: 'the runbook asks for pg_basebackup (a full copy)' };
  if ('unknown' in control)
    return { method: 'basebackup', why: `whether pg_rewind may be used is unknown (${control.unknown})` };
  if (!control.checksums && !control.walLogHints)
    return {
      method: 'basebackup',
      why: `data checksums and wal_log_hints are both off on ${standby}: pg_rewind cannot be used (turn wal_log_hints on to rewind next time)`,
    };
  if (!fullPageWrites)
    return { method: 'basebackup', why: 'full_page_writes is off on the primary: pg_rewind cannot be used' };
  return {
    method: 'rewind',
    why: `${control.checksums ? 'data checksums are' : 'wal_log_hints is'} on and full_page_writes is on: pg_rewind`,
  };
}

async function basebackup(params: Params, env: StepEnvironment, e: Ends): Promise<string> {
  const outcome = await env.exec(
    e.standby,
    `copy the primary with pg_basebackup (the old data directory is kept aside)`,
    basebackupScript(e.standby.os, params, e.primaryAddress),
    { readOnly: false, timeoutMs: env.remainingMs(), okCodes: FIND_CODES },
  );
  const result = requireAnswer(outcome, `pg_basebackup on ${e.standby.name}`);
  const missing = foundProblem(e.standby.name, params, result);
  if (missing) throw new StepStop({ status: 'refused', message: `${missing}: nothing was changed` });
  if (result.code === REBUILD_EXIT.asideFailed)
    throw new StepStop({
      status: 'failed',
      message: `the old data directory on ${e.standby.name} could not be moved aside: ${clip(result.stdout + result.stderr)}; nothing was copied`,
    });
  if (result.code !== 0)
    throw new StepStop({
      status: 'failed',
      message: `pg_basebackup from ${e.primary.name} failed (exit ${result.code}): ${clip(result.stdout + result.stderr, 400)}`,
    });
  return (/^lifeboat: the old data directory is kept at (.*)$/m.exec(result.stdout)?.[1] ?? '').trim();
}

async function observe(params: Params, env: StepEnvironment): Promise<string> {
  const outcome = await env.exec(env.server, 'read PostgreSQL', receiverReadScript(env.server.os, params), {
    readOnly: true,
    quick: true,
    timeoutMs: 10_000,
    okCodes: FIND_CODES,
  });
  if (outcome.kind !== 'ok') return `${env.server.name}: could not read PostgreSQL (${outcomeText(outcome)})`;
  const read = parseReceiver(outcome.result.stdout);
  if ('unknown' in read)
    return `${env.server.name}: ${foundProblem(env.server.name, params, outcome.result) ?? read.unknown}`;
  return `${env.server.name} is ${read.inRecovery ? `a standby (WAL receiver: ${read.status ?? 'none'})` : 'a primary (not in recovery)'}`;
}

export const postgresRebuild: ActionModule<'postgres.rebuild'> = {
  kind: 'postgres.rebuild',
  describe(params, env) {
    const e = ends(params, env);
    const vip = params.vipAddress
      ? `${e.primary.name} holds ${params.vipAddress} and ${e.standby.name} does not, `
      : '';
    const how =
      params.method === 'basebackup'
        ? 'copy it with pg_basebackup (the old data directory kept aside)'
        : 'rewind it with pg_rewind where data checksums or wal_log_hints allow it, else (or if pg_rewind fails) copy it with pg_basebackup (the old data directory kept aside; say why)';
    return `Check ${vip}${e.primary.name} is a primary; stop PostgreSQL on ${e.standby.name} (proven stopped), ${how}, write standby.signal and primary_conninfo (${e.conninfo}), start it and verify it is in recovery`;
  },
  commands(params, env) {
    const e = ends(params, env);
    const os = e.standby.os;
    const vipReads = params.vipAddress
      ? [e.primary, e.standby].map((s) =>
          planned(s, `does ${s.name} hold ${params.vipAddress}?`, listAddressesScript(s.os), true),
        )
      : [];
    return [
      ...vipReads,
      planned(e.primary, 'is it a primary; is full_page_writes on?', primaryReadScript(e.primary.os, params), true),
      planned(
        e.standby,
        'pg_ctl status; checksums and wal_log_hints (pg_controldata)',
        rebuildReadScript(os, params),
        true,
      ),
      planned(e.standby, 'stop PostgreSQL, then pg_ctl status (only exit 3 is stopped)', stopScript(os, params), false),
      planned(
        e.standby,
        'pg_rewind from the primary (when allowed)',
        rewindScript(os, params, e.primaryAddress),
        false,
      ),
      planned(
        e.standby,
        'pg_basebackup from the primary (when pg_rewind cannot be used or failed; the old directory is kept aside)',
        basebackupScript(os, params, e.primaryAddress),
        false,
      ),
      planned(e.standby, 'standby.signal and primary_conninfo', standbyConfigScript(params, e.conninfo), false),
      planned(e.standby, 'start PostgreSQL, then pg_ctl status', startScript(os, params), false),
      planned(e.standby, 'verify: in recovery', receiverReadScript(os, params), true),
    ];
  },
  servers(params, env) {
    const e = ends(params, env);
    return [e.standby, e.primary];
  },
  async execute(params, env) {
    const e = ends(params, env);
    if (e.primary.id === e.standby.id)
      return { status: 'refused', message: `${e.standby.name} cannot be rebuilt as a standby of itself` };
    if (params.vipAddress) {
      const [onPrimary, onStandby] = await Promise.all([
        holdsVip(env, e.primary, params.vipAddress),
        holdsVip(env, e.standby, params.vipAddress),
      ]);
      if (!onPrimary || onStandby)
        return {
          status: 'refused',
          message: `${!onPrimary ? `${e.primary.name} (the primary now) does not hold ${params.vipAddress}` : `${e.standby.name} holds ${params.vipAddress}`}: only the member without the VIP is rebuilt; nothing was changed`,
          observed: `${e.primary.name} holds it: ${onPrimary}; ${e.standby.name} holds it: ${onStandby}`,
        };
    }
    const primaryRead = await readPostgres(
      env,
      e.primary,
      'is it a primary; is full_page_writes on?',
      primaryReadScript(e.primary.os, params),
    );
    const primaryMissing = foundProblem(e.primary.name, params, primaryRead);
    if (primaryMissing) return { status: 'refused', message: `${primaryMissing}: nothing was changed` };
    const primary = parsePrimaryRead(primaryRead.stdout);
    if ('unknown' in primary)
      return {
        status: 'failed',
        message: `PostgreSQL on ${e.primary.name} is not proven a primary (${primary.unknown}): nothing was changed`,
      };
    if (primary.inRecovery)
      return {
        status: 'refused',
        message: `${e.primary.name} is in recovery (a standby), not a primary: there is nothing to rebuild ${e.standby.name} from; nothing was changed`,
      };
    const standbyRead = await readPostgres(
      env,
      e.standby,
      'pg_ctl status; checksums and wal_log_hints',
      rebuildReadScript(e.standby.os, params),
    );
    const standbyMissing = foundProblem(e.standby.name, params, standbyRead);
    if (standbyMissing) return { status: 'refused', message: `${standbyMissing}: nothing was changed` };
    const choice = chooseMethod(params, e.standby.name, parseControlData(standbyRead.stdout), primary.fullPageWrites);
    env.info(choice.why);

    const judged = await controlPostgres(params, env, e, 'stop');
    if (judged.state !== 'stopped')
      throw new StepStop({
        status: judged.state === 'running' ? 'failed' : 'indeterminate',
        message: `PostgreSQL on ${e.standby.name} is not proven stopped (${judged.detail}): nothing was rewound or copied`,
      });
    env.info(judged.detail);

    let used: 'pg_rewind' | 'pg_basebackup' = 'pg_rewind';
    let aside = '';
    if (choice.method === 'rewind') {
      const rewound = requireAnswer(
        await env.exec(e.standby, 'pg_rewind from the primary', rewindScript(e.standby.os, params, e.primaryAddress), {
          readOnly: false,
          timeoutMs: env.remainingMs(),
          okCodes: FIND_CODES,
        }),
        `pg_rewind on ${e.standby.name}`,
      );
      if (rewound.code !== 0) {
        env.info(
          `pg_rewind failed (exit ${rewound.code}): ${clip(rewound.stdout + rewound.stderr, 400)}. Falling back to pg_basebackup (a full copy).`,
        );
        used = 'pg_basebackup';
        aside = await basebackup(params, env, e);
      }
    } else {
      used = 'pg_basebackup';
      aside = await basebackup(params, env, e);
    }
    if (aside) env.info(`the old data directory is kept at ${aside}: remove it once nothing in it is needed`);

    const configured = requireOk(
      await env.exec(e.standby, 'standby.signal and primary_conninfo', standbyConfigScript(params, e.conninfo), {
        readOnly: false,
        quick: true,
        timeoutMs: READ_TIMEOUT_MS,
      }),
      `configuring ${e.standby.name} as a standby`,
    );
    if (configured.stdout.trim().split('\n').pop() !== '1')
      throw new StepStop({
        status: 'failed',
        message: `primary_conninfo is not written exactly once on ${e.standby.name}: ${clip(configured.stdout)}`,
      });

    const running = await controlPostgres(params, env, e, 'start');
    if (running.state !== 'running')
      throw new StepStop({
        status: running.state === 'stopped' ? 'failed' : 'indeterminate',
        message: `PostgreSQL on ${e.standby.name} did not start (${running.detail}): ${clip(running.stdout, 300)}`,
      });
    const verified = await readPostgres(
      env,
      e.standby,
      'verify: in recovery',
      receiverReadScript(e.standby.os, params),
    );
    const state = parseReceiver(verified.stdout);
    if ('unknown' in state)
      throw new StepStop({
        status: 'indeterminate',
        message: `${e.standby.name} started, but whether it is in recovery is unknown: ${state.unknown}`,
      });
    if (!state.inRecovery)
      throw new StepStop({
        status: 'failed',
        message: `TWO PRIMARIES: ${e.standby.name} started out of recovery (standby.signal was not honoured). Stop it now.`,
        alarm: `TWO PRIMARIES: ${e.standby.name} started as a primary while ${e.primary.name} is one`,
      });
    return {
      status: 'succeeded',
      message: `${e.standby.name} rebuilt from ${e.primary.name} with ${used} and started in recovery (WAL receiver: ${state.status ?? 'not yet started'})${aside ? `; the old data directory is kept at ${aside}` : ''}`,
    };
  },
  observe: (params, env) => observe(params, env),
};
