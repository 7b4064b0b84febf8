import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { planOnly, respondToRun, runDeadlineMinutes, startRun, viewRun } from '../../../electron/failover/engine';
import { setFailoverSetting } from '../../../electron/db/repositories/runs';
import { startConfirmed } from './confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { drillStatuses, lastGoodDrill } from '../../../electron/failover/drills';
import { lagAccepted } from '../../../electron/failover/actions/postgres-promote';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const web = () => ({ groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id, confirmation: 'web' });
const vipStep = (kind: 'vip.release' | 'vip.acquire', host: string) => ({
  type: 'action',
  title: `${kind} on ${host}`,
  serverId: f.servers[host].id,
  action: { kind, params: { address: '10.77.0.10', prefix: 24, interface: 'eth0' } },
});
const saveWeb = (steps: unknown[]) =>
  f.ws.ok('runbooks.save', {
    groupId: f.groups.web.id,
    direction: 'failover',
    sourceServerId: f.servers['web-a'].id,
    targetServerId: f.servers['web-b'].id,
    steps,
  });

describe('the confirmation is bound to the plan shown', () => {
  it('refuses a start without the plan hash, running nothing', async () => {
    await expect(startRun(f.deps, { ...web(), mode: 'real' })).rejects.toThrow(
      /needs the planHash of the plan you confirmed/,
    );
    expect(f.fake.calls).toEqual([]);
  });

  it('refuses when the runbook changed after the plan was shown: nothing run, a refusal on record', async () => {
    const shown = planOnly(f.ws.db, f.groups.web.id, f.servers['web-b'].id);
    await saveWeb([
      { type: 'manual', title: 'Someone edited this' },
      vipStep('vip.release', 'web-a'),
      vipStep('vip.acquire', 'web-b'),
    ]);
    await expect(startRun(f.deps, { ...web(), mode: 'real', planHash: shown.planHash })).rejects.toThrow(
      /The plan changed since you reviewed it.*nothing was run/,
    );
    expect(f.fake.calls).toEqual([]);
    const refusal = listAuditRows(f.ws.db, { limit: 10 }).find((r) => r.kind === 'refusal');
    expect(refusal?.detail).toMatch(/changed since the plan was shown/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('refuses when a member server changed after the plan was shown', async () => {
    const shown = planOnly(f.ws.db, f.groups.web.id, f.servers['web-b'].id);
    await f.ws.ok('servers.save', { ...f.servers['web-b'], addresses: ['10.77.0.99'] });
    await expect(startRun(f.deps, { ...web(), mode: 'drill', planHash: shown.planHash })).rejects.toThrow(
      /The plan changed/,
    );
    expect(f.fake.calls).toEqual([]);
  });
});

describe('every wait is bounded', () => {
  it('aborts a run whose deadline passes while a manual step waits', async () => {
    await saveWeb([
      { type: 'manual', title: 'Wait for the vendor' },
      vipStep('vip.release', 'web-a'),
      vipStep('vip.acquire', 'web-b'),
    ]);
    const started = await startConfirmed({ ...f.deps, limits: { runDeadlineMs: 600 } }, { ...web(), mode: 'real' });
    expect(await started.finished).toBe('aborted');
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[0]).toMatchObject({ status: 'aborted' });
    expect(view.steps[0].message).toMatch(/the run's deadline .* passed while waiting for an answer/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('bounds a run by 4 hours unless the workspace or the start says otherwise, and records the bound', async () => {
    expect(runDeadlineMinutes(f.ws.db)).toBe(240);
    setFailoverSetting(f.ws.db, 'runDeadlineMinutes', 45);
    expect(runDeadlineMinutes(f.ws.db)).toBe(45);
    expect(runDeadlineMinutes(f.ws.db, 10)).toBe(10);
    const started = await startConfirmed(f.deps, { ...web(), mode: 'real', deadlineMinutes: 20 });
    await started.finished;
    expect(
      listAuditRows(f.ws.db, { runId: started.runId!, limit: 50 }).find((r) => r.kind === 'confirmation')?.detail,
    ).toMatch(/deadline 20 min/);
    await expect(startConfirmed(f.deps, { ...web(), mode: 'real', deadlineMinutes: 0 })).rejects.toThrow(
      /at least 1 minute/,
    );
  });

  it('aborts a manual step nobody answers within the operator wait', async () => {
    await saveWeb([{ type: 'manual', title: 'Call the vendor' }]);
    const started = await startConfirmed(
      { ...f.deps, limits: { operatorWaitMs: 60_000 * 0.002 } },
      { ...web(), mode: 'real' },
    );
    expect(await started.finished).toBe('aborted');
    expect(viewRun(f.deps, started.runId!).steps[0].message).toMatch(/nobody answered for/);
  });

  it('stops offering retry after the third attempt of a step', async () => {
    f.fake.override((host, script) =>
      host === 'web-b' && script.includes('ip addr add')
        ? { kind: 'indeterminate', reason: 'dropped', detail: 'connection reset' }
        : undefined,
    );
    const started = await startConfirmed(f.deps, { ...web(), mode: 'real' });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await until(() => viewRun(f.deps, started.runId!).waiting !== null);
      expect(viewRun(f.deps, started.runId!).waiting!.options).toEqual(['retry', 'skip', 'abort']);
      respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'retry' });
      await until(() => viewRun(f.deps, started.runId!).steps[2].attempts === attempt + 1);
    }
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[2].attempts).toBe(3);
    expect(view.waiting!.options).toEqual(['skip', 'abort']);
    expect(view.waiting!.prompt).toMatch(/tried 3 times/);
    expect(() => respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'retry' })).toThrow(
      /not an answer to this step/,
    );
    expect(f.fake.calls.filter((c) => c.script.includes('ip addr add'))).toHaveLength(3);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'abort', reason: 'web-b keeps dropping' });
    expect(await started.finished).toBe('aborted');
  });
});

