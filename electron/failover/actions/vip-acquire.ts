/**
 * vip.acquire: take a virtual IP on the member failed over to. Probes for a duplicate first, in the
 * short window after the release when nobody holds the address (three `arping -D` probes spread
 * over the window; refuse if anyone answers, and refuse too without proof: every probe run sent its
 * probe and ended with its statistics), adds the address, announces it with gratuitous ARPs (a
 * request and a reply at once, more a second later, in the background), and re-reads the
 * addresses in the same round trip. Already held on the step's interface: succeeds, changes
 * nothing (a copy on `lo` or another interface is not holding it there). Slow and lossy answerers
 * are the business of vip.listen (before the release) and vip.watch (after the acquire).
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { isIpv6 } from '../../../shared/validation';
import { word } from '../../ssh/quote';
import { planned, requireAnswer, StepStop, type ActionModule } from './kit';
import { familyOf, listAddressesScript, netmaskOf, parseAddresses } from './vip-state';
import { observeHolding, STATE_MARKER, stateAfterMarker } from './vip-release';
import { addressOn, PROBE_RUNS, probeRunLines, spreadSchedule } from './vip-probe';

type Params = ActionParams<'vip.acquire'>;

/** IPv6 duplicate address detection: how many tenths of a second to wait while the address is tentative. */
const DAD_WAIT_TRIES = 30;

/** Exit statuses the script uses to say why it stopped. */
export const ACQUIRE_EXIT = { duplicate: 3, probeFailed: 4, addFailed: 5 } as const;

/** Finds the address on the step's interface only (`ip -o addr` names it in the second column, maybe as `eth0@if5`). */
const AWK_ON_INTERFACE = `'{ for (n = 1; n < NF; n++) if (($n == "inet" || $n == "inet6") && index($(n + 1), a "/") == 1 && ($2 == i || index($2, i "@") == 1)) found = 1 } END { exit !found }'`;

/** The window of a short probe run again when a probe could not go out in time (a loaded host). */
const SHORT_RETRY_MS = 250;

/** Reads one probe's output (in $probe) with shell builtins only (no fork inside the window): any answer exits 3. */
function judgeLines(): string[] {
  return [
    `  sent=0; stats=0; well=0`,
    `  while IFS= read -r line; do`,
    `    case "$line" in`,
    `      *'reply from'*) echo "lifeboat: duplicate: $line"; exit ${ACQUIRE_EXIT.duplicate} ;;`,
    `      'Sent 0 '*) ;;`,
    `      'Sent '*) sent=$((sent + 1)) ;;`,
    `      'Received '*) stats=$((stats + 1)) ;;`,
    `      'lifeboat: arping exit 0') well=$((well + 1)) ;;`,
    `    esac`,
    `  done <<LIFEBOAT_PROBE_END`,
    `$probe`,
    `LIFEBOAT_PROBE_END`,
  ];
}

/** The Linux duplicate probe: exit 3 when anyone answers, 4 when there is no proof the address is free. */
export function duplicateProbeScript(
  itf: string,
  address: string,
  probeMilliseconds: number,
  during: readonly string[] = [],
): string[] {
  const runs = (ms: number, work: readonly string[] = []) =>
    probeRunLines(itf, address, spreadSchedule('dad', ms), work).map((line) => `    ${line}`);
  const proof = `{ [ "$sent" -ge ${PROBE_RUNS} ] && [ "$stats" -ge ${PROBE_RUNS} ] && [ "$well" -ge ${PROBE_RUNS} ]; }`;
  return [
    `  probe=$(`,
    ...runs(probeMilliseconds, during),
    `  )`,
    ...(during.length > 0 ? [`  case "$probe" in *'${HELD_HERE}'*) echo 'lifeboat: already held' ;; *)`] : []),
    ...judgeLines(),
    // A window that closed before every probe went out is run once more, longer: no proof is never "free".
    ...(probeMilliseconds < SHORT_RETRY_MS
      ? [`  if ! ${proof}; then`, `  probe=$(`, ...runs(SHORT_RETRY_MS), `  )`, ...judgeLines(), `  fi`]
      : []),
    `  if ! ${proof}; then printf 'lifeboat: probe failed: no proof the address is free (%s of ${PROBE_RUNS} probes sent, %s ended well)\\n%s\\n' "$sent" "$well" "$probe"; exit ${ACQUIRE_EXIT.probeFailed}; fi`,
  ];
}

