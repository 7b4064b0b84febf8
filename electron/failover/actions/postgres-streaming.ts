/**
 * postgres.streaming: wait (bounded) until the step's server streams WAL from the primary, proven
 * at both ends in the same round: on the standby, pg_is_in_recovery() and pg_stat_wal_receiver
 * say streaming; on the primary, pg_stat_replication lists it (by application_name or address) as
 * streaming. Streaming never reached by the deadline is a failure with the last reads, never
 * "ok"; reads that never proved themselves make it indeterminate. Read-only.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { outcomeText, planned, serverOf, StepStop, type ActionModule, type StepEnvironment } from './kit';
import { foundProblem, PG_EXIT } from './postgres-scripts';
import { parseReceiver, parseSenders, receiverReadScript, sendersReadScript } from './postgres-standby-scripts';

type Params = ActionParams<'postgres.streaming'>;

const READ_TIMEOUT_MS = 10_000;
const FIND_CODES = [0, PG_EXIT.noCluster, PG_EXIT.noPgCtl];

/** One round of reads at both ends: streaming, not yet, or unknown (with what was read). */
interface StreamingRound {
  state: 'streaming' | 'not-yet' | 'unknown' | 'primary';
  said: string;
}

/** Whether a sender row is the standby's: by its application_name or one of its own addresses. */
function isStandbys(standby: Server, sender: { applicationName: string; clientAddress: string }): boolean {
  const own = new Set([...standby.addresses, standby.ssh.host].map((a) => a.toLowerCase()));
  return sender.applicationName === standby.name || own.has(sender.clientAddress.toLowerCase());
}

async function readRound(params: Params, env: StepEnvironment, primary: Server): Promise<StreamingRound> {
  const standby = env.server;
  const options = { readOnly: true, quick: true, timeoutMs: READ_TIMEOUT_MS, okCodes: FIND_CODES };
  const [onStandby, onPrimary] = await Promise.all([
    env.exec(standby, 'WAL receiver state', receiverReadScript(standby.os, params), options),
    env.exec(primary, 'WAL senders', sendersReadScript(primary.os, params), options),
  ]);
  if (onStandby.kind !== 'ok')
    return { state: 'unknown', said: `${standby.name}: could not read (${outcomeText(onStandby)})` };
  if (onPrimary.kind !== 'ok')
    return { state: 'unknown', said: `${primary.name}: could not read (${outcomeText(onPrimary)})` };
  const receiver = parseReceiver(onStandby.result.stdout);
  const senders = parseSenders(onPrimary.result.stdout);
  if ('unknown' in receiver)
    return {
      state: 'unknown',
      said: `${standby.name}: ${foundProblem(standby.name, params, onStandby.result) ?? receiver.unknown}`,
    };
  if ('unknown' in senders)
    return {
      state: 'unknown',
      said: `${primary.name}: ${foundProblem(primary.name, params, onPrimary.result) ?? senders.unknown}`,
    };
  if (!receiver.inRecovery) return { state: 'primary', said: `${standby.name} is not in recovery: it is a primary` };
  const mine = senders.senders.filter((s) => isStandbys(standby, s));
  const said = `${standby.name}: WAL receiver ${receiver.status ?? 'not running'}; ${primary.name}: ${
    mine.length === 0 ? `no WAL sender for ${standby.name}` : `sender ${mine.map((s) => s.state || '?').join(', ')}`
  }`;
  const streaming = receiver.status === 'streaming' && mine.some((s) => s.state === 'streaming');
  return { state: streaming ? 'streaming' : 'not-yet', said };
}

export const postgresStreaming: ActionModule<'postgres.streaming'> = {
  kind: 'postgres.streaming',
  describe(params, env) {
    const primary = serverOf(env.servers, params.primaryServerId);
    return `Wait up to ${params.deadlineSeconds} s until ${env.server.name} streams from ${primary.name}: its WAL receiver says streaming and ${primary.name}'s pg_stat_replication lists it as streaming (read only)`;
  },
  commands(params, env) {
    const primary = serverOf(env.servers, params.primaryServerId);
    return [
      planned(
        env.server,
        `WAL receiver state (every ${params.intervalSeconds} s)`,
        receiverReadScript(env.server.os, params),
        true,
      ),
      planned(primary, `WAL senders (every ${params.intervalSeconds} s)`, sendersReadScript(primary.os, params), true),
    ];
  },
  servers(params, env) {
    return [env.server, serverOf(env.servers, params.primaryServerId)];
  },
  async execute(params, env) {
    const primary = serverOf(env.servers, params.primaryServerId);
    if (primary.id === env.server.id)
      return { status: 'refused', message: `${env.server.name} cannot stream from itself` };
    const started = Date.now();
    const deadline = started + Math.min(params.deadlineSeconds * 1000, env.remainingMs());
    let last: StreamingRound = { state: 'unknown', said: 'nothing was read' };
    let rounds = 0;
    // Bounded by the deadline and by a round count (each round takes at least the interval).
    while (rounds < 3600) {
      rounds++;
      last = await readRound(params, env, primary);
      if (last.state === 'streaming')
        return {
          status: 'succeeded',
          message: `${env.server.name} streams from ${primary.name} (proven at both ends after ${((Date.now() - started) / 1000).toFixed(1)} s): ${last.said}`,
        };
      if (last.state === 'primary')
        throw new StepStop({
          status: 'failed',
          message: `${last.said}: it cannot stream. Re-protect it again, or stop it if ${primary.name} is the primary.`,
        });
      if (Date.now() + params.intervalSeconds * 1000 >= deadline) break;
      await env.sleep(params.intervalSeconds * 1000);
    }
    const waited = ((Date.now() - started) / 1000).toFixed(1);
    if (last.state === 'unknown')
      return {
        status: 'indeterminate',
        message: `whether ${env.server.name} streams from ${primary.name} is unknown after ${waited} s: ${last.said}`,
      };
    return {
      status: 'failed',
      message: `${env.server.name} did not reach streaming from ${primary.name} in ${waited} s: ${last.said}. Check primary_conninfo, pg_hba.conf on ${primary.name} for the replication user, and the PostgreSQL log on ${env.server.name}.`,
    };
  },
  async observe(params, env) {
    const round = await readRound(params, env, serverOf(env.servers, params.primaryServerId));
    return round.said;
  },
};
