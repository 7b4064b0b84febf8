/**
 * vip.release: remove a virtual IP from the member being left (break before make). Releasing an
 * address that is not held succeeds without doing anything. Success is judged by re-reading the
 * addresses in the same round trip, not by the exit status.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { word } from '../../ssh/quote';
import { outcomeText, planned, requireAnswer, StepStop, type ActionModule, type StepEnvironment } from './kit';
import { addressSanityProblem, familyOf, findAddress, listAddressesScript, parseAddresses } from './vip-state';

type Params = ActionParams<'vip.release'>;

/** Marks where a script's own messages end and the re-read state begins. */
export const STATE_MARKER = '--- lifeboat: state';

/** Finds the held prefix itself (a /32 and a /24 of one address are the same VIP). */
const AWK_HELD = `'{ for (i = 1; i < NF; i++) if (($i == "inet" || $i == "inet6") && index($(i + 1), a "/") == 1) print $2, $(i + 1) }'`;

/** The release script, per operating system. */
export function releaseScript(os: Server['os'], params: Params): string {
  const address = word.ip(params.address).quoted;
  const itf = word.interfaceName(params.interface).quoted;
  if (os === 'openbsd') {
    return [
      `if ifconfig ${itf} | awk -v a=${address} '$1 == "${familyOf(params.address)}" && $2 == a { found = 1 } END { exit !found }'; then`,
      `  ifconfig ${itf} ${familyOf(params.address)} ${address} -alias`,
      `else echo 'lifeboat: not held'; fi`,
      `echo '${STATE_MARKER}'`,
      listAddressesScript(os),
    ].join('\n');
  }
  return [
    `held=$(ip -o addr show | awk -v a=${address} ${AWK_HELD})`,
    `if [ -z "$held" ]; then echo 'lifeboat: not held'; else`,
    `  echo "$held" | while read -r itf cidr; do ip addr del "$cidr" dev "$itf"; done`,
    `fi`,
    `echo '${STATE_MARKER}'`,
    listAddressesScript(os),
  ].join('\n');
}

/** The re-read state after the marker (or the whole output when there is no marker). */
export function stateAfterMarker(stdout: string): string {
  const at = stdout.indexOf(STATE_MARKER);
  return at < 0 ? stdout : stdout.slice(at + STATE_MARKER.length);
}

/** Re-read who holds the address on one server, as a sentence. */
export async function observeHolding(env: StepEnvironment, server: Server, address: string): Promise<string> {
  const outcome = await env.exec(server, `re-read the addresses of ${server.name}`, listAddressesScript(server.os), {
    readOnly: true,
    quick: true,
    timeoutMs: 10_000,
  });
  if (outcome.kind !== 'ok') return `${server.name}: could not re-read the addresses (${outcomeText(outcome)})`;
  const addresses = parseAddresses(server.os, outcome.result.stdout);
  const unproven = addressSanityProblem(server, addresses);
  if (unproven) return `${server.name}: the addresses could not be read (${unproven})`;
  const held = findAddress(addresses, address);
  return held
    ? `${server.name} holds ${address} (${held.interface}, /${held.prefix})`
    : `${server.name} does not hold ${address}`;
}

export const vipRelease: ActionModule<'vip.release'> = {
  kind: 'vip.release',
  describe: (params, env) =>
    `Remove ${params.address} from ${env.server.name} (${params.interface}) and check it is gone`,
  commands: (params, env) => [
    planned(
      env.server,
      `release ${params.address}, then re-read the addresses`,
      releaseScript(env.server.os, params),
      false,
    ),
  ],
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const server = env.server;
    const outcome = await env.exec(server, `release ${params.address}`, releaseScript(server.os, params), {
      readOnly: false,
      quick: true,
      okCodes: [0, 1, 2],
    });
    const result = requireAnswer(outcome, `releasing ${params.address} on ${server.name}`);
    const reread = parseAddresses(server.os, stateAfterMarker(result.stdout));
    // A re-read that does not prove itself (ip failing, a wrong OS, garbage) is unknown, never "did not hold".
    const unproven = !result.stdout.includes(STATE_MARKER)
      ? 'no re-read after the release'
      : addressSanityProblem(server, reread);
    if (unproven)
      throw new StepStop({
        status: 'indeterminate',
        message: `whether ${server.name} still holds ${params.address} is unknown: ${unproven} (exit status ${result.code})`,
      });
    const still = findAddress(reread, params.address);
    if (still) {
      throw new StepStop({
        status: 'failed',
        message: `${server.name} still holds ${params.address} after the release`,
        observed: `${still.interface} /${still.prefix}`,
      });
    }
    if (result.stdout.includes('lifeboat: not held'))
      return { status: 'no-op', message: `${server.name} did not hold ${params.address}: nothing to release` };
    return { status: 'succeeded', message: `${params.address} released from ${server.name} and verified gone` };
  },
  observe: (params, env) => observeHolding(env, env.server, params.address),
};
