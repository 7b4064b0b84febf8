import { describe, expect, it } from 'vitest';
import { attestationFor, startReadiness } from '../../../renderer/src/features/failover/start-readiness';
import { StartInput, type Preflight } from '../../../shared/contract/failover';

const preflight = (patch: Partial<Preflight> = {}): Preflight => ({
  groupId: 1,
  groupName: 'db',
  sourceServerId: 21,
  targetServerId: 22,
  at: 0,
  durationMs: 5,
  vips: [],
  checks: [],
  members: [
    {
      serverId: 22,
      host: 'db-b',
      role: 'standby',
      reachability: 'reachable',
      detail: '',
      inRecovery: true,
      replayLagSeconds: 420,
    },
  ],
  passed: true,
  needsAttestation: false,
  attestationKey: 'a'.repeat(64),
  needsAcknowledgement: false,
  rtoMinutes: 30,
  rpoMinutes: 5,
  ...patch,
});
const choice = { groupId: 1, targetServerId: 22 };
const dbA = {
  serverId: 21,
  host: 'db-a',
  role: 'primary' as const,
  reachability: 'unreachable' as const,
  detail: 'timed out',
  inRecovery: null,
  replayLagSeconds: null,
};
const nothing = { attestations: {}, acknowledgeLag: false };

describe('when the failover screen offers the start', () => {
  it('not before a pre-flight of this group and target', () => {
    expect(startReadiness(null, choice, nothing)).toMatchObject({
      ready: false,
      missing: expect.stringMatching(/Run the pre-flight first/),
    });
    expect(startReadiness(preflight({ targetServerId: 21 }), choice, nothing).ready).toBe(false);
  });

  it('not after a failed pre-flight', () => {
    expect(startReadiness(preflight({ passed: false }), choice, nothing)).toMatchObject({
      ready: false,
      missing: expect.stringMatching(/pre-flight failed/),
    });
  });

  it('after a passed pre-flight once its attestation and acknowledgement are given', () => {
    expect(startReadiness(preflight(), choice, nothing)).toMatchObject({ ready: true, missing: null });
    const asking = preflight({
      needsAttestation: true,
      needsAcknowledgement: true,
      members: [...preflight().members, dbA],
    });
    expect(startReadiness(asking, choice, nothing).missing).toMatch(/Attest .* that db-a is powered off/);
    expect(
      startReadiness(asking, choice, { attestations: { 21: 'pulled the plug myself' }, acknowledgeLag: false }).missing,
    ).toMatch(/Accept the replication lag/);
    expect(
      startReadiness(asking, choice, { attestations: { 21: 'pulled the plug myself' }, acknowledgeLag: true }),
    ).toMatchObject({ ready: true, lagShown: 420 });
  });
});

describe('the attestation the failover screen sends', () => {
  it('names each server given a reason, only those the pre-flight could not reach, bound to that pre-flight', () => {
    const shown = preflight({
      needsAttestation: true,
      attestationKey: 'b'.repeat(64),
      members: [...preflight().members, dbA],
    });
    expect(attestationFor(shown, { 21: ' pulled the plug myself ', 22: 'db-b is fine, it answered' })).toEqual({
      preflightKey: 'b'.repeat(64),
      servers: [{ serverId: 21, reason: 'pulled the plug myself' }],
    });
    expect(attestationFor(shown, {})).toBeUndefined();
  });

  it('refuses a free-text attestation at the contract: it must name the servers and the pre-flight', () => {
    const base = { groupId: 1, targetServerId: 22, mode: 'real' as const };
    const freeText = StartInput.safeParse({ ...base, attestation: { reason: 'db-a pulled from the rack' } });
    expect(freeText.success).toBe(false);
    expect(freeText.error?.issues.map((i) => i.message).join(' ')).toMatch(
      /an attestation names the pre-flight and each server/,
    );
    const unbound = StartInput.safeParse({
      ...base,
      attestation: { servers: [{ serverId: 21, reason: 'db-a pulled from the rack' }] },
    });
    expect(unbound.success).toBe(false);
    expect(
      StartInput.safeParse({ ...base, attestation: { preflightKey: 'b'.repeat(64), servers: [] } }).error?.issues[0]
        .message,
    ).toMatch(/name the server/);
    expect(
      StartInput.safeParse({
        ...base,
        attestation: { preflightKey: 'b'.repeat(64), servers: [{ serverId: 21, reason: 'db-a pulled from the rack' }] },
      }).success,
    ).toBe(true);
  });
});
