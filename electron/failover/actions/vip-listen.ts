/**
 * vip.listen: before anything changes, the member failed over to probes the VIP for at least a
 * second (broadcast ARP requests spread over the window, every answer counted); the only MAC
 * allowed to answer is the holder's, read from its interface right before. Any other MAC — a
 * third party, a slow or lossy answerer, a holder attested off that still answers — refuses the
 * run with nothing changed. The holder answering is the proof that the probes reach the segment.
 * This step reads only; it changes nothing.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { word } from '../../ssh/quote';
import { planned, requireOk, serverOf, StepStop, type ActionModule, type StepEnvironment } from './kit';
import { parseAddresses } from './vip-state';
import {
  addressOn,
  interfaceMacScript,
  openbsdArpLines,
  parseInterfaceMac,
  parseOpenbsdArp,
  parseProbeRun,
  probeProof,
  probeRunLines,
  spreadSchedule,
} from './vip-probe';

type Params = ActionParams<'vip.listen'>;

const HOLDER_MARKER = '--- lifeboat: addresses';
/** Bound on reading the holder's interface. */
const HOLDER_READ_MS = 10_000;
/** Over the window, for the shell to start and report. */
const LISTEN_MARGIN_MS = 5000;
/** OpenBSD: pings sent before the ARP table is read. */
const OPENBSD_PINGS = 5;

/** The read of the holder: its interface (for the MAC) and its addresses (does it hold the VIP there?). */
export function holderReadScript(os: Server['os'], itf: string): string {
  return [
    interfaceMacScript(os, itf),
    `echo '${HOLDER_MARKER}'`,
    os === 'openbsd' ? 'ifconfig -A' : 'ip -o addr show',
  ].join('\n');
}

/** The listening script, run on the step's server. */
export function listenScript(os: Server['os'], params: Params): string {
  const address = word.ip(params.address).quoted;
  if (os === 'openbsd') return openbsdArpLines(params.address, OPENBSD_PINGS).join('\n');
  return probeRunLines(
    word.interfaceName(params.interface).quoted,
    address,
    spreadSchedule('ask', params.listenMilliseconds),
  ).join('\n');
}

interface Holder {
  name: string;
  /** The MAC allowed to answer; null when nobody may (no holder, or it is attested off). */
  mac: string | null;
  /** It holds the VIP on that interface, so it must be heard (the probes reach the segment). */
  mustAnswer: boolean;
}

async function readHolder(params: Params, env: StepEnvironment): Promise<Holder> {
  if (!params.holder) return { name: 'no member', mac: null, mustAnswer: false };
  const server = serverOf(env.servers, params.holder.serverId);
  if (!env.reachable(server.id)) {
    env.info(
      `${server.name} could not be reached at pre-flight (attested powered off or isolated): no MAC may answer for ${params.address}`,
    );
    return { name: server.name, mac: null, mustAnswer: false };
  }
  const outcome = await env.exec(
    server,
    `read the MAC of ${server.name} (${params.holder.interface})`,
    holderReadScript(server.os, params.holder.interface),
    { readOnly: true, quick: true, timeoutMs: HOLDER_READ_MS },
  );
  const result = requireOk(outcome, `reading the interface ${params.holder.interface} of ${server.name}`);
  const [linkText, addressText = ''] = result.stdout.split(HOLDER_MARKER);
  const mac = parseInterfaceMac(server.os, linkText);
  if (!mac || !result.stdout.includes(HOLDER_MARKER)) {
    throw new StepStop({
      status: 'refused',
      message: `could not read the MAC of ${server.name} (${params.holder.interface}), the only one allowed to answer for ${params.address}: nothing was changed`,
    });
  }
  const holds =
    addressOn(parseAddresses(server.os, addressText), params.address, params.holder.interface) !== undefined;
  return { name: server.name, mac, mustAnswer: holds };
}

/** What to do about a MAC that should not answer. */
function stranger(params: Params, env: StepEnvironment, holder: Holder, macs: string[]): string {
  const allowed = holder.mac
    ? `only ${holder.name}'s ${params.holder?.interface} (${holder.mac}) may answer`
    : `nobody may answer (${holder.name === 'no member' ? 'no member holds it' : `${holder.name} is attested powered off or isolated`})`;
  return (
    `another machine answers for ${params.address}: ${macs.join(', ')}; ${allowed}. Refused before anything changed. ` +
    `Find the machine with that MAC (the switch's MAC table, or \`ip neigh\` on a neighbour), remove ${params.address} from it or correct the group, then retry this step`
  );
}

