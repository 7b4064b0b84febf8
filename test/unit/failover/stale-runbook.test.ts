/**
 * A saved runbook is re-validated against the group as it is now when a plan is built and when a
 * run starts: a VIP changed or moved to another group, or an interface changed, refuses it with
 * what changed (audited at start, nothing run), and runbooks.list marks it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { planOnly, startRun } from '../../../electron/failover/engine';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { Runbook } from '../../../shared/runbooks';
import type { ServiceGroup } from '../../../shared/domain';

let f: FailoverFixture;
let web: ServiceGroup;
let plannedHash: string;
beforeEach(async () => {
  f = await failoverFixture();
  web = f.groups.web;
  const generated = await f.ws.ok<Runbook>('runbooks.generate', {
    groupId: web.id,
    targetServerId: f.servers['web-b'].id,
  });
  await f.ws.ok('runbooks.save', {
    groupId: web.id,
    direction: generated.direction,
    sourceServerId: generated.sourceServerId,
    targetServerId: generated.targetServerId,
    steps: generated.steps,
  });
  plannedHash = planOnly(f.ws.db, web.id, f.servers['web-b'].id).planHash;
});
afterEach(() => f.ws.cleanup());

const key = () => ({ groupId: web.id, targetServerId: f.servers['web-b'].id });
const withVip = (vip: Partial<ServiceGroup['vips'][number]>) => ({ ...web, vips: [{ ...web.vips[0], ...vip }] });

async function planError(): Promise<{ code: string; message: string }> {
  const result = await f.ws.dispatcher.dispatch('failover.plan', key());
  expect(result.ok).toBe(false);
  return result.ok ? { code: '', message: '' } : result.error;
}

describe('a saved runbook gone stale', () => {
  it('fits while nothing changed', async () => {
    expect((await f.ws.ok<{ steps: unknown[] }>('failover.plan', key())).steps.length).toBeGreaterThan(0);
    expect((await f.ws.ok<Runbook[]>('runbooks.list', { groupId: web.id }))[0].problems).toEqual([]);
  });

  it('is refused at plan when the VIP changed, saying what changed and how to fix it', async () => {
    await f.ws.ok('groups.save', withVip({ address: '10.77.0.15' }));
    const error = await planError();
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(
      /saved runbook moving web to web-b no longer fits the group: 10\.77\.0\.10 is not a VIP of the group \(its VIPs are now 10\.77\.0\.15\/24\)/,
    );
    expect(error.message).toMatch(/start again from the generated runbook and save, or edit the marked steps/);
  });

  it('is refused at start (audited, nothing sent to any host)', async () => {
    await f.ws.ok('groups.save', withVip({ address: '10.77.0.15' }));
    await expect(
      startRun(f.deps, { ...key(), mode: 'real', confirmation: 'web', planHash: plannedHash }),
    ).rejects.toThrow(/no longer fits the group: 10\.77\.0\.10 is not a VIP/);
    expect(f.fake.calls).toEqual([]);
    const refusal = listAuditRows(f.ws.db, { limit: 50 }).find((r) => r.kind === 'refusal');
    expect(refusal?.detail).toMatch(/refused to start: .*10\.77\.0\.10 is not a VIP/);
  });

  it('is refused when the VIP moved to another group', async () => {
    await f.ws.ok('groups.save', { ...web, vips: [] });
    const db = f.groups.db;
    await f.ws.ok('groups.save', {
      ...db,
      vips: [
        ...db.vips,
        { ...web.vips[0], interfaces: db.members.map((m) => ({ serverId: m.serverId, interface: 'eth0' })) },
      ],
    });
    expect((await planError()).message).toMatch(/10\.77\.0\.10 is not a VIP of the group \(it has no VIP now\)/);
  });

  it('is refused when the interface of a member changed, and the list marks the step', async () => {
    const interfaces = web.vips[0].interfaces.map((i) =>
      i.serverId === f.servers['web-b'].id ? { ...i, interface: 'eth1' } : i,
    );
    await f.ws.ok('groups.save', withVip({ interfaces }));
    expect((await planError()).message).toMatch(/the group puts 10\.77\.0\.10 on eth1 of web-b, the step on eth0/);
    const [listed] = await f.ws.ok<Runbook[]>('runbooks.list', { groupId: web.id });
    expect(listed.problems.length).toBeGreaterThan(0);
    expect(listed.problems[0].path.slice(0, 1)).toEqual(['steps']);
    const got = await f.ws.ok<Runbook>('runbooks.get', key());
    expect(got.problems.map((p) => p.message).join('; ')).toContain('eth1 of web-b');
  });

  it('is refused when the member it moves from was removed from the group', async () => {
    const webC = await f.ws.ok<{ id: number }>('servers.save', {
      name: 'web-c',
      addresses: ['10.77.0.13'],
      ssh: { host: '10.77.0.13' },
    });
    await f.ws.ok('groups.save', {
      ...web,
      members: [
        { serverId: webC.id, role: 'primary' },
        { serverId: f.servers['web-b'].id, role: 'standby' },
      ],
      vips: [
        {
          ...web.vips[0],
          interfaces: [
            { serverId: webC.id, interface: 'eth0' },
            { serverId: f.servers['web-b'].id, interface: 'eth0' },
          ],
        },
      ],
    });
    const [listed] = await f.ws.ok<Runbook[]>('runbooks.list', { groupId: web.id });
    expect(listed.problems.map((p) => p.message)).toContain('web-a is not a member of the group');
    expect((await planError()).message).toMatch(/no longer fits the group: web-a is not a member of the group/);
  });

  it('is refused at pre-flight too, before any host is read', async () => {
    await f.ws.ok('groups.save', withVip({ address: '10.77.0.15' }));
    const result = await f.ws.dispatcher.dispatch('failover.preflight', key());
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(f.fake.calls).toEqual([]);
  });
});
