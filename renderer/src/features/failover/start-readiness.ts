/**
 * When the failover screen lets the operator start: only after a pre-flight of this very group and
 * target has passed, with the attestation and the lag acknowledgement it asks for given. Pure.
 */
import type { Preflight } from '../../../../shared/contract/failover';

export interface StartReadiness {
  ready: boolean;
  /** What is missing, in words for the operator (null when ready). */
  missing: string | null;
  /** The target's replay lag the pre-flight showed (what an acknowledgement names). */
  lagShown: number | null;
}

/** Judge whether a real start (or a resume) may be offered. */
export function startReadiness(preflight: Preflight | null, choice: { groupId: number | null; targetServerId: number | null }, given: { attestation: string; acknowledgeLag: boolean }): StartReadiness {
  const fits = preflight !== null && preflight.groupId === choice.groupId && preflight.targetServerId === choice.targetServerId;
  const lagShown = fits ? (preflight.members.find((m) => m.serverId === choice.targetServerId)?.replayLagSeconds ?? null) : null;
  const missing = !fits ? 'Run the pre-flight first: the start is enabled once it has passed.'
    : !preflight.passed ? 'The pre-flight failed: resolve what it reports and run it again.'
    : preflight.needsAttestation && given.attestation.trim().length < 10 ? 'Attest (10 characters at least) that the member being left is powered off or isolated.'
    : preflight.needsAcknowledgement && !given.acknowledgeLag ? 'Accept the replication lag shown, or wait until the standby catches up.'
    : null;
  return { ready: missing === null, missing, lagShown };
}
