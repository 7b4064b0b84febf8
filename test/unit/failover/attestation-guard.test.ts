/**
 * An old member that answered but refused the login is up: it may not be attested as powered off.
 * One that does not answer, or whose read timed out, needs the operator's attestation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { toRemoteOutcome } from '../../../electron/ssh/runner';
import { SshError } from '../../../electron/ssh/errors';
import type { Preflight } from '../../../shared/contract/failover';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const preflight = () => f.ws.ok<Preflight>('failover.preflight', { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id });
const oldMember = (p: Preflight) => p.checks.find((c) => c.name === 'old member');

describe('attestation of the old member', () => {
  it('the SSH engine tells a refused login from a host that does not answer', () => {
    expect(toRemoteOutcome({ status: 'rejected', reason: new SshError('auth_failed', 'web-a refused the key') })).toMatchObject({ kind: 'unreachable', loginRefused: true });
    expect(toRemoteOutcome({ status: 'rejected', reason: new SshError('passphrase_required', 'the key needs its passphrase') })).toMatchObject({ loginRefused: true });
    expect(toRemoteOutcome({ status: 'rejected', reason: new SshError('connect_timeout', 'no answer in 5 s') })).not.toHaveProperty('loginRefused');
  });

  it('is asked for when the old member does not answer', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const p = await preflight();
    expect(p.needsAttestation).toBe(true);
    expect(oldMember(p)?.status).toBe('needs-attestation');
  });

  it('is not offered when the old member answered but refused the login: the run is blocked', async () => {
    f.fake.override((host) => (host === 'web-a' ? { kind: 'unreachable', detail: 'web-a refused the key', loginRefused: true } : undefined));
    const p = await preflight();
    expect(p.needsAttestation).toBe(false);
    expect(p.passed).toBe(false);
    expect(oldMember(p)).toMatchObject({ status: 'block', detail: expect.stringMatching(/could not log in.*It is up, so it cannot be attested as powered off/) });
  });

  it('is asked for when the read of the old member timed out (it may be hung or cut off), never assumed', async () => {
    f.fake.override((host) => (host === 'web-a' ? { kind: 'indeterminate', reason: 'timeout', detail: 'no exit status within 5000 ms' } : undefined));
    const p = await preflight();
    expect(p.needsAttestation).toBe(true);
    expect(oldMember(p)?.status).toBe('needs-attestation');
  });
});
