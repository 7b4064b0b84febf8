import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import type { Runbook } from '../../../shared/runbooks';
import type { DrillStatus } from '../../../shared/contract/failover';
import { startConfirmed as startRun } from './confirmed';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const kinds = (runbook: Runbook) =>
  runbook.steps.map((s) => (s.type === 'action' ? `${s.action.kind}@${s.serverId}` : 'manual'));

describe('default runbooks', () => {
  it('web: listen from the standby first, release on the old primary, acquire on the standby, then watch', async () => {
    const runbook = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
    });
    expect(runbook).toMatchObject({ id: null, direction: 'failover', sourceServerId: f.servers['web-a'].id });
    const [a, b] = [f.servers['web-a'].id, f.servers['web-b'].id];
    expect(kinds(runbook)).toEqual([`vip.listen@${b}`, `vip.release@${a}`, `vip.acquire@${b}`, `vip.watch@${b}`]);
    const listen = runbook.steps[0];
    // Only the old holder's MAC may answer: the listening names it and the interface it is read from.
    expect(listen.type === 'action' && listen.action.kind === 'vip.listen' && listen.action.params).toEqual({
      address: '10.77.0.10',
      interface: 'eth0',
      holder: { serverId: a, interface: 'eth0' },
      listenMilliseconds: 1200,
    });
    const watch = runbook.steps[3];
    expect(
      watch.type === 'action' && watch.action.kind === 'vip.watch' && watch.action.params.watchMilliseconds,
    ).toBeGreaterThanOrEqual(2000);
  });

  it('db: release, promote with the old primary fenced, acquire', async () => {
    const runbook = await f.ws.ok<Runbook>('runbooks.get', {
      groupId: f.groups.db.id,
      targetServerId: f.servers['db-b'].id,
    });
    expect(runbook.steps.map((s) => (s.type === 'action' ? s.action.kind : s.type))).toEqual([
      'vip.listen',
      'vip.release',
      'postgres.promote',
      'vip.acquire',
      'vip.watch',
    ]);
    const promote = runbook.steps[2];
    expect(
      promote.type === 'action' && promote.action.kind === 'postgres.promote' && promote.action.params.fenceServerId,
    ).toBe(f.servers['db-a'].id);
  });

  it('files: a final guarded sync from the old primary while it is reachable, before the VIP moves', async () => {
    const runbook = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.files.id,
      targetServerId: f.servers['files-b'].id,
    });
    const kinds = runbook.steps.map((s) => (s.type === 'action' ? s.action.kind : 'manual'));
    expect(kinds.slice(0, 4)).toEqual(['vip.listen', 'sync.pause', 'sync.pause', 'rsync.sync']);
    const sync = runbook.steps[3];
    expect(sync.type === 'action' && sync.whenUnreachable).toBe('skip-when-attested');
    expect(kinds.indexOf('rsync.sync')).toBeLessThan(kinds.indexOf('vip.release'));
  });

  it('files: the scheduled sync is paused on both members before anything moves and resumed at the end', async () => {
    const runbook = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.files.id,
      targetServerId: f.servers['files-b'].id,
    });
    const steps = runbook.steps.flatMap((s) => (s.type === 'action' ? [s] : []));
    const pauses = steps.filter((s) => s.action.kind === 'sync.pause');
    expect(pauses.map((s) => [s.serverId, s.whenUnreachable])).toEqual([
      [f.servers['files-a'].id, 'skip-when-attested'],
      [f.servers['files-b'].id, 'halt'],
    ]);
    expect(steps.slice(-2).map((s) => [s.action.kind, s.serverId])).toEqual([
      ['sync.resume', f.servers['files-b'].id],
      ['sync.resume', f.servers['files-a'].id],
    ]);
    const db = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.db.id,
      targetServerId: f.servers['db-b'].id,
    });
    expect(db.steps.some((s) => s.type === 'action' && s.action.kind.startsWith('sync.'))).toBe(false);
  });

  it('switchback to the primary is its own runbook', async () => {
    const runbook = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-a'].id,
    });
    expect(runbook.direction).toBe('switchback');
    const [a, b] = [f.servers['web-a'].id, f.servers['web-b'].id];
    expect(kinds(runbook)).toEqual([`vip.listen@${a}`, `vip.release@${b}`, `vip.acquire@${a}`, `vip.watch@${a}`]);
  });
});

