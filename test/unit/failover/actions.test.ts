import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { acquireScript } from '../../../electron/failover/actions/vip-acquire';
import { releaseScript } from '../../../electron/failover/actions/vip-release';
import { parseAddresses, findAddress } from '../../../electron/failover/actions/vip-state';
import { serviceScript } from '../../../electron/failover/actions/service';
import { copyScript } from '../../../electron/failover/actions/rsync-sync';
import { RsyncParams, VipAcquireParams } from '../../../shared/runbooks';
import type { Server } from '../../../shared/domain';
import { listAuditRows } from '../../../electron/db/repositories/audit';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

/**
 * Save a runbook of `steps` for a group — followed by the VIP move the final verification checks,
 * unless the steps are about the VIP — and run it as a drill; returns the run once it settles or halts.
 */
async function runSteps(
  group: 'web' | 'db' | 'files',
  target: string,
  steps: unknown[],
  extra: Record<string, unknown> = {},
) {
  const g = f.groups[group];
  const source = g.members.find((m) => m.serverId !== f.servers[target].id)!.serverId;
  const address = g.vips[0].address;
  const move = (kind: 'vip.release' | 'vip.acquire', serverId: number) => ({
    type: 'action',
    title: kind,
    serverId,
    action: { kind, params: { address, prefix: 24, interface: 'eth0' } },
  });
  const vipSteps = group === 'web' ? [] : [move('vip.release', source), move('vip.acquire', f.servers[target].id)];
  await f.ws.ok('runbooks.save', {
    groupId: g.id,
    direction: target.endsWith('-b') ? 'failover' : 'switchback',
    sourceServerId: source,
    targetServerId: f.servers[target].id,
    steps: [...steps, ...vipSteps],
  });
  const started = await startRun(f.deps, {
    groupId: g.id,
    targetServerId: f.servers[target].id,
    mode: 'drill',
    confirmation: group,
    ...extra,
  });
  await until(
    () => viewRun(f.deps, started.runId!).waiting !== null || viewRun(f.deps, started.runId!).status !== 'running',
  );
  return { started, view: viewRun(f.deps, started.runId!) };
}

const vipStep = (kind: 'vip.release' | 'vip.acquire', serverId: number) => ({
  type: 'action',
  title: kind,
  serverId,
  action: { kind, params: { address: '10.77.0.10', prefix: 24, interface: 'eth0' } },
});

