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

const preflight = () =>
  f.ws.ok<Preflight>('failover.preflight', { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id });
const oldMember = (p: Preflight) => p.checks.find((c) => c.name === 'old member');

describe('attestation of the old member', () => {
  it('the SSH engine tells a local problem, a refused login, an unreachable host and an unknown state apart', () => {
    const outcome = (problem: ConstructorParameters<typeof SshError>[0]) =>
      toRemoteOutcome({ status: 'rejected', reason: new SshError(problem, 'detail') });
    expect(outcome('auth_failed')).toMatchObject({ kind: 'unreachable', cause: 'refused' });
    expect(outcome('passphrase_required')).toMatchObject({ kind: 'unreachable', cause: 'local' });
    expect(outcome('agent_unavailable')).toMatchObject({ kind: 'unreachable', cause: 'local' });
    expect(outcome('password_missing')).toMatchObject({ kind: 'unreachable', cause: 'local' });
    expect(outcome('connect_timeout')).toMatchObject({ kind: 'unreachable', cause: 'network' });
    expect(outcome('unreachable')).toMatchObject({ kind: 'unreachable', cause: 'network' });
    expect(outcome('handshake_timeout')).toMatchObject({ kind: 'unreachable', cause: 'unknown' });
    expect(outcome('disconnected')).toMatchObject({ kind: 'unreachable', cause: 'unknown' });
  });

  it('is asked for when the old member does not answer', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const p = await preflight();
    expect(p.needsAttestation).toBe(true);
    expect(oldMember(p)?.status).toBe('needs-attestation');
  });

  it('is not offered when the old member answered but refused the login: the run is blocked', async () => {
    f.fake.override((host) =>
      host === 'web-a' ? { kind: 'unreachable', detail: 'web-a refused the key', cause: 'refused' } : undefined,
    );
    const p = await preflight();
    expect(p.needsAttestation).toBe(false);
    expect(p.passed).toBe(false);
    expect(oldMember(p)).toMatchObject({
      status: 'block',
      detail: expect.stringMatching(
        /web-a answered but refused the login.*It is up, so it cannot be attested as powered off/,
      ),
    });
  });

  it('is asked for when the read of the old member timed out (it may be hung or cut off), never assumed', async () => {
    f.fake.override((host) =>
      host === 'web-a'
        ? { kind: 'indeterminate', reason: 'timeout', detail: 'no exit status within 5000 ms' }
        : undefined,
    );
    const p = await preflight();
    expect(p.needsAttestation).toBe(true);
    expect(oldMember(p)?.status).toBe('needs-attestation');
  });

  it('with no SSH agent (a local problem) nothing says a host answered or is up, and the run is blocked', async () => {
    f.fake.override(() => ({
      kind: 'unreachable',
      detail: 'no SSH agent is running for Lifeboat (SSH_AUTH_SOCK is not set)',
      cause: 'local',
    }));
    const p = await preflight();
    expect(p.passed).toBe(false);
    expect(p.needsAttestation).toBe(false);
    expect(p.members.map((m) => m.reachability)).toEqual(['cannot-login', 'cannot-login']);
    const said = p.checks.map((c) => `${c.name}: ${c.detail}`).join('\n');
    expect(said).not.toMatch(/answered|is up|It is up/);
    expect(oldMember(p)).toMatchObject({
      status: 'block',
      detail: expect.stringMatching(
        /^Lifeboat cannot log in to web-a \(a local problem: no SSH agent.*fix the login on this machine/,
      ),
    });
    expect(p.checks.find((c) => c.name === 'target reachable')).toMatchObject({
      status: 'block',
      detail: expect.stringMatching(/^Lifeboat cannot log in to web-b \(a local problem/),
    });
  });
});