/** Printed inside the probe window when the step's interface already holds the address. */
const HELD_HERE = 'lifeboat: held on the interface';

/** OpenBSD: after the ping, a complete ARP entry (or an echo reply) is a duplicate; an unreadable table is no proof. */
function openbsdProbeLines(address: string): string[] {
  const quoted = word.ip(address).quoted;
  return [
    `  arp -d ${quoted} >/dev/null 2>&1`,
    `  ping -c 3 -i 0.2 -w 1 ${quoted} >/dev/null 2>&1; pinged=$?`,
    `  entry=$(arp -n ${quoted} 2>&1); arped=$?`,
    `  if [ "$pinged" -eq 0 ]; then echo 'lifeboat: duplicate: the address answers ping'; exit ${ACQUIRE_EXIT.duplicate}; fi`,
    `  if printf '%s\n' "$entry" | awk -v a=${quoted} '$1 == a && $2 ~ /^[0-9a-f][0-9a-f](:[0-9a-f][0-9a-f])+$/ { found = 1 } END { exit !found }'; then echo "lifeboat: duplicate: $entry"; exit ${ACQUIRE_EXIT.duplicate}; fi`,
    // Silence is never "free" by itself: the ping must have run and the table must have been read.
    `  case "$pinged/$arped/$entry" in 1/0/*|1/*'no entry'*) ;; *) echo "lifeboat: probe failed ($pinged/$arped): no proof the address is free: $entry"; exit ${ACQUIRE_EXIT.probeFailed} ;; esac`,
  ];
}