export const vipListen: ActionModule<'vip.listen'> = {
  kind: 'vip.listen',
  describe: (params, env) => {
    const holder = params.holder
      ? (env.servers.get(params.holder.serverId)?.name ?? `server ${params.holder.serverId}`)
      : null;
    const who = holder
      ? `only ${holder}'s MAC (${params.holder?.interface}, read right before) may answer`
      : 'nobody may answer';
    const weaker =
      env.server.os === 'openbsd'
        ? ' OpenBSD has no arping: the ARP table is read after a ping, which shows one MAC at most and may miss a slow or second answerer (a weaker guard).'
        : '';
    return `Before anything changes, listen from ${env.server.name} (${params.interface}) for ${params.listenMilliseconds} ms for machines answering ARP for ${params.address}: ${who}; any other MAC refuses the run.${weaker}`;
  },
  commands: (params, env) => {
    const out = [];
    const holder = params.holder ? env.servers.get(params.holder.serverId) : undefined;
    if (params.holder && holder)
      out.push(
        planned(
          holder,
          `read the MAC of ${holder.name} (${params.holder.interface})`,
          holderReadScript(holder.os, params.holder.interface),
          true,
        ),
      );
    out.push(
      planned(
        env.server,
        `probe ${params.address} for ${params.listenMilliseconds} ms and list who answers`,
        listenScript(env.server.os, params),
        true,
      ),
    );
    return out;
  },
  servers: (params, env) => [env.server, ...(params.holder ? [serverOf(env.servers, params.holder.serverId)] : [])],
  async execute(params, env) {
    const holder = await readHolder(params, env);
    const server = env.server;
    const outcome = await env.exec(server, `listen for holders of ${params.address}`, listenScript(server.os, params), {
      readOnly: true,
      quick: true,
      timeoutMs: params.listenMilliseconds + LISTEN_MARGIN_MS,
    });
    const result = requireOk(outcome, `listening for ${params.address} on ${server.name}`);
    if (server.os === 'openbsd') {
      const seen = parseOpenbsdArp(result.stdout, params.address);
      if (seen === null)
        throw new StepStop({
          status: 'refused',
          message: `the ARP table of ${server.name} could not be read after the ping: no proof who answers for ${params.address}; nothing was changed`,
        });
      if (seen !== 'none' && seen !== holder.mac)
        throw new StepStop({ status: 'refused', message: stranger(params, env, holder, [seen]) });
      if (seen === 'none' && holder.mustAnswer)
        throw new StepStop({
          status: 'refused',
          message: `${holder.name} holds ${params.address} but no answer reached ${server.name}: the probes may not reach the segment (check ${params.interface}); nothing was changed`,
        });
      return {
        status: 'succeeded',
        message: `the ARP table of ${server.name} shows ${seen === 'none' ? 'nobody' : `${holder.name} (${seen})`} for ${params.address} (OpenBSD: one MAC at most is visible)`,
      };
    }
    const schedule = spreadSchedule('ask', params.listenMilliseconds);
    const run = parseProbeRun(result.stdout, params.address);
    const others = run.macs.filter((mac) => mac !== holder.mac);
    // Any answer from a stranger refuses, even when the listening itself was imperfect.
    if (others.length > 0) throw new StepStop({ status: 'refused', message: stranger(params, env, holder, others) });
    const missing = probeProof(run, schedule);
    if (missing)
      throw new StepStop({
        status: 'refused',
        message: `the listening on ${server.name} gave no proof (${missing}): nothing was changed`,
      });
    if (holder.mustAnswer && holder.mac && !run.macs.includes(holder.mac)) {
      throw new StepStop({
        status: 'refused',
        message: `${holder.name} holds ${params.address} but did not answer ${run.probesSent} probes from ${server.name}: the probes may not reach the segment (check ${params.interface}); nothing was changed`,
      });
    }
    const heard = run.macs.length > 0 ? `only ${holder.name} (${holder.mac}) answered` : 'nobody answered';
    return {
      status: 'succeeded',
      message: `${run.probesSent} probes over ${params.listenMilliseconds} ms from ${server.name}: ${heard} for ${params.address}`,
    };
  },
  observe: async (params, env) =>
    `listening changes nothing: ${params.address} was only probed from ${env.server.name}`,
};
