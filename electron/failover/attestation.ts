/**
 * Attestation: the operator says a member the pre-flight could not reach is powered off or
 * isolated. It names the server(s) and is bound to the pre-flight the operator saw by its
 * attestationKey (a hash of the group, the two ends and who it could not reach, and how): when the
 * pre-flight at start finds otherwise (a named server answers, another one went silent), the
 * attestation no longer describes what is true and the start is refused (docs/safety.md).
 */
import crypto from 'node:crypto';
import {
  ATTESTABLE_REACHABILITY as ATTESTABLE,
  attestableMembers,
  type Preflight,
  type StartInput,
} from '../../shared/contract/failover';

type Attestation = NonNullable<ReturnType<typeof StartInput.parse>['attestation']>;

/** sha256 of what an attestation answers: the group, the two ends, and who could not be reached. */
export function attestationKey(
  preflight: Pick<Preflight, 'groupId' | 'sourceServerId' | 'targetServerId' | 'members'>,
): string {
  const silent = attestableMembers(preflight)
    .map((m) => [m.serverId, m.reachability])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
  const canonical = JSON.stringify({
    groupId: preflight.groupId,
    source: preflight.sourceServerId,
    target: preflight.targetServerId,
    silent,
  });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** Why an attestation does not fit the pre-flight of now, or null when it does (and covers what it must). */
export function attestationRefusal(preflight: Preflight, attestation: Attestation | undefined): string | null {
  const nameOf = (id: number) => preflight.members.find((m) => m.serverId === id)?.host ?? `server ${id}`;
  const silent = attestableMembers(preflight);
  if (attestation) {
    const seen = new Set<number>();
    for (const { serverId } of attestation.servers) {
      if (seen.has(serverId)) return `${nameOf(serverId)} is attested twice`;
      seen.add(serverId);
      const member = preflight.members.find((m) => m.serverId === serverId);
      if (!member)
        return `server ${serverId} is not a member of ${preflight.groupName}: only a member the pre-flight could not reach can be attested`;
      if (!ATTESTABLE.includes(member.reachability)) {
        return `the pre-flight disagrees: ${member.host} is ${member.reachability === 'reachable' ? 'reachable (it answered)' : `${member.reachability} (it answered)`}, so it cannot be attested as powered off or isolated`;
      }
    }
    if (attestation.preflightKey !== preflight.attestationKey) {
      const now = silent.length > 0 ? silent.map((m) => `${m.host} (${m.reachability})`).join(', ') : 'none';
      return `the pre-flight changed since the one you attested (it now cannot reach: ${now}): run the pre-flight again and attest what it shows`;
    }
  }
  const attested = new Set(attestation?.servers.map((s) => s.serverId) ?? []);
  if (preflight.needsAttestation && !attested.has(preflight.sourceServerId)) {
    return `${nameOf(preflight.sourceServerId)} (the member being left) cannot be reached: attest, naming it, that it is powered off or isolated and how you know`;
  }
  return null;
}

/** The audit line of each attested server: who, which server, the pre-flight it answers, and why. */
export function attestationLines(actor: string, preflight: Preflight, attestation: Attestation): string[] {
  return attestation.servers.map(({ serverId, reason }) => {
    const member = preflight.members.find((m) => m.serverId === serverId);
    return `${actor} attests ${member?.host ?? `server ${serverId}`} is powered off or isolated (pre-flight ${preflight.attestationKey.slice(0, 12)} found it ${member?.reachability ?? 'absent'}): ${reason}`;
  });
}