/** The acquire script, per operating system. */
export function acquireScript(os: Server['os'], params: Params): string {
  const address = word.ip(params.address).quoted;
  const itf = word.interfaceName(params.interface).quoted;
  const family = familyOf(params.address);
  if (os === 'openbsd') {
    const mask = isIpv6(params.address)
      ? `prefixlen ${word.integer(params.prefix, 1, 128).quoted}`
      : `netmask ${word.ip(netmaskOf(params.prefix)).quoted}`;
    return [
      `if ifconfig ${itf} | awk -v a=${address} '$1 == "${family}" && $2 == a { found = 1 } END { exit !found }'; then echo 'lifeboat: already held'; else`,
      ...openbsdProbeLines(params.address),
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
  const announce = v6
    ? [
        `  i=0; while ip -o addr show dev ${itf} | grep -F -- " $a/" | grep -q tentative && [ "$i" -lt ${DAD_WAIT_TRIES} ]; do sleep 0.1; i=$((i + 1)); done`,
        `  if ip -o addr show dev ${itf} | grep -F -- " $a/" | grep -q dadfailed; then ip addr del ${cidr} dev ${itf}; echo 'lifeboat: duplicate: the kernel found another holder (dadfailed)'; exit ${ACQUIRE_EXIT.duplicate}; fi`,
      ]
    : [
        // At least two gratuitous ARPs at once (a request and a reply: neighbours honour one or the other), more a second later.
        `  arping -U -c 3 -I ${itf} ${address} </dev/null >/dev/null 2>&1 &`,
        `  arping -A -c 2 -I ${itf} ${address} </dev/null >/dev/null 2>&1 &`,
      ];
  // Held means held on this interface: a copy on lo (or elsewhere) is not; a leftover "dadfailed" copy is not either.
  if (v6) {
    return [
      `a=${address}`,
      `if ip -o addr show | grep -v dadfailed | awk -v a=${address} -v i=${itf} ${AWK_ON_INTERFACE}; then echo 'lifeboat: already held'; else`,
      `  ip addr add ${cidr} dev ${itf} || exit ${ACQUIRE_EXIT.addFailed}`,
      ...announce,
      `fi`,
      `echo '${STATE_MARKER}'`,
      listAddressesScript(os),
    ].join('\n');
  }
  // IPv4: the check for "already held" runs inside the probe window (a builtin `case` on one `ip`
  // read): every process started before the add delays the acquire clients wait for.
  const heldCheck = [`case "$(ip -o addr show dev ${itf} 2>/dev/null)" in *" inet $a/"*) echo '${HELD_HERE}' ;; esac`];
  return [
    `a=${address}`,
    ...duplicateProbeScript(itf, address, params.probeMilliseconds, heldCheck).map((line) => line.replace(/^ {2}/, '')),
    `  ip addr add ${cidr} dev ${itf} || exit ${ACQUIRE_EXIT.addFailed}`,
    ...announce,
    `;; esac`,
    `echo '${STATE_MARKER}'`,
    listAddressesScript(os),
  ].join('\n');
}

export const vipAcquire: ActionModule<'vip.acquire'> = {
  kind: 'vip.acquire',
  describe: (params, env) =>
    `Probe for another holder of ${params.address} (${env.server.os === 'openbsd' ? 'OpenBSD: a ping, then the ARP table is read; one MAC at most is visible, a weaker guard' : `three ARP probes over ${params.probeMilliseconds} ms`}; refuse if anyone answers or without proof), add ${params.address}/${params.prefix} on ${env.server.name} (${params.interface}), announce it with gratuitous ARPs, and check it is there`,
  commands: (params, env) => [
    planned(
      env.server,
      `probe, acquire and announce ${params.address}, then re-read the addresses`,
      acquireScript(env.server.os, params),
      false,
    ),
  ],
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const server = env.server;
    const okCodes = [0, ACQUIRE_EXIT.duplicate, ACQUIRE_EXIT.probeFailed, ACQUIRE_EXIT.addFailed];
    const outcome = await env.exec(server, `acquire ${params.address}`, acquireScript(server.os, params), {
      readOnly: false,
      quick: true,
      okCodes,
    });
    const result = requireAnswer(outcome, `acquiring ${params.address} on ${server.name}`);
    const firstLine = (marker: string) => result.stdout.split('\n').find((l) => l.startsWith(marker)) ?? marker;
    if (result.code === ACQUIRE_EXIT.duplicate) {
      throw new StepStop({
        status: 'refused',
        message: `another machine answers for ${params.address}; nothing was added. ${firstLine('lifeboat: duplicate')}`,
      });
    }
    if (result.code === ACQUIRE_EXIT.probeFailed) {
      // Nothing was added, so the state is known; but "no answer" without proof is not "free".
      throw new StepStop({
        status: 'refused',
        message: `the duplicate probe gave no proof that ${params.address} is free; nothing was added. ${firstLine('lifeboat: probe failed')}`,
      });
    }
    const held = addressOn(
      parseAddresses(server.os, stateAfterMarker(result.stdout)),
      params.address,
      params.interface,
    );
    if (!held) {
      const why =
        result.code === ACQUIRE_EXIT.addFailed ? ` (ip addr add failed: ${result.stderr.trim().slice(0, 200)})` : '';
      throw new StepStop({
        status: 'failed',
        message: `${server.name} does not hold ${params.address} on ${params.interface} after the acquire${why}`,
      });
    }
    if (result.stdout.includes('lifeboat: already held'))
      return { status: 'no-op', message: `${server.name} already held ${params.address}: nothing to do` };
    if (held.flags.includes('tentative')) {
      // Still being checked for duplicates after the bounded wait: not known to be usable.
      throw new StepStop({
        status: 'indeterminate',
        message: `${server.name} added ${params.address}, but the kernel was still checking it for duplicates (tentative) after ${DAD_WAIT_TRIES / 10} s`,
        observed: `${params.address} tentative on ${held.interface}`,
      });
    }
    return { status: 'succeeded', message: `${server.name} holds ${params.address} on ${held.interface}` };
  },
  observe: (params, env) => observeHolding(env, env.server, params.address),
};
