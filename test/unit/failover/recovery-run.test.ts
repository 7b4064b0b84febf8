import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { recoveryPlan } from '../../../electron/failover/recovery-plan';
import { startRecovery, type RecoveryDeps } from '../../../electron/failover/recovery';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { RecoveryView } from '../../../shared/contract/recovery';
import type { Server, ServiceGroup, Service, Contact } from '../../../shared/domain';

let f: FailoverFixture;
let deps: RecoveryDeps;
const COMPANY = 'Northwind Call Centre';

/** The fixture's groups, with CRM (web) needing the Database (db), and a phone system recovered by hand. */
beforeEach(async () => {
  f = await failoverFixture();
  await f.ws.ok('settings.save', { companyName: COMPANY, targetMinutes: 30 });
  const services = await f.ws.ok<{ services: Service[] }>('workspace.snapshot');
  const crm = services.services.find((s) => s.name === 'CRM')!;
  const database = services.services.find((s) => s.name === 'Database')!;
  await f.ws.ok('services.save', { ...crm, dependsOn: [database.id] });
  const pbx = await f.ws.ok<Server>('servers.save', {
    name: 'pbx',
    addresses: ['10.77.0.40'],
    ssh: { host: '10.77.0.40' },
    support: { vendor: 'VoxTel Ltd', contract: 'VX-1', phone: '+44 20 7946 0100', hours: '24x7' },
  });
  const group = await f.ws.ok<ServiceGroup>('groups.save', {
    name: 'pbx',
    members: [{ serverId: pbx.id, role: 'primary' }],
  });
  await f.ws.ok<Contact>('contacts.save', { name: 'Sam Patel', role: 'IT admin', phones: ['+44 7700 900101'] });
  await f.ws.ok('services.save', { name: 'Phones', tier: 'critical', rtoMinutes: 15, groupId: group.id });
  f.fake.host('pbx', { addresses: [{ interface: 'eth0', address: '10.77.0.40', prefix: 24 }] });
  deps = { ...f.deps, recoveries: new Map(), limits: { operatorWaitMs: 20_000 } };
});
afterEach(() => f.ws.cleanup());

const plan = () => recoveryPlan(f.ws.db);
const group = (view: RecoveryView, name: string) => view.groups.find((g) => g.groupName === name)!;
/** Index of the first call on `host` whose script matches. */
const callIndex = (host: string, pattern: RegExp) =>
  f.fake.calls.findIndex((c) => c.host === host && pattern.test(c.script));