describe('vip actions', () => {
  it('release of a VIP that is not held is a no-op success', async () => {
    const { started, view } = await runSteps('web', 'web-b', [vipStep('vip.release', f.servers['web-b'].id)]);
    expect(view.steps[0]).toMatchObject({ status: 'no-op' });
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    // The runbook never moved the VIP: the final verification, which covers every VIP of the group, says so.
    expect(await started.finished).toBe('failed');
    expect(viewRun(f.deps, started.runId!).summary).toMatch(/10.77.0.10 is held by web-a, not web-b/);
  });

  it('acquire of a VIP already held is a no-op success', async () => {
    const { started } = await runSteps('web', 'web-a', [vipStep('vip.acquire', f.servers['web-a'].id)]);
    expect(await started.finished).toBe('succeeded');
    expect(viewRun(f.deps, started.runId!).steps[0]).toMatchObject({ status: 'no-op' });
  });

  it('Linux scripts: ip addr add/del, duplicate probe before acquire, gratuitous ARP in the background', () => {
    const params = VipAcquireParams.parse({ address: '10.77.0.10', prefix: 24, interface: 'eth0' });
    const acquire = acquireScript('linux', params);
    // Three duplicate-address probes, interrupted together at the end of the window (15 ms + arping's start-up).
    expect(acquire.match(/arping -D -c 100 -w 2 -I 'eth0' '10.77.0.10' 2>&1 & p\d=\$!/g)).toHaveLength(3 * 2);
    expect(acquire).toContain('sleep 0.018 & w=$!');
    expect(acquire).toContain('wait $w; kill -INT $p0 $p1 $p2');
    expect(acquire).toContain("ip addr add '10.77.0.10/24' dev 'eth0'");
    // At least two gratuitous ARPs at once: a request and a reply.
    expect(acquire).toContain("arping -U -c 3 -I 'eth0' '10.77.0.10' </dev/null >/dev/null 2>&1 &");
    expect(acquire).toContain("arping -A -c 2 -I 'eth0' '10.77.0.10' </dev/null >/dev/null 2>&1 &");
    expect(acquire.indexOf('arping -D')).toBeLessThan(acquire.indexOf('ip addr add'));
    expect(releaseScript('linux', params)).toContain('ip addr del "$cidr" dev "$itf"');
  });

  it('OpenBSD scripts: ifconfig alias / -alias with a netmask', () => {
    const params = VipAcquireParams.parse({ address: '192.0.2.10', prefix: 24, interface: 'em0' });
    expect(acquireScript('openbsd', params)).toContain(
      "ifconfig 'em0' inet alias '192.0.2.10' netmask '255.255.255.0'",
    );
    expect(releaseScript('openbsd', params)).toContain("ifconfig 'em0' inet '192.0.2.10' -alias");
    const v6 = VipAcquireParams.parse({ address: '2001:db8::10', prefix: 64, interface: 'em0' });
    expect(acquireScript('openbsd', v6)).toContain("ifconfig 'em0' inet6 alias '2001:db8::10' prefixlen '64'");
  });

  it('matches a VIP by address whatever the prefix', () => {
    const linux = parseAddresses(
      'linux',
      '2: eth0    inet 10.77.0.10/32 scope global eth0\\       valid_lft forever\n3: eth1    inet 10.77.0.100/24 scope global eth1\n',
    );
    expect(findAddress(linux, '10.77.0.10')).toMatchObject({ interface: 'eth0', prefix: 32 });
    expect(findAddress(linux, '10.77.0.1')).toBeUndefined();
    const bsd = parseAddresses(
      'openbsd',
      'em0: flags=8843<UP>\n\tinet 192.0.2.10 netmask 0xffffff00 broadcast 192.0.2.255\n',
    );
    expect(findAddress(bsd, '192.0.2.10')).toMatchObject({ interface: 'em0', prefix: 24 });
  });

  it('refuses values that are not allowlisted before any script is built', () => {
    expect(VipAcquireParams.safeParse({ address: '010.77.0.10', interface: 'eth0' }).success).toBe(false);
    expect(VipAcquireParams.safeParse({ address: '10.77.0.10', interface: 'eth0;reboot' }).success).toBe(false);
    expect(() => serviceScript('linux', 'stop', '-nginx')).toThrow(/may not start with "-"/);
  });
});

describe('rsync.sync', () => {
  const rsyncStep = (receiver: string, source: string) => ({
    type: 'action',
    title: 'sync',
    serverId: f.servers[receiver].id,
    action: {
      kind: 'rsync.sync',
      params: { sourceServerId: f.servers[source].id, vipAddress: '10.77.0.30', paths: ['/srv/files'] },
    },
  });

  it('copies from the VIP holder to the member without it', async () => {
    const { started } = await runSteps('files', 'files-b', [rsyncStep('files-b', 'files-a')]);
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.hosts.get('files-b')!.files.get('/srv/files/README.txt')).toBe('hello');
  });

  it('refuses the wrong direction with no copy command sent', async () => {
    const { view } = await runSteps('files', 'files-a', [rsyncStep('files-a', 'files-b')]);
    expect(view.steps[0].status).toBe('refused');
    expect(view.steps[0].message).toMatch(/files-b \(the source\) does not hold 10.77.0.30.*nothing was copied/);
    expect(f.fake.calls.some((c) => c.script.includes('rsync'))).toBe(false);
    expect(f.fake.hosts.get('files-a')!.files.size).toBe(1);
    expect(f.fake.hosts.get('files-b')!.files.size).toBe(0);
  });

  it('the copy script refuses itself on a host that does not hold the VIP', () => {
    const params = RsyncParams.parse({
      sourceServerId: 1,
      vipAddress: '10.77.0.30',
      paths: ['/srv/files'],
      excludes: ["*.tmp'; rm -rf /"],
    });
    const script = copyScript(
      { os: 'linux' } as Server,
      params,
      { addresses: ['10.77.0.32'], ssh: { host: 'files-b', port: 22 } } as Server,
      ['10.77.0.30'],
      0,
    );
    expect(script.split('\n')[0]).toMatch(/^if ! ip -o addr show .*exit 97; fi$/);
    expect(script).toContain(`--exclude='*.tmp'\\''; rm -rf /'`);
    expect(script).toContain("'root'@'10.77.0.32':'/srv/files/'");
  });

  it('shows what --delete would remove and needs an acknowledgement first', async () => {
    const step = rsyncStep('files-b', 'files-a');
    (step.action.params as Record<string, unknown>).delete = true;
    const { started, view } = await runSteps('files', 'files-b', [step]);
    expect(view.steps[0].status).toBe('needs-acknowledgement');
    expect(
      f.events.some(
        (e) => e.event === 'run.output' && String((e.payload as { text: string }).text).includes('*deleting   old.txt'),
      ),
    ).toBe(true);
    expect(f.fake.calls.some((c) => c.script.startsWith('if ! ip'))).toBe(false);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    expect(await started.finished).toBe('succeeded');
  });
});

