import { describe, expect, it } from 'vitest';
import { startReadiness } from '../../../renderer/src/features/failover/start-readiness';
import type { Preflight } from '../../../shared/contract/failover';

const preflight = (patch: Partial<Preflight> = {}): Preflight => ({
  groupId: 1, groupName: 'db', sourceServerId: 21, targetServerId: 22, at: 0, durationMs: 5, vips: [], checks: [],
  members: [{ serverId: 22, host: 'db-b', role: 'standby', reachability: 'reachable', detail: '', inRecovery: true, replayLagSeconds: 420 }],
  passed: true, needsAttestation: false, needsAcknowledgement: false, rtoMinutes: 30, rpoMinutes: 5, ...patch,
});
const choice = { groupId: 1, targetServerId: 22 };
const nothing = { attestation: '', acknowledgeLag: false };

describe('when the failover screen offers the start', () => {
  it('not before a pre-flight of this group and target', () => {
    expect(startReadiness(null, choice, nothing)).toMatchObject({ ready: false, missing: expect.stringMatching(/Run the pre-flight first/) });
    expect(startReadiness(preflight({ targetServerId: 21 }), choice, nothing).ready).toBe(false);
  });

  it('not after a failed pre-flight', () => {
    expect(startReadiness(preflight({ passed: false }), choice, nothing)).toMatchObject({ ready: false, missing: expect.stringMatching(/pre-flight failed/) });
  });

  it('after a passed pre-flight once its attestation and acknowledgement are given', () => {
    expect(startReadiness(preflight(), choice, nothing)).toMatchObject({ ready: true, missing: null });
    const asking = preflight({ needsAttestation: true, needsAcknowledgement: true });
    expect(startReadiness(asking, choice, nothing).missing).toMatch(/Attest/);
    expect(startReadiness(asking, choice, { attestation: 'pulled the plug myself', acknowledgeLag: false }).missing).toMatch(/Accept the replication lag/);
    expect(startReadiness(asking, choice, { attestation: 'pulled the plug myself', acknowledgeLag: true })).toMatchObject({ ready: true, lagShown: 420 });
  });
});
