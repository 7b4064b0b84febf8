/**
 * `--attest SERVER="reason"` (repeatable): the operator says a member the pre-flight cannot reach
 * is powered off or isolated, naming it. The attestation is bound to the pre-flight printed just
 * before (its attestationKey), and refused here when that pre-flight disagrees (the server
 * answered) or when the member being left is unreachable and not attested.
 */
import { ATTESTABLE_REACHABILITY, type Attestation, type Preflight } from '../../shared/contract/failover';
import { printable } from '../../shared/validation';
import { Exit, type CliEnv } from './env';

/** commander's collector for a repeatable option. */
export const collectAttestations = (value: string, previous: string[]): string[] => [...previous, value];

/** One `SERVER=reason` as given. */
export interface NamedAttestation {
  server: string;
  reason: string;
}

/** Parse the --attest values (exit 2 on a malformed one or a server that is not a member). */
export function parseAttestations(
  env: CliEnv,
  values: readonly string[],
  members: readonly string[],
): NamedAttestation[] {
  return values.map((value) => {
    const at = value.indexOf('=');
    const server = at > 0 ? value.slice(0, at).trim() : '';
    const reason = at > 0 ? value.slice(at + 1).trim() : '';
    if (!server || reason.length < 10) {
      env.io.err(
        `error: --attest takes SERVER="how you know it is powered off or isolated" (10 characters at least), e.g. --attest db-a="pulled the plug at 09:12"; got "${printable(value)}"`,
      );
      throw new Exit(2);
    }
    if (!members.includes(server)) {
      env.io.err(
        `error: --attest: "${printable(server)}" is not a member of the group (members: ${members.join(', ')})`,
      );
      throw new Exit(2);
    }
    return { server, reason };
  });
}

/** The attestation bound to `preflight`, or exit 1 (nothing run) when the pre-flight disagrees. */
export function bindAttestations(
  env: CliEnv,
  preflight: Preflight,
  given: readonly NamedAttestation[],
): Attestation | undefined {
  const servers = given.map(({ server, reason }) => {
    const member = preflight.members.find((m) => m.host === server)!;
    if (!ATTESTABLE_REACHABILITY.includes(member.reachability)) {
      env.io.err(
        `Refused: the pre-flight disagrees: ${server} is ${member.reachability} (it answered), so it cannot be attested as powered off or isolated. Nothing was run.`,
      );
      throw new Exit(1);
    }
    return { serverId: member.serverId, reason };
  });
  const source = preflight.members.find((m) => m.serverId === preflight.sourceServerId);
  if (preflight.needsAttestation && source && !servers.some((s) => s.serverId === source.serverId)) {
    env.io.err(
      `Refused: ${source.host} (the member being left) cannot be reached (${source.reachability}). If it is powered off or isolated, say so and how you know: --attest ${source.host}="…". Nothing was run.`,
    );
    throw new Exit(1);
  }
  return servers.length > 0 ? { preflightKey: preflight.attestationKey, servers } : undefined;
}