describe('what counts as a good drill', () => {
  it('a clean drill counts', async () => {
    const started = await startConfirmed(f.deps, { ...web(), mode: 'drill' });
    expect(await started.finished).toBe('succeeded');
    expect(lastGoodDrill(f.ws.db, f.groups.web.id)?.runId).toBe(started.runId);
    expect(drillStatuses(f.ws.db, f.groups.web.id)[0].status).toBe('good');
  });

  it('a drill with a skipped step does not count, even when the run succeeded', async () => {
    await saveWeb([
      { type: 'manual', title: 'Tell the staff' },
      vipStep('vip.release', 'web-a'),
      vipStep('vip.acquire', 'web-b'),
    ]);
    const started = await startConfirmed(f.deps, { ...web(), mode: 'drill' });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'skip', reason: 'nobody in the office' });
    expect(await started.finished).toBe('succeeded');
    expect(viewRun(f.deps, started.runId!).summary).toMatch(/not a good drill: step 1 skipped/);
    expect(lastGoodDrill(f.ws.db, f.groups.web.id)).toBeNull();
    expect(drillStatuses(f.ws.db, f.groups.web.id)[0].status).toBe('never');
  });

  it('a drill whose step halted indeterminate and was retried does not count', async () => {
    let drops = 1;
    f.fake.override((host, script) =>
      host === 'web-b' && script.includes('ip addr add') && drops-- > 0
        ? { kind: 'indeterminate', reason: 'timeout', detail: 'no answer' }
        : undefined,
    );
    const started = await startConfirmed(f.deps, { ...web(), mode: 'drill' });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'retry' });
    expect(await started.finished).toBe('succeeded');
    expect(viewRun(f.deps, started.runId!).summary).toMatch(/not a good drill: 1 halt\(s\) answered/);
    expect(lastGoodDrill(f.ws.db, f.groups.web.id)).toBeNull();
  });
});

describe('final verification', () => {
  it('covers every VIP of the group even when the acquire step was skipped', async () => {
    // A runbook without the listening: the duplicate is first seen by the acquire's own probe.
    await saveWeb([vipStep('vip.release', 'web-a'), vipStep('vip.acquire', 'web-b')]);
    f.fake.duplicates.add('10.77.0.10');
    const started = await startConfirmed(f.deps, { ...web(), mode: 'real' });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 1, action: 'skip', reason: 'will add it by hand later' });
    expect(await started.finished).toBe('failed');
    expect(viewRun(f.deps, started.runId!).summary).toMatch(/10.77.0.10 is held by no member/);
  });
});

describe('lag acknowledgement', () => {
  it('covers the lag named, growing only with the time since it was read', () => {
    const at = 1_000_000;
    expect(lagAccepted(300, { lagSeconds: 300, at }, at)).toBe(true);
    expect(lagAccepted(310, { lagSeconds: 300, at }, at + 10_000)).toBe(true);
    expect(lagAccepted(600, { lagSeconds: 300, at }, at + 10_000)).toBe(false);
    expect(lagAccepted(300, null, at)).toBe(false);
    expect(lagAccepted(null, { lagSeconds: 300, at }, at)).toBe(false);
    expect(lagAccepted(null, { lagSeconds: null, at }, at)).toBe(true);
    expect(lagAccepted(30, { lagSeconds: null, at }, at)).toBe(false);
  });
});
