/**
 * vip.acquire: take a virtual IP on the member failed over to. Probes for a duplicate first
 * (`arping -D`: refuse if anyone answers, and refuse too when the probe gives no proof that the
 * address is free), adds the address, announces it with one gratuitous ARP sent in the background
 * (arping holds for a second; the address counts as up without waiting on it), and re-reads the
 * addresses in the same round trip. Already held: succeeds, changes nothing.
 *
 * The probe: by default `arping -D -c 2 -w 1` runs to its own end (two probes, one second) under
 * a deadline that covers it, and only its clean exit with "Received 0 response(s)" counts as free.
 * A window under a second (probeMilliseconds, to shorten client downtime) interrupts arping with
 * SIGINT when the window closes; it must still report at least one probe sent and no answer.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { isIpv6 } from '../../../shared/validation';
import { word } from '../../ssh/quote';
import { planned, requireAnswer, StepStop, type ActionModule } from './kit';
import { familyOf, findAddress, listAddressesScript, netmaskOf, parseAddresses } from './vip-state';
import { observeHolding, STATE_MARKER, stateAfterMarker } from './vip-release';

type Params = ActionParams<'vip.acquire'>;

/** IPv6 duplicate address detection: how many tenths of a second to wait while the address is tentative. */
const DAD_WAIT_TRIES = 30;

/** Exit statuses the script uses to say why it stopped. */
export const ACQUIRE_EXIT = { duplicate: 3, probeFailed: 4, addFailed: 5 } as const;

const AWK_FOUND = `'{ for (i = 1; i < NF; i++) if (($i == "inet" || $i == "inet6") && index($(i + 1), a "/") == 1) found = 1 } END { exit !found }'`;

/** The probe window as `timeout` takes it: seconds with a decimal point. */
function seconds(milliseconds: number): string {
  return (Math.round(milliseconds) / 1000).toFixed(3);
}

/** How long arping takes from its start to its first probe, at most (measured here: under 2 ms in 20 of 20 tries, under 1 ms in 10 of 20). */
const PROBE_STARTUP_MS = 3;

/** The second, longer window of a short probe that could not send in its first. */
const SHORT_RETRY_MS = 250;

/** Extra time over arping's own deadline before `timeout` interrupts it. */
const PROBE_DEADLINE_MARGIN_MS = 500;

/** The Linux duplicate probe: exit 3 when anyone answers, 4 when there is no proof the address is free. */
export function duplicateProbeScript(itf: string, address: string, probeMilliseconds: number): string[] {
  const full = probeMilliseconds >= 1000;
  // arping's -w takes whole seconds; a shorter window is cut by timeout's SIGINT (arping then prints its statistics).
  const wait = Math.max(1, Math.ceil(probeMilliseconds / 1000));
  // A short window is counted from the probe, not from arping's start: add its start-up time.
  const deadline = full ? wait * 1000 + PROBE_DEADLINE_MARGIN_MS : probeMilliseconds + PROBE_STARTUP_MS;
  const endedWell = full ? '[ "$rc" -eq 0 ]' : '{ [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; }';
  const arping = (ms: number) => `probe=$(timeout -s INT ${seconds(ms)} arping -D -c 2 -w ${wait} -I ${itf} ${address} 2>&1); rc=$?`;
  // A short window that closed before arping could send (a loaded host) is run once more, longer: no proof is never "free".
  const again = full ? [] : [`  case "$probe" in *'reply from'*) ;; *'Sent 0 probe'*) ${arping(SHORT_RETRY_MS)} ;; *'Received 0 response'*) ;; *) ${arping(SHORT_RETRY_MS)} ;; esac`];
  return [
    `  ${arping(deadline)}`,
    ...again,
    `  case "$probe" in *'reply from'*) echo "lifeboat: duplicate: $probe"; exit ${ACQUIRE_EXIT.duplicate} ;; esac`,
    `  case "$probe" in *'Sent 0 probe'*) proof=no ;; *'Received 0 response'*) proof=yes ;; *) proof=no ;; esac`,
    `  if [ "$proof" != yes ] || ! ${endedWell}; then echo "lifeboat: probe failed ($rc): no proof the address is free: $probe"; exit ${ACQUIRE_EXIT.probeFailed}; fi`,
  ];
}

