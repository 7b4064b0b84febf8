/**
 * Reads that do not prove themselves block the pre-flight (docs/safety.md: a read proves itself or
 * it is unknown): a tool missing, garbage with exit 0, the member's own address missing from its
 * list, output cut short, a wrong OS, a mistyped interface, an interface down. Nothing is changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { memberReadScript, parseMemberRead } from '../../../electron/failover/member-read';
import { readSection, section } from '../../../electron/failover/proven-read';
import type { ToolFault } from './fake-reads';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const webRun = () =>
  startRun(f.deps, {
    groupId: f.groups.web.id,
    targetServerId: f.servers['web-b'].id,
    mode: 'real',
    confirmation: 'web',
  });
const changes = () => f.fake.calls.filter((c) => !c.script.startsWith("echo '--- lifeboat: begin os'"));

describe('proven sections', () => {
  it('count only with their end line and exit status 0', () => {
    const body = section('addresses', 'ip -o addr show');
    expect(body).toContain(`rc=$?; echo; echo "--- lifeboat: end addresses $rc"`);
    expect(
      readSection(
        '--- lifeboat: begin addresses\n2: eth0 inet 10.0.0.1/24\n\n--- lifeboat: end addresses 0\n',
        'addresses',
      ),
    ).toEqual({ ok: true, text: '2: eth0 inet 10.0.0.1/24' });
    expect(
      readSection('--- lifeboat: begin addresses\nsh: ip: not found\n\n--- lifeboat: end addresses 127\n', 'addresses'),
    ).toMatchObject({ ok: false, why: 'exit status 127: sh: ip: not found' });
    expect(readSection('--- lifeboat: begin addresses\n2: eth0 inet', 'addresses')).toMatchObject({
      ok: false,
      why: expect.stringMatching(/no end line/),
    });
    expect(readSection('', 'addresses')).toMatchObject({ ok: false, why: expect.stringMatching(/never started/) });
  });

  it('a member read without its last line counts for nothing, even where sections ended', () => {
    const server = f.servers['web-a'];
    const request = { links: false, pg: null, units: [] };
    expect(memberReadScript(server, request)).toMatch(/echo '--- lifeboat: read complete'$/);
    const stdout = `--- lifeboat: begin os\nLinux\n\n--- lifeboat: end os 0\n--- lifeboat: begin addresses\n2: eth0    inet 10.77.0.11/24 scope global eth0\n\n--- lifeboat: end addresses 0\n`;
    const facts = parseMemberRead(server, request, stdout);
    expect(facts.os).toEqual({ ok: true, value: 'Linux' });
    expect(facts.addresses).toMatchObject({ ok: false, why: expect.stringMatching(/cut short/) });
    const complete = parseMemberRead(server, request, `${stdout}--- lifeboat: read complete\n`);
    expect(complete.addresses.ok).toBe(true);
  });
});

describe('the old member\'s address list not proven: blocked, never "held by no member"', () => {
  const faults: [ToolFault, RegExp][] = [
    ['missing', /web-a: the address list could not be read \(exit status 127: sh: 1: ip: not found\)/],
    ['garbage', /web-a: the address list does not prove itself: its own address \(10\.77\.0\.11\) is not in the list/],
    [
      'no-own-address',
      /web-a: the address list does not prove itself: its own address \(10\.77\.0\.11\) is not in the list it printed \(1 address parsed\)/,
    ],
    ['cut', /web-a: the address list could not be read \(no end line/],
  ];
  for (const [fault, message] of faults) {
    it(`ip ${fault}: refused at pre-flight, the VIP still only on web-a, nothing sent but the reads`, async () => {
      f.fake.hosts.get('web-a')!.faults = { ip: fault };
      const started = await webRun();
      expect(started.refused).toMatch(/VIP 10\.77\.0\.10: cannot tell who holds 10\.77\.0\.10/);
      expect(started.refused).toMatch(message);
      expect(started.preflight.checks.find((c) => c.name === 'VIP 10.77.0.10')?.status).toBe('block');
      expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
      expect(changes()).toEqual([]);
      expect(viewRun(f.deps, started.runId!).status).toBe('failed');
    });
  }

  it("the target's address list not proven blocks too", async () => {
    f.fake.hosts.get('web-b')!.faults = { ip: 'missing' };
    const started = await webRun();
    expect(started.refused).toMatch(/cannot tell who holds .*web-b: the address list could not be read/);
    expect(changes()).toEqual([]);
  });
});

describe('the release step', () => {
  it('ip failing at the release (after the pre-flight) is indeterminate, never "did not hold"; nothing acquired', async () => {
    f.fake.override((host, script) =>
      host === 'web-a' && script.startsWith('held=$(ip -o addr show')
        ? {
            kind: 'failed',
            result: {
              code: 127,
              stdout: 'lifeboat: not held\n--- lifeboat: state\n',
              stderr: 'sh: 1: ip: not found',
              truncated: false,
              durationMs: 1,
            },
          }
        : undefined,
    );
    const started = await webRun();
    expect(started.refused).toBeNull();
    await until(
      () => viewRun(f.deps, started.runId!).waiting !== null || viewRun(f.deps, started.runId!).status !== 'running',
    );
    const release = viewRun(f.deps, started.runId!).steps.find((s) => s.title.startsWith('Release'))!;
    expect(release.status).toBe('indeterminate');
    expect(release.message).toMatch(
      /whether web-a still holds 10\.77\.0\.10 is unknown: it printed no address|its own address \(10\.77\.0\.11\) is not in the list/,
    );
    expect(f.fake.calls.some((c) => c.host === 'web-b' && c.script.includes('ip addr add'))).toBe(false);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });
});

describe('OS and interfaces', () => {
  it('refuses when uname -s disagrees with the inventory', async () => {
    f.fake.hosts.get('web-a')!.os = 'OpenBSD';
    const started = await webRun();
    expect(started.refused).toMatch(/the inventory says web-a runs linux, but it answers "OpenBSD" to uname -s/);
    expect(changes()).toEqual([]);
  });

  it('refuses when uname is missing (the OS cannot be proven)', async () => {
    f.fake.hosts.get('web-b')!.faults = { uname: 'missing' };
    const started = await webRun();
    expect(started.refused).toMatch(/OS of web-b: web-b: uname -s did not answer \(exit status 127/);
  });

  it('a mistyped target interface (eth9) is refused before the release', async () => {
    const group = f.groups.web;
    const vips = group.vips.map((v) => ({
      ...v,
      interfaces: v.interfaces.map((i) => (i.serverId === f.servers['web-b'].id ? { ...i, interface: 'eth9' } : i)),
    }));
    await f.ws.ok('groups.save', { ...group, vips });
    const started = await webRun();
    expect(started.refused).toMatch(
      /web-b has no interface eth9 \(it has lo, eth0\): correct the VIP's interface for web-b before anything is released/,
    );
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(changes()).toEqual([]);
  });

  it('an interface that is down on the target is refused', async () => {
    f.fake.hosts.get('web-b')!.links = [{ interface: 'eth0', up: false }];
    const started = await webRun();
    expect(started.refused).toMatch(/eth0 on web-b is down/);
    expect(changes()).toEqual([]);
  });
});

describe('units', () => {
  it("a unit of the group's processes missing on the target is refused at pre-flight", async () => {
    await f.ws.ok('groups.save', { ...f.groups.web, processes: ['crm-app'] });
    f.fake.hosts.get('web-b')!.installedUnits = new Set(['nginx']);
    const started = await webRun();
    expect(started.refused).toMatch(/crm-app does not exist on web-b \(LoadState not-found\)/);
    expect(changes()).toEqual([]);
  });

  it('units that cannot be read (no systemctl) block too', async () => {
    await f.ws.ok('groups.save', { ...f.groups.web, processes: ['crm-app'] });
    f.fake.hosts.get('web-b')!.faults = { systemctl: 'missing' };
    const started = await webRun();
    expect(started.refused).toMatch(/units on web-b: web-b: the unit list could not be read \(exit status 1\)/);
    expect(changes()).toEqual([]);
  });
});
