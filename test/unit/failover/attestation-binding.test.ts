/**
 * An attestation names the server(s) and is bound to the pre-flight the operator saw (its
 * attestationKey): free text alone is refused, and so is an attestation the pre-flight at start
 * disagrees with (a named server answers, the situation changed since). CLI: --attest SERVER="…".
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { preflightOnly } from '../../../electron/failover/engine';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { failoverFixture, type FailoverFixture } from './fixture';
import { startConfirmed } from './confirmed';

let f: FailoverFixture;
let out: string[];
let err: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
const cli = (...args: string[]) => main(['--db', f.ws.file, ...args], io, { runner: f.fake });

beforeEach(async () => {
  f = await failoverFixture();
  out = [];
  err = [];
});
afterEach(() => {
  f.ws.cleanup();
});

const key = () => ({ groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id });
const webA = () => f.servers['web-a'].id;
const REASON = 'web-a pulled from the rack by Sam at 09:12';
const audit = () => listAuditRows(f.ws.db, { limit: 500 });
const changes = () =>
  f.fake.calls.filter(
    (c) => !c.script.startsWith("echo '--- lifeboat: begin os'") && !c.script.includes('/run/lifeboat'),
  );

describe('attestation bound to the pre-flight (engine and contract)', () => {
  it('free text alone is refused at the contract, naming the shape', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const result = await f.ws.dispatcher.dispatch('failover.start', {
      ...key(),
      mode: 'real',
      confirmation: 'web',
      attestation: { reason: REASON },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) expect(JSON.stringify(result.error)).toMatch(/an attestation names the pre-flight and each server/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('names the server, and the audit row says which server and which pre-flight', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const seen = await preflightOnly(f.deps, key().groupId, key().targetServerId);
    expect(seen.needsAttestation).toBe(true);
    const started = await startConfirmed(f.deps, {
      ...key(),
      mode: 'real',
      confirmation: 'web',
      attestation: { preflightKey: seen.attestationKey, servers: [{ serverId: webA(), reason: REASON }] },
    });
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    const row = audit().find((r) => r.kind === 'attestation');
    expect(row?.detail).toContain(
      `attests web-a is powered off or isolated (pre-flight ${seen.attestationKey.slice(0, 12)} found it unreachable): ${REASON}`,
    );
  });

  it('an attestation of another server does not cover the member being left', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const seen = await preflightOnly(f.deps, key().groupId, key().targetServerId);
    const started = await startConfirmed(f.deps, {
      ...key(),
      mode: 'real',
      confirmation: 'web',
      attestation: {
        preflightKey: seen.attestationKey,
        servers: [{ serverId: f.servers['web-b'].id, reason: REASON }],
      },
    });
    expect(started.refused).toMatch(/the pre-flight disagrees: web-b is reachable/);
    expect(changes()).toEqual([]);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('is refused when the pre-flight at start finds the attested server reachable (it came back)', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const seen = await preflightOnly(f.deps, key().groupId, key().targetServerId);
    f.fake.hosts.get('web-a')!.reachable = true;
    const started = await startConfirmed(f.deps, {
      ...key(),
      mode: 'real',
      confirmation: 'web',
      attestation: { preflightKey: seen.attestationKey, servers: [{ serverId: webA(), reason: REASON }] },
    });
    expect(started.refused).toMatch(
      /attestation: the pre-flight disagrees: web-a is reachable \(it answered\).*nothing was run/,
    );
    expect(audit().some((r) => r.kind === 'attestation')).toBe(false);
    expect(changes()).toEqual([]);
  });

  it('is refused when bound to another pre-flight than the one of now', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const started = await startConfirmed(f.deps, {
      ...key(),
      mode: 'real',
      confirmation: 'web',
      attestation: { preflightKey: 'f'.repeat(64), servers: [{ serverId: webA(), reason: REASON }] },
    });
    expect(started.refused).toMatch(
      /the pre-flight changed since the one you attested \(it now cannot reach: web-a \(unreachable\)\)/,
    );
    expect(changes()).toEqual([]);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('without an attestation naming the member being left, the start is refused', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const started = await startConfirmed(f.deps, { ...key(), mode: 'real', confirmation: 'web' });
    expect(started.refused).toMatch(/web-a \(the member being left\) cannot be reached: attest, naming it/);
  });
});

describe('lifeboat failover --attest SERVER="reason"', () => {
  it('attests the named server against the pre-flight it printed, and runs', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    expect(await cli('failover', 'web', '--to', 'web-b', '--yes', '--attest', `web-a=${REASON}`)).toBe(0);
    // web-a is powered off (the fake keeps its last state): the VIP came up on web-b.
    expect(f.fake.holders('10.77.0.10')).toContain('web-b');
    expect(audit().find((r) => r.kind === 'attestation')?.detail).toMatch(
      /attests web-a is powered off or isolated \(pre-flight [0-9a-f]{12} found it unreachable\)/,
    );
  });

  it('refuses when the pre-flight disagrees: the attested server is reachable', async () => {
    expect(await cli('failover', 'web', '--to', 'web-b', '--yes', '--attest', `web-a=${REASON}`)).toBe(1);
    expect(err.join('\n')).toMatch(/the pre-flight disagrees: web-a is reachable \(it answered\).*Nothing was run/);
    expect(changes()).toEqual([]);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('refuses the old free-text form and a server that is not a member', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    expect(await cli('failover', 'web', '--to', 'web-b', '--yes', '--attest', REASON)).toBe(2);
    expect(err.join('\n')).toMatch(/--attest takes SERVER="how you know/);
    expect(await cli('failover', 'web', '--to', 'web-b', '--yes', '--attest', `db-a=${REASON}`)).toBe(2);
    expect(err.join('\n')).toMatch(/"db-a" is not a member of the group \(members: web-a, web-b\)/);
    expect(changes()).toEqual([]);
  });

  it('without --attest for the unreachable member being left, says how to attest it and runs nothing', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    expect(await cli('failover', 'web', '--to', 'web-b', '--yes')).toBe(1);
    expect(err.join('\n')).toMatch(/web-a \(the member being left\) cannot be reached.*--attest web-a=/);
    expect(changes()).toEqual([]);
  });
});
