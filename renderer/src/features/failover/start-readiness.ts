/**
 * When the failover screen lets the operator start: only after a pre-flight of this very group and
 * target has passed, with the attestation and the lag acknowledgement it asks for given. The
 * attestation names each server the pre-flight could not reach and is bound to that pre-flight
 * (its attestationKey). Pure.
 */
import { attestableMembers, type Attestation, type Preflight } from '../../../../shared/contract/failover';

export interface StartReadiness {
  ready: boolean;
  /** What is missing, in words for the operator (null when ready). */
  missing: string | null;
  /** The target's replay lag the pre-flight showed (what an acknowledgement names). */
  lagShown: number | null;
}

/** What the operator typed: per server id, how they know it is powered off or isolated. */
export type AttestationReasons = Readonly<Record<number, string>>;

/** The attestation to send: the servers given a reason, bound to the pre-flight shown (undefined: none). */
export function attestationFor(preflight: Preflight | null, reasons: AttestationReasons): Attestation | undefined {
  const servers = attestableMembers(preflight)
    .map((m) => ({ serverId: m.serverId, reason: (reasons[m.serverId] ?? '').trim() }))
    .filter((s) => s.reason.length > 0);
  return preflight && servers.length > 0 ? { preflightKey: preflight.attestationKey, servers } : undefined;
}

/** Judge whether a real start (or a resume) may be offered. */
export function startReadiness(
  preflight: Preflight | null,
  choice: { groupId: number | null; targetServerId: number | null },
  given: { attestations: AttestationReasons; acknowledgeLag: boolean },
): StartReadiness {
  const fits =
    preflight !== null && preflight.groupId === choice.groupId && preflight.targetServerId === choice.targetServerId;
  const lagShown = fits
    ? (preflight.members.find((m) => m.serverId === choice.targetServerId)?.replayLagSeconds ?? null)
    : null;
  const reasonOf = (serverId: number) => (given.attestations[serverId] ?? '').trim();
  const source = fits ? preflight.members.find((m) => m.serverId === preflight.sourceServerId) : undefined;
  const short = fits
    ? attestableMembers(preflight).find((m) => reasonOf(m.serverId).length > 0 && reasonOf(m.serverId).length < 10)
    : undefined;
  const missing = !fits
    ? 'Run the pre-flight first: the start is enabled once it has passed.'
    : !preflight.passed
      ? 'The pre-flight failed: resolve what it reports and run it again.'
      : preflight.needsAttestation && reasonOf(preflight.sourceServerId).length < 10
        ? `Attest (10 characters at least) that ${source?.host ?? 'the member being left'} is powered off or isolated, and how you know.`
        : short
          ? `Say how you know ${short.host} is powered off or isolated (10 characters at least), or leave it empty.`
          : preflight.needsAcknowledgement && !given.acknowledgeLag
            ? 'Accept the replication lag shown, or wait until the standby catches up.'
            : null;
  return { ready: missing === null, missing, lagShown };
}