describe('postgres.promote', () => {
  const promoteStep = (target: string, fence: string | null) => ({
    type: 'action',
    title: 'promote',
    serverId: f.servers[target].id,
    action: {
      kind: 'postgres.promote',
      params: { dataDir: '/srv/pgdata', database: 'crm', fenceServerId: fence ? f.servers[fence].id : null },
    },
  });

  it('fences the old primary, promotes, and verifies a write', async () => {
    const { started } = await runSteps('db', 'db-b', [promoteStep('db-b', 'db-a')]);
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.hosts.get('db-a')!.postgres!.running).toBe(false);
    expect(f.fake.hosts.get('db-b')!.postgres!.inRecovery).toBe(false);
    const order = f.fake.calls.map(
      (c) => `${c.host}:${c.script.includes('stop') ? 'fence' : c.script.includes('pg_promote') ? 'promote' : 'other'}`,
    );
    expect(order.indexOf('db-a:fence')).toBeLessThan(order.indexOf('db-b:promote'));
  });

  it('refuses to promote a primary with a clear message', async () => {
    const { view } = await runSteps('db', 'db-a', [promoteStep('db-a', null)]);
    expect(view.steps[0].status).toBe('refused');
    expect(view.steps[0].message).toMatch(
      /db-a is already a primary \(pg_is_in_recovery\(\) is false\): promotion refused/,
    );
    expect(f.fake.calls.some((c) => c.script.includes('pg_promote'))).toBe(false);
  });

  it('needs an acknowledgement when the replay lag is above the RPO', async () => {
    f.fake.hosts.get('db-b')!.postgres!.lagSeconds = 900;
    const { started, view } = await runSteps('db', 'db-b', [promoteStep('db-b', 'db-a')]);
    expect(view.steps[0].status).toBe('needs-acknowledgement');
    expect(view.steps[0].message).toMatch(/replay lag is 900 s, above the RPO of 5 min/);
    expect(f.fake.calls.some((c) => c.script.includes('pg_promote'))).toBe(false);
    expect(f.fake.hosts.get('db-a')!.postgres!.running).toBe(true);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    expect(await started.finished).toBe('succeeded');
  });

  it('an acknowledgement given at start lets it promote at once', async () => {
    f.fake.hosts.get('db-b')!.postgres!.lagSeconds = 900;
    const { started } = await runSteps('db', 'db-b', [promoteStep('db-b', 'db-a')], {
      acknowledgeLag: { lagSeconds: 900 },
    });
    expect(await started.finished).toBe('succeeded');
  });

  it('asks again when the lag at promotion time is above the value acknowledged', async () => {
    f.fake.hosts.get('db-b')!.postgres!.lagSeconds = 900;
    const { started, view } = await runSteps('db', 'db-b', [promoteStep('db-b', 'db-a')], {
      acknowledgeLag: { lagSeconds: 300 },
    });
    expect(view.steps[0].status).toBe('needs-acknowledgement');
    expect(view.steps[0].message).toMatch(/replay lag is 900 s \(you accepted 300 s; it is more now\)/);
    expect(f.fake.calls.some((c) => c.script.includes('pg_promote'))).toBe(false);
    const ack = listAuditRows(f.ws.db, { runId: started.runId!, limit: 100 }).find((r) => r.kind === 'acknowledgement');
    expect(ack?.detail).toMatch(/accepts a replay lag of 300 s/);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    expect(await started.finished).toBe('succeeded');
  });
});