describe('saving a runbook', () => {
  const base = () => ({
    groupId: f.groups.web.id,
    direction: 'failover',
    sourceServerId: f.servers['web-a'].id,
    targetServerId: f.servers['web-b'].id,
  });

  it('keeps an edited order with a manual step added', async () => {
    const generated = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
    });
    const steps = [
      { type: 'manual', title: 'Warn the call centre', role: 'operations manager', expectedMinutes: 1 },
      ...generated.steps.reverse(),
    ];
    const saved = await f.ws.ok<Runbook>('runbooks.save', { ...base(), steps });
    expect(saved.id).not.toBeNull();
    expect(
      (await f.ws.ok<Runbook>('runbooks.get', { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id }))
        .steps[0].title,
    ).toBe('Warn the call centre');
  });

  it.each([
    [
      {
        type: 'action',
        title: 'x',
        serverId: 0,
        action: { kind: 'vip.acquire', params: { address: '10.77.0.10', interface: 'eth0' } },
      },
      ['steps', 0, 'serverId'],
    ],
    [
      {
        type: 'action',
        title: 'x',
        serverId: 1,
        action: { kind: 'vip.acquire', params: { address: '10.77.0.10', interface: '-eth0' } },
      },
      ['steps', 0, 'action', 'params', 'interface'],
    ],
    [
      { type: 'action', title: 'x', serverId: 1, action: { kind: 'service.stop', params: { unit: 'nginx; reboot' } } },
      ['steps', 0, 'action', 'params', 'unit'],
    ],
    [
      {
        type: 'action',
        title: 'x',
        serverId: 1,
        action: { kind: 'rsync.sync', params: { sourceServerId: 2, vipAddress: '10.77.0.10', paths: ['/srv/../etc'] } },
      },
      ['steps', 0, 'action', 'params', 'paths', 0],
    ],
    [
      {
        type: 'action',
        title: 'x',
        serverId: 1,
        action: { kind: 'command.run', params: { script: 'true', expectedExitCodes: [256] } },
      },
      ['steps', 0, 'action', 'params', 'expectedExitCodes', 0],
    ],
  ])('refuses a bad step at the point of entry (%j)', async (step, path) => {
    const result = await f.ws.dispatcher.dispatch('runbooks.save', { ...base(), steps: [step] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues?.map((i) => i.path)).toContainEqual(path);
  });

  it("refuses a step on a server outside the group, and a VIP that is not the group's", async () => {
    const other = f.servers['db-a'].id;
    const result = await f.ws.dispatcher.dispatch('runbooks.save', {
      ...base(),
      steps: [
        {
          type: 'action',
          title: 'x',
          serverId: other,
          action: { kind: 'vip.acquire', params: { address: '10.77.0.20', interface: 'eth0' } },
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues?.map((i) => i.path)).toContainEqual(['steps', 0, 'serverId']);
      expect(result.error.issues?.map((i) => i.path)).toContainEqual(['steps', 0, 'action', 'params', 'address']);
    }
  });
});

describe('drills', () => {
  it('a group reads "needs verification" after its runbook changes since the last good drill', async () => {
    expect((await f.ws.ok<DrillStatus[]>('drills.status', { groupId: f.groups.web.id }))[0].status).toBe('never');
    const drill = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'drill',
      confirmation: 'web',
    });
    expect(await drill.finished).toBe('succeeded');
    expect((await f.ws.ok<DrillStatus[]>('drills.status', { groupId: f.groups.web.id }))[0]).toMatchObject({
      status: 'good',
      lastGoodDrill: { runId: drill.runId },
    });
    const generated = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
    });
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.web.id,
      direction: 'failover',
      sourceServerId: f.servers['web-a'].id,
      targetServerId: f.servers['web-b'].id,
      steps: [{ type: 'manual', title: 'Check' }, ...generated.steps],
    });
    const status = (await f.ws.ok<DrillStatus[]>('drills.status', { groupId: f.groups.web.id }))[0];
    expect(status.status).toBe('needs-verification');
    expect(status.reasons[0]).toMatch(/changed since the last good drill/);
    // The pre-flight says so too, instead of counting the old drill as good.
    const preflight = await f.ws.ok<{ checks: { name: string; status: string; detail: string }[] }>(
      'failover.preflight',
      { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id },
    );
    expect(preflight.checks.find((c) => c.name === 'last good drill')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/needs verification: .*changed since the last good drill/),
    });
  });

  it('a good drill older than the set age needs verification', async () => {
    const drill = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'drill',
      confirmation: 'web',
    });
    await drill.finished;
    await f.ws.ok('drills.setMaxAge', { days: 30 });
    f.ws.db.prepare('UPDATE runs SET started_at = started_at - ? WHERE id = ?').run(31 * 86_400_000, drill.runId);
    const status = (await f.ws.ok<DrillStatus[]>('drills.status', { groupId: f.groups.web.id }))[0];
    expect(status.reasons).toEqual([expect.stringMatching(/31 days old \(more than 30\)/)]);
  });
});