const RELEASE = /^held=\$\(ip -o addr show/;

/** Tick every manual step of the phone system's run as it comes (the vendor call is a person's job). */
function tickManualSteps(stop: () => boolean): Promise<void> {
  return (async () => {
    const deadline = Date.now() + 10_000;
    while (!stop() && Date.now() < deadline) {
      const current = deps.recoveries.get(1);
      const pbx = current && group(current, 'pbx');
      if (pbx?.runId && pbx.waiting?.options.includes('tick'))
        respondToRun(f.ws.ctx, { runId: pbx.runId, stepIndex: pbx.waiting.stepIndex, action: 'tick' });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
}

describe('recovering the company in one run', () => {
  it('orders the groups by what they need, with the manual steps owned and the owner reachable', () => {
    const p = plan();
    expect(p.groups.map((g) => [g.groupName, g.priority, g.needs])).toEqual([
      ['pbx', 1, []],
      ['db', 1, []],
      ['files', 1, []],
      ['web', 2, ['db']],
    ]);
    expect(p.confirmationWord).toBe(COMPANY);
    const call = group({ groups: p.groups } as never, 'pbx') as unknown as (typeof p.groups)[number];
    expect(call.manual.map((m) => [m.title, m.owner, m.phone])).toContainEqual([
      'Call VoxTel Ltd about pbx',
      'Sam Patel',
      '+44 7700 900101',
    ]);
  });

  it('moves every group, web only after db is back, the others in parallel, and audits it once', async () => {
    let done = false;
    const ticking = tickManualSteps(() => done);
    const started = await startRecovery(deps, { confirmation: COMPANY, planHash: plan().planHash });
    const view = await started.finished;
    done = true;
    await ticking;
    expect(view.status, view.summary).toBe('succeeded');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
    expect(f.fake.holders('10.77.0.20')).toEqual(['db-b']);
    expect(f.fake.holders('10.77.0.30')).toEqual(['files-b']);
    // web changes nothing before db-b is promoted; files moves while db is still moving.
    const promoted = callIndex('db-b', /pg_promote/);
    expect(promoted).toBeGreaterThan(0);
    expect(callIndex('web-a', RELEASE)).toBeGreaterThan(promoted);
    // files' first change (pausing its scheduled sync) does not wait for db.
    expect(callIndex('files-a', /lifeboat-sync-pause/)).toBeGreaterThanOrEqual(0);
    expect(callIndex('files-a', /lifeboat-sync-pause/)).toBeLessThan(promoted);
    // web's read-only listening ran before db was back, not its changes.
    expect(callIndex('web-b', /arping/)).toBeLessThan(promoted);
    for (const g of view.groups) expect(g.backAfterMs, g.groupName).not.toBeNull();
    expect(group(view, 'web').backAfterMs!).toBeGreaterThanOrEqual(group(view, 'db').backAfterMs!);
    expect(view.withinTarget).toBe(true);
    expect(view.summary).toMatch(/Recovery of Northwind Call Centre: succeeded in [0-9.]+ s \(target 30 min: within\)/);
    expect(view.summary).toMatch(/CRM RTO 30 min: within/);
    const rows = listAuditRows(f.ws.db, { limit: 5000 });
    const confirmations = rows.filter((r) => r.kind === 'confirmation');
    expect(confirmations.filter((r) => r.detail.includes(`typed "${COMPANY}" to start recovery #1`))).toHaveLength(1);
    // Each group's run names the recovery that confirmed it.
    expect(confirmations.filter((r) => r.detail.includes('confirmed recovery #1'))).toHaveLength(4);
    expect(rows.some((r) => r.kind === 'run' && r.detail.startsWith('recovery #1: Recovery of Northwind'))).toBe(true);
  });

  it('a halt in db holds web, which changes nothing, while files and the phones finish', async () => {
    f.fake.hosts.get('db-b')!.postgres!.promoteTimesOut = true;
    let done = false;
    const ticking = tickManualSteps(() => done);
    const started = await startRecovery(deps, { confirmation: COMPANY, planHash: plan().planHash });
    // db halts on its promotion and asks; web waits for it.
    await until(() => group(deps.recoveries.get(1)!, 'db').waiting !== null, 5000);
    const halted = deps.recoveries.get(1)!;
    expect(group(halted, 'web').state).toBe('waiting');
    expect(group(halted, 'web').detail).toBe('waiting for db to be back');
    await until(() => ['succeeded'].includes(group(deps.recoveries.get(1)!, 'files').state), 5000);
    const db = group(deps.recoveries.get(1)!, 'db');
    respondToRun(f.ws.ctx, {
      runId: db.runId!,
      stepIndex: db.waiting!.stepIndex,
      action: 'abort',
      reason: 'vendor on it',
    });
    const view = await started.finished;
    done = true;
    await ticking;
    expect(view.status).toBe('failed');
    expect(group(view, 'db').state).toBe('aborted');
    expect(group(view, 'web').state).toBe('held');
    expect(group(view, 'web').detail).toBe('changed nothing: db did not come back (its run aborted)');
    expect(group(view, 'files').state).toBe('succeeded');
    expect(group(view, 'pbx').state).toBe('succeeded');
    // From outside: web never moved, files did.
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(callIndex('web-a', RELEASE)).toBe(-1);
    expect(f.fake.holders('10.77.0.30')).toEqual(['files-b']);
    expect(viewRun(f.ws.ctx, group(view, 'web').runId!).status).toBe('aborted');
    expect(view.summary).toMatch(/web → web-b: held/);
    expect(view.withinTarget).toBe(false);
  });

  it('refuses without the company name or with a changed plan, and runs nothing', async () => {
    const hash = plan().planHash;
    await expect(startRecovery(deps, { confirmation: 'web', planHash: hash })).rejects.toThrow(
      /Type the company's name \(Northwind Call Centre\)/,
    );
    await f.ws.ok('groups.save', { ...f.groups.files, processes: ['fileshare'] });
    await expect(startRecovery(deps, { confirmation: COMPANY, planHash: hash })).rejects.toThrow(
      /recovery plan changed since you reviewed it/,
    );
    expect(f.fake.calls).toEqual([]);
    expect(listAuditRows(f.ws.db, { limit: 100 }).some((r) => r.kind === 'refusal')).toBe(true);
  });

  it('one pre-flight over every group: a group that cannot pass it refuses the whole recovery, nothing changes', async () => {
    f.fake.hosts.get('files-b')!.reachable = false;
    const started = await startRecovery(deps, { confirmation: COMPANY, planHash: plan().planHash });
    expect(started.view.groups.find((g) => g.groupName === 'files')!.state).toBe('failed');
    const view = await started.finished;
    expect(view.status).toBe('refused');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(f.fake.holders('10.77.0.20')).toEqual(['db-a']);
    expect(f.fake.calls.filter((c) => RELEASE.test(c.script) || /pg_promote|systemctl stop/.test(c.script))).toEqual(
      [],
    );
    for (const name of ['web', 'db', 'pbx']) expect(group(view, name).state, name).toBe('held');
    expect(group(view, 'db').detail).toMatch(/refused at pre-flight \(files: /);
  });

  it('takes only the chosen groups, and says which groups it assumes are running', () => {
    const p = recoveryPlan(f.ws.db, [f.groups.web.id]);
    expect(p.groups.map((g) => [g.groupName, g.priority, g.needs, g.assumedRunning])).toEqual([['web', 1, [], ['db']]]);
    expect(p.planHash).not.toBe(plan().planHash);
  });
});
