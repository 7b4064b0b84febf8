/**
 * vip.watch: after the acquire, the new holder keeps probing the VIP for at least two seconds
 * (`arping -D` spread over the window: any ARP packet claiming the address from another MAC counts,
 * an answer or an announcement). The holder's own MAC is the first; a second MAC is a second
 * holder: alarm, halt, and say what to do. The window lies after the clients moved, so it costs
 * no downtime. Re-reads the addresses at the end: the holder must still hold the VIP.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { shellQuote, word } from '../../ssh/quote';
import { planned, requireOk, StepStop, type ActionModule } from './kit';
import { observeHolding, STATE_MARKER, stateAfterMarker } from './vip-release';
import { listAddressesScript, parseAddresses } from './vip-state';
import {
  addressOn,
  interfaceMacScript,
  parseInterfaceMac,
  parseProbeRun,
  probeProof,
  probeRunLines,
  spreadSchedule,
} from './vip-probe';

type Params = ActionParams<'vip.watch'>;

const LINK_MARKER = '--- lifeboat: link';
const WATCH_MARGIN_MS = 5000;

/** The watch script, run on the new holder. */
export function watchScript(os: Server['os'], params: Params): string {
  const itf = word.interfaceName(params.interface).quoted;
  const seconds = (Number(word.integer(params.watchMilliseconds, 2000, 30_000).value) / 1000).toFixed(3);
  const probe =
    os === 'openbsd'
      ? (() => {
          // OpenBSD logs an ARP packet that claims one of its addresses from another MAC.
          const claim = shellQuote(`duplicate IP address ${word.ip(params.address).value} `);
          return [
            `before=$(dmesg | grep -c -F -e ${claim})`,
            `sleep ${seconds}`,
            `after=$(dmesg | grep -c -F -e ${claim})`,
            `echo "lifeboat: claims before $before after $after"`,
            `dmesg | grep -F -e ${claim} | tail -n 5`,
          ];
        })()
      : probeRunLines(itf, word.ip(params.address).quoted, spreadSchedule('dad', params.watchMilliseconds));
  return [
    ...probe,
    `echo '${LINK_MARKER}'`,
    interfaceMacScript(os, params.interface),
    `echo '${STATE_MARKER}'`,
    listAddressesScript(os),
  ].join('\n');
}

/** The alarm: who holds it, who else answers, and what the operator should do. */
function twoHolders(params: Params, host: string, own: string | null, others: string[]): string {
  return (
    `TWO HOLDERS of ${params.address}: ${host} (${own ?? 'MAC unread'}) holds it and ${others.join(', ')} also answers for it. Halted. ` +
    `Clients may reach either machine. Find the machine with that MAC (the switch's MAC table, or \`ip neigh\` on a neighbour) and remove ${params.address} from it ` +
    `(or power it off), then retry this step to watch again; if the other machine must keep the address, abort and move it back by hand`
  );
}

export const vipWatch: ActionModule<'vip.watch'> = {
  kind: 'vip.watch',
  aftercare: true,
  describe: (params, env) => {
    const weaker =
      env.server.os === 'openbsd'
        ? ' OpenBSD has no arping: only ARP claims its kernel logs are seen, and a silent second holder can be missed (a weaker guard).'
        : '';
    return `Watch ${params.address} from ${env.server.name} (${params.interface}) for ${params.watchMilliseconds} ms: a second MAC answering for it is a second holder (alarm and halt); ${env.server.name} must still hold it at the end.${weaker}`;
  },
  commands: (params, env) => [
    planned(
      env.server,
      `watch ${params.address} for ${params.watchMilliseconds} ms for a second holder, then re-read the addresses`,
      watchScript(env.server.os, params),
      true,
    ),
  ],
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const server = env.server;
    const outcome = await env.exec(
      server,
      `watch ${params.address} for a second holder`,
      watchScript(server.os, params),
      { readOnly: true, quick: true, timeoutMs: params.watchMilliseconds + WATCH_MARGIN_MS },
    );
    const result = requireOk(outcome, `watching ${params.address} on ${server.name}`);
    const [probeText, rest = ''] = result.stdout.split(LINK_MARKER);
    const own = parseInterfaceMac(server.os, rest.split(STATE_MARKER)[0]);
    const held = addressOn(parseAddresses(server.os, stateAfterMarker(rest)), params.address, params.interface);
    let others: string[];
    let watched: string;
    if (server.os === 'openbsd') {
      const claims = /^lifeboat: claims before (\d+) after (\d+)$/m.exec(probeText);
      if (!claims)
        throw new StepStop({
          status: 'indeterminate',
          message: `the kernel log of ${server.name} could not be read: no proof that ${params.address} has one holder`,
        });
      const fresh = Number(claims[2]) - Number(claims[1]);
      others =
        fresh > 0
          ? [
              ...new Set(
                (probeText.match(/ethernet address ([0-9a-f:]{17})/gi) ?? []).map((m) => m.slice(-17).toLowerCase()),
              ),
            ].filter((mac) => mac !== own)
          : [];
      if (fresh > 0 && others.length === 0) others = ['another MAC (logged by the kernel)'];
      watched = `${params.watchMilliseconds} ms of the kernel's ARP log`;
    } else {
      const run = parseProbeRun(probeText, params.address);
      // arping -D ignores its own MAC; every MAC it heard is another machine's.
      others = run.macs.filter((mac) => mac !== own);
      const missing = others.length > 0 ? null : probeProof(run, spreadSchedule('dad', params.watchMilliseconds));
      if (missing)
        throw new StepStop({
          status: 'indeterminate',
          message: `the watch of ${params.address} on ${server.name} gave no proof (${missing}): a second holder cannot be ruled out`,
        });
      watched = `${run.probesSent} probes over ${params.watchMilliseconds} ms`;
    }
    if (others.length > 0) {
      const alarm = twoHolders(params, server.name, own, others);
      throw new StepStop({
        status: 'failed',
        message: alarm,
        alarm,
        observed: held
          ? `${server.name} holds ${params.address} on ${held.interface}`
          : `${server.name} no longer holds ${params.address}`,
      });
    }
    if (!held)
      throw new StepStop({
        status: 'failed',
        message: `${server.name} no longer holds ${params.address} on ${params.interface} at the end of the watch`,
      });
    return {
      status: 'succeeded',
      message: `${watched}: no other MAC answered for ${params.address}; ${server.name} (${own ?? 'MAC unread'}) holds it`,
    };
  },
  observe: (params, env) => observeHolding(env, env.server, params.address),
};
