/** An attestation as the operator gives it: naming each server, bound to the pre-flight just seen. */
import { preflightOnly, type EngineDeps } from '../../electron/failover/engine';
import type { Attestation } from '../../shared/contract/failover';

/** Run the pre-flight (as the operator sees it) and attest `servers` against it. */
export async function attestAfterPreflight(
  deps: EngineDeps,
  key: { groupId: number; targetServerId: number },
  servers: Attestation['servers'],
): Promise<Attestation> {
  const preflight = await preflightOnly(deps, key.groupId, key.targetServerId);
  return { preflightKey: preflight.attestationKey, servers };
}
