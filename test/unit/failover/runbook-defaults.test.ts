import { afterEach, describe, expect, it } from 'vitest';
import { defaultRunbookSteps, runbookEnds } from '../../../shared/logic/runbook-defaults';
import { ServiceGroup, type Server } from '../../../shared/domain';
import type { RunbookStep } from '../../../shared/runbooks';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { viewRun, respondToRun } from '../../../electron/failover/engine';
import { startConfirmed } from './confirmed';

const servers = [
  { id: 1, name: 'files-a', support: { vendor: '', contract: '', phone: '', hours: '' } },
  { id: 2, name: 'files-b', support: { vendor: '', contract: '', phone: '', hours: '' } },
  {
    id: 9,
    name: 'pbx',
    support: { vendor: 'VoxTel Ltd', contract: 'VX-20417', phone: '+44 20 7946 0100', hours: '24x7, 4 h on-site' },
  },
] as unknown as Server[];

const pair = (data: unknown, processes: string[] = []) =>
  ServiceGroup.parse({
    id: 5,
    name: 'files',
    members: [
      { serverId: 1, role: 'primary' },
      { serverId: 2, role: 'standby' },
    ],
    data,
    processes,
    vips: [
      {
        address: '10.77.0.30',
        prefix: 24,
        interfaces: [
          { serverId: 1, interface: 'eth0' },
          { serverId: 2, interface: 'eth0' },
        ],
      },
    ],
  });

const describeSteps = (steps: RunbookStep[]) =>
  steps.map((s) => (s.type === 'action' ? `${s.action.kind}@${s.serverId}` : `manual: ${s.title}`));
const failover = { direction: 'failover' as const, sourceServerId: 1, targetServerId: 2 };

describe('default runbooks by data kind', () => {
  it('DRBD: demote on the old member and promote and mount on the new one, by hand with the exact commands, before any service starts', () => {
    const steps = defaultRunbookSteps(
      pair({ kind: 'drbd', resource: 'r0', mountPoint: '/srv/data', device: '/dev/drbd0' }, ['smbd']),
      failover,
      servers,
    );
    expect(describeSteps(steps)).toEqual([
      'vip.listen@2',
      'service.stop@1',
      'manual: Demote DRBD r0 on files-a',
      'manual: Promote DRBD r0 and mount it on files-b',
      'vip.release@1',
      'vip.acquire@2',
      'service.start@2',
      'wait.check@2',
      'vip.watch@2',
    ]);
    const [demote, promote] = steps
      .filter((s) => s.type === 'manual')
      .map((s) => (s.type === 'manual' ? s.instruction : ''));
    expect(demote).toContain("umount -- '/srv/data'");
    expect(demote).toContain("drbdadm secondary -- 'r0'");
    expect(promote).toContain("drbdadm primary -- 'r0'");
    expect(promote).toContain("mount -- '/dev/drbd0' '/srv/data'");
  });

  it('shared disk: unmount on the old member, mount on the new one, before the services', () => {
    const steps = defaultRunbookSteps(
      pair({ kind: 'shared-disk', device: '/dev/sdb1', mountPoint: '/srv/shared' }, ['nfs-server']),
      failover,
      servers,
    );
    const names = describeSteps(steps);
    expect(names.indexOf('manual: Mount the shared disk on files-b')).toBeLessThan(names.indexOf('service.start@2'));
    expect(steps.some((s) => s.type === 'manual' && s.instruction.includes("mount -- '/dev/sdb1' '/srv/shared'"))).toBe(
      true,
    );
  });

  it('backup-restore: a restore step with the configured command, then a check, before the services', () => {
    const steps = defaultRunbookSteps(
      pair(
        { kind: 'backup-restore', backupPath: '/backup/files', restoreCommand: 'restic restore latest --target /srv' },
        ['smbd'],
      ),
      failover,
      servers,
    );
    const names = describeSteps(steps);
    expect(names.slice(2, 4)).toEqual([
      'manual: Restore the latest backup on files-b',
      'manual: Check the restored data on files-b',
    ]);
    expect(steps[2].type === 'manual' && steps[2].instruction).toMatch(
      /\/backup\/files.*\n.*restic restore latest --target \/srv/s,
    );
  });

  it('waits until each started service is active', () => {
    const steps = defaultRunbookSteps(pair({ kind: 'none' }, ['nginx', 'crm']), failover, servers);
    const waits = steps.filter((s) => s.type === 'action' && s.action.kind === 'wait.check');
    expect(waits.map((s) => s.type === 'action' && s.action.kind === 'wait.check' && s.action.params.check)).toEqual([
      { probe: 'service-active', unit: 'nginx' },
      { probe: 'service-active', unit: 'crm' },
    ]);
    const names = describeSteps(steps);
    expect(names.lastIndexOf('service.start@2')).toBeLessThan(names.indexOf('wait.check@2'));
  });

  it('a single-member group gets a manual runbook: the workaround, the vendor with the contract, the check', () => {
    const pbx = ServiceGroup.parse({ id: 7, name: 'pbx', members: [{ serverId: 9, role: 'primary' }] });
    const ends = runbookEnds(pbx, 9);
    expect(ends).toEqual({ direction: 'failover', sourceServerId: 9, targetServerId: 9 });
    const steps = defaultRunbookSteps(pbx, ends as Exclude<typeof ends, string>, servers, [
      { name: 'Phones', workaround: "Forward the main number to the vendor's hosted fallback; call the vendor" },
    ]);
    expect(steps.every((s) => s.type === 'manual')).toBe(true);
    expect(describeSteps(steps)).toEqual([
      'manual: Start the manual workaround for Phones',
      'manual: Call VoxTel Ltd about pbx',
      'manual: Check pbx is back and undo the workaround',
    ]);
    expect(steps[0].type === 'manual' && steps[0].instruction).toContain('Forward the main number');
    expect(steps[1].type === 'manual' && steps[1].instruction).toMatch(/phone \+44 20 7946 0100, contract VX-20417/);
  });
});

describe('the manual runbook of a single-member group in a run', () => {
  let f: FailoverFixture | undefined;
  afterEach(() => f?.ws.cleanup());

  it('runs with the appliance unreachable: nothing is sent but the pre-flight reads, every step waits for its tick', async () => {
    f = await failoverFixture();
    const pbx = await f.ws.ok<Server>('servers.save', {
      name: 'pbx',
      addresses: ['10.77.0.40'],
      ssh: { host: '10.77.0.40' },
      support: { vendor: 'VoxTel Ltd', contract: 'VX-20417', phone: '+44 20 7946 0100', hours: '24x7' },
    });
    const group = await f.ws.ok<ServiceGroup>('groups.save', {
      name: 'pbx',
      members: [{ serverId: pbx.id, role: 'primary' }],
    });
    f.fake.host('pbx', { reachable: false });
    const started = await startConfirmed(f.deps, {
      groupId: group.id,
      targetServerId: pbx.id,
      mode: 'real',
      confirmation: 'pbx',
    });
    expect(started.refused).toBeNull();
    expect(started.preflight.checks.find((c) => c.name === 'target reachable')).toMatchObject({ status: 'warn' });
    for (let step = 0; step < 2; step++) {
      await until(() => viewRun(f!.deps, started.runId!).waiting?.stepIndex === step);
      respondToRun(f.deps, { runId: started.runId!, stepIndex: step, action: 'tick' });
    }
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
  });
});
