import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server, ServiceGroup, Snapshot } from '../../../shared/domain';
import type { Runbook } from '../../../shared/runbooks';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

const JUMP_PLAN = `lifeboat: 1
servers:
  - name: bastion
    ssh: { host: 192.0.2.1 }
  - name: web-a
    ssh: { host: 192.0.2.11, jump: bastion }
  - name: web-b
    ssh: { host: 192.0.2.12, jump: bastion }
`;

describe('importing over an existing workspace', () => {
  it('imports a plan with a jump host twice, then creates an empty workspace', async () => {
    await ws.ok('workspace.importPlan', { yaml: JUMP_PLAN });
    await ws.ok('workspace.importPlan', { yaml: JUMP_PLAN });
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    const bastion = snap.servers.find((s) => s.name === 'bastion')!;
    expect(snap.servers.find((s) => s.name === 'web-a')?.ssh.jumpServerId).toBe(bastion.id);
    await ws.ok('workspace.create', { template: 'empty' });
    expect((await ws.ok<Snapshot>('workspace.snapshot')).servers).toEqual([]);
  });

  it('keeps the ids of servers and groups whose names survive', async () => {
    await ws.ok('workspace.create', { template: 'example' });
    const before = await ws.ok<Snapshot>('workspace.snapshot');
    const { yaml } = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    await ws.ok('workspace.importPlan', { yaml });
    const after = await ws.ok<Snapshot>('workspace.snapshot');
    expect(after).toEqual(before);
  });
});

const setup = async () => {
  const server = async (name: string, n: number) =>
    ws.ok<Server>('servers.save', { name, addresses: [`192.0.2.${n}`], ssh: { host: `192.0.2.${n}` } });
  const a = await server('web-a', 11);
  const b = await server('web-b', 12);
  const group = await ws.ok<ServiceGroup>('groups.save', {
    name: 'web',
    members: [
      { serverId: a.id, role: 'primary' },
      { serverId: b.id, role: 'standby' },
    ],
    vips: [
      {
        address: '192.0.2.10',
        prefix: 24,
        interfaces: [
          { serverId: a.id, interface: 'eth0' },
          { serverId: b.id, interface: 'eth0' },
        ],
      },
    ],
  });
  const generated = await ws.ok<Runbook>('runbooks.generate', { groupId: group.id, targetServerId: b.id });
  const steps = [
    { type: 'manual', title: 'Warn the call centre', role: 'operations manager', expectedMinutes: 1 },
    ...generated.steps,
  ];
  await ws.ok('runbooks.save', {
    groupId: group.id,
    direction: 'failover',
    sourceServerId: a.id,
    targetServerId: b.id,
    steps,
  });
  await ws.ok('checks.save', { name: 'web VIP answers', kind: 'vip', params: {}, groupId: group.id });
  await ws.ok('checks.save', { name: 'web-b SSH', kind: 'ssh', params: {}, serverId: b.id });
  return { a, b, group };
};

describe('import keeps what belongs to entities that survive by name', () => {
  it('export → import keeps a saved runbook and the checks', async () => {
    const { b, group } = await setup();
    const { yaml } = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    const summary = await ws.ok<{ dropped: string[] }>('workspace.importPlan', { yaml });
    expect(summary.dropped).toEqual([]);
    const runbook = await ws.ok<Runbook>('runbooks.get', { groupId: group.id, targetServerId: b.id });
    expect(runbook.id).not.toBeNull();
    expect(runbook.steps[0].title).toBe('Warn the call centre');
    const checks = await ws.ok<{ check: { name: string } }[]>('checks.list', {});
    expect(checks.map((c) => c.check.name).sort()).toEqual(['web VIP answers', 'web-b SSH']);
  });

  it('names in the summary what went with a server that is no longer in the plan', async () => {
    await setup();
    const { yaml } = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    const withoutB = yaml
      .replace(/ {2}- name: web-b\n(?: {4}.*\n)+/, '')
      .replace(/ {6}- server: web-b\n {8}role: standby\n/, '')
      .replace(/ {10}web-b: eth0\n/, '');
    expect(withoutB).not.toContain('web-b');
    const summary = await ws.ok<{ dropped: string[] }>('workspace.importPlan', { yaml: withoutB });
    expect(summary.dropped).toEqual(
      expect.arrayContaining([expect.stringContaining('web-b SSH'), expect.stringMatching(/runbook.*web.*web-b/)]),
    );
    const checks = await ws.ok<{ check: { name: string } }[]>('checks.list', {});
    expect(checks.map((c) => c.check.name)).toEqual(['web VIP answers']);
  });
});

describe('ids that history still names', () => {
  it('a group added after one was removed does not take the id a run still records', async () => {
    await ws.ok('workspace.importPlan', { yaml: 'lifeboat: 1\ngroups:\n  - name: web\n  - name: old\n' });
    const old = (await ws.ok<Snapshot>('workspace.snapshot')).groups.find((g) => g.name === 'old')!;
    ws.db
      .prepare(
        `INSERT INTO runs (group_id, group_name, source_server_id, target_server_id, mode, status, operator, owner_pid, owner_host, owner_token, started_at, definition_hash, runbook)
         VALUES (?, 'old', 90, 91, 'drill', 'succeeded', 'tester', 1, 'here', 't', 0, 'h', '{}')`,
      )
      .run(old.id);
    await ws.ok('workspace.importPlan', {
      yaml: 'lifeboat: 1\ngroups:\n  - name: web\n  - name: new\nservers:\n  - name: s1\n    ssh: { host: 192.0.2.1 }\n',
    });
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.groups.find((g) => g.name === 'new')!.id).toBeGreaterThan(old.id);
    expect(snap.servers[0].id).toBeGreaterThan(91);
  });
});

describe('import during a failover', () => {
  it('is refused while a run is in progress, and changes nothing', async () => {
    await ws.ok('workspace.importPlan', { yaml: JUMP_PLAN });
    ws.db
      .prepare(
        `INSERT INTO runs (group_id, group_name, source_server_id, target_server_id, mode, status, operator, owner_pid, owner_host, owner_token, started_at, definition_hash, runbook)
         VALUES (1, 'web', 1, 2, 'real', 'running', 'tester', 1, 'here', 't', 0, 'h', '{}')`,
      )
      .run();
    const before = await ws.ok<Snapshot>('workspace.snapshot');
    const result = await ws.dispatcher.dispatch('workspace.importPlan', { yaml: 'lifeboat: 1\n' });
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!result.ok && result.error.message).toContain('group "web" (run 1)');
    expect(await ws.dispatcher.dispatch('workspace.create', { template: 'empty' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await ws.ok<Snapshot>('workspace.snapshot')).toEqual(before);
  });
});