/** The acquire script, per operating system. */
export function acquireScript(os: Server['os'], params: Params): string {
  const address = word.ip(params.address).quoted;
  const itf = word.interfaceName(params.interface).quoted;
  const family = familyOf(params.address);
  if (os === 'openbsd') {
    const mask = isIpv6(params.address) ? `prefixlen ${word.integer(params.prefix, 1, 128).quoted}` : `netmask ${word.ip(netmaskOf(params.prefix)).quoted}`;
    return [
      `if ifconfig -A | awk -v a=${address} '$1 == "${family}" && $2 == a { found = 1 } END { exit !found }'; then echo 'lifeboat: already held'; else`,
      `  if ${isIpv6(params.address) ? 'ping6' : 'ping'} -c 1 -w 1 ${address} >/dev/null 2>&1; then echo 'lifeboat: duplicate: the address answers ping'; exit ${ACQUIRE_EXIT.duplicate}; fi`,
      `  ifconfig ${itf} ${family} alias ${address} ${mask} || exit ${ACQUIRE_EXIT.addFailed}`,
      `fi`,
      `echo '${STATE_MARKER}'`,
      listAddressesScript(os),
    ].join('\n');
  }
  const cidr = word.cidr(params.address, params.prefix).quoted;
  const v6 = isIpv6(params.address);
  // IPv6: the kernel runs duplicate address detection itself: wait (bounded) while the address is
  // "tentative"; "dadfailed" means a duplicate answered, so the address is taken away again.
  const probe = v6 ? [] : duplicateProbeScript(itf, address, params.probeMilliseconds);
  const announce = v6
    ? [
        `  i=0; while ip -o addr show dev ${itf} | grep -F -- " $a/" | grep -q tentative && [ "$i" -lt ${DAD_WAIT_TRIES} ]; do sleep 0.1; i=$((i + 1)); done`,
        `  if ip -o addr show dev ${itf} | grep -F -- " $a/" | grep -q dadfailed; then ip addr del ${cidr} dev ${itf}; echo 'lifeboat: duplicate: the kernel found another holder (dadfailed)'; exit ${ACQUIRE_EXIT.duplicate}; fi`,
      ]
    : [`  (arping -U -c 1 -I ${itf} ${address} </dev/null >/dev/null 2>&1 &)`];
  // A leftover "dadfailed" copy of the address is not holding it.
  const held = v6 ? `ip -o addr show | grep -v dadfailed | awk -v a=${address} ${AWK_FOUND}` : `ip -o addr show | awk -v a=${address} ${AWK_FOUND}`;
  return [
    `a=${address}`,
    `if ${held}; then echo 'lifeboat: already held'; else`,
    ...probe,
    `  ip addr add ${cidr} dev ${itf} || exit ${ACQUIRE_EXIT.addFailed}`,
    ...announce,
    `fi`,
    `echo '${STATE_MARKER}'`,
    listAddressesScript(os),
  ].join('\n');
}

export const vipAcquire: ActionModule<'vip.acquire'> = {
  kind: 'vip.acquire',
  describe: (params, env) =>
    `Probe for another holder of ${params.address} (refuse if anyone answers), add ${params.address}/${params.prefix} on ${env.server.name} (${params.interface}), announce it, and check it is there`,
  commands: (params, env) => [planned(env.server, `probe, acquire and announce ${params.address}, then re-read the addresses`, acquireScript(env.server.os, params), false)],
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const server = env.server;
    const okCodes = [0, ACQUIRE_EXIT.duplicate, ACQUIRE_EXIT.probeFailed, ACQUIRE_EXIT.addFailed];
    const outcome = await env.exec(server, `acquire ${params.address}`, acquireScript(server.os, params), { readOnly: false, quick: true, okCodes });
    const result = requireAnswer(outcome, `acquiring ${params.address} on ${server.name}`);
    const firstLine = (marker: string) => result.stdout.split('\n').find((l) => l.startsWith(marker)) ?? marker;
    if (result.code === ACQUIRE_EXIT.duplicate) {
      throw new StepStop({ status: 'refused', message: `another machine answers for ${params.address}; nothing was added. ${firstLine('lifeboat: duplicate')}` });
    }
    if (result.code === ACQUIRE_EXIT.probeFailed) {
      // Nothing was added, so the state is known; but "no answer" without proof is not "free".
      throw new StepStop({ status: 'refused', message: `the duplicate probe gave no proof that ${params.address} is free; nothing was added. ${firstLine('lifeboat: probe failed')}` });
    }
    const held = findAddress(parseAddresses(server.os, stateAfterMarker(result.stdout)), params.address);
    if (!held) {
      const why = result.code === ACQUIRE_EXIT.addFailed ? ` (ip addr add failed: ${result.stderr.trim().slice(0, 200)})` : '';
      throw new StepStop({ status: 'failed', message: `${server.name} does not hold ${params.address} after the acquire${why}` });
    }
    if (result.stdout.includes('lifeboat: already held')) return { status: 'no-op', message: `${server.name} already held ${params.address}: nothing to do` };
    if (held.flags.includes('tentative')) {
      // Still being checked for duplicates after the bounded wait: not known to be usable.
      throw new StepStop({ status: 'indeterminate', message: `${server.name} added ${params.address}, but the kernel was still checking it for duplicates (tentative) after ${DAD_WAIT_TRIES / 10} s`, observed: `${params.address} tentative on ${held.interface}` });
    }
    return { status: 'succeeded', message: `${server.name} holds ${params.address} on ${held.interface}` };
  },
  observe: (params, env) => observeHolding(env, env.server, params.address),
};
