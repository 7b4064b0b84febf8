import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { AuditEntry } from '../../../shared/contract/failover';
import { attestAfterPreflight } from '../../helpers/attest';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

/** The web VIP moved web-a → web-b, as runbook steps. */
const vipMove = () => [
  {
    type: 'action',
    title: 'release',
    serverId: f.servers['web-a'].id,
    action: { kind: 'vip.release', params: { address: '10.77.0.10', prefix: 24, interface: 'eth0' } },
  },
  {
    type: 'action',
    title: 'acquire',
    serverId: f.servers['web-b'].id,
    action: { kind: 'vip.acquire', params: { address: '10.77.0.10', prefix: 24, interface: 'eth0' } },
  },
];

const audit = (): AuditEntry[] => listAuditRows(f.ws.db, { limit: 5000 }).reverse();

describe('a VIP failover', () => {
  it('moves the VIP break-before-make and verifies it from re-read state', async () => {
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
    const changes = f.fake.calls.filter((c) => c.script.includes('ip addr del') || c.script.includes('ip addr add'));
    expect(changes.map((c) => c.host)).toEqual(['web-a', 'web-b']);
    const view = viewRun(f.deps, started.runId!);
    expect(view.summary).toMatch(/succeeded in [0-9.]+ s \(RTO 30 min: within\)/);
  });

  it('refuses a real run without the typed group name and sends nothing', async () => {
    await expect(
      startRun(f.deps, {
        groupId: f.groups.web.id,
        targetServerId: f.servers['web-b'].id,
        mode: 'real',
        confirmation: 'wbe',
      }),
    ).rejects.toThrow(/Type the group's name \(web\)/);
    expect(f.fake.calls).toEqual([]);
  });

  it('a dry run reads state and returns the plan, changing nothing', async () => {
    const result = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'dry-run',
      confirmation: '',
    });
    expect(result.runId).toBeNull();
    expect(result.plan.steps.map((s) => s.kind)).toEqual(['vip.listen', 'vip.release', 'vip.acquire', 'vip.watch']);
    expect(result.plan.steps[2].commands[0].script).toContain("ip addr add '10.77.0.10/24' dev 'eth0'");
    expect(result.preflight.vips[0].holders.map((h) => h.host)).toEqual(['web-a']);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('halts with an alarm when two members hold the VIP, before any change', async () => {
    f.fake.hosts.get('web-b')!.addresses.push({ interface: 'eth0', address: '10.77.0.10', prefix: 32 });
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toMatch(/TWO HOLDERS: web-a and web-b/);
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
    expect(audit().some((r) => r.kind === 'alarm' && /TWO HOLDERS/.test(r.detail))).toBe(true);
    expect(f.events.some((e) => e.event === 'run.output' && (e.payload as { stream: string }).stream === 'alarm')).toBe(
      true,
    );
    expect(viewRun(f.deps, started.runId!).status).toBe('failed');
  });

  it('requires an attestation when the old primary is unreachable, and records it', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    const refused = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    expect(refused.refused).toMatch(/web-a \(the member being left\) cannot be reached: attest, naming it/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);

    const reason = 'web-a pulled from the rack by Sam at 09:12';
    const key = { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id };
    const attestation = await attestAfterPreflight(f.deps, key, [{ serverId: f.servers['web-a'].id, reason }]);
    const started = await startRun(f.deps, { ...key, mode: 'real', confirmation: 'web', attestation });
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.hosts.get('web-b')!.addresses.some((a) => a.address === '10.77.0.10')).toBe(true);
    const attested = audit().find((r) => r.kind === 'attestation');
    expect(attested?.detail).toContain(reason);
    expect(attested?.detail).toContain('web-a');
    const steps = viewRun(f.deps, started.runId!).steps;
    // The listening allows no MAC (the holder is attested off) and hears none; the release is skipped.
    expect(steps.map((s) => s.status)).toEqual(['succeeded', 'skipped', 'succeeded', 'succeeded']);
  });

  it('refuses the target unreachable at pre-flight', async () => {
    f.fake.hosts.get('web-b')!.reachable = false;
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toMatch(/web-b cannot be reached/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('commits the intent row before the runner is called, and the outcome after', async () => {
    const seen: string[] = [];
    f.fake.beforeRun = (host, script) => {
      const last = audit().at(-1);
      expect(last?.kind).toBe('intent');
      expect(last?.command).toBe(script);
      expect(last?.host).toBe(host);
      seen.push(host);
    };
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    await started.finished;
    expect(seen.length).toBeGreaterThan(3);
    const rows = audit();
    for (const outcome of rows.filter((r) => r.kind === 'outcome')) {
      const intent = rows.find((r) => r.id === outcome.intentId);
      expect(intent?.kind).toBe('intent');
      expect(intent!.id).toBeLessThan(outcome.id);
    }
  });
});

describe('a halted step', () => {
  it('is indeterminate after a dropped connection: state is re-read, nothing is retried until the operator says so', async () => {
    let drops = 1;
    f.fake.override((host, script) => {
      if (host === 'web-b' && script.includes('ip addr add') && drops-- > 0)
        return { kind: 'indeterminate', reason: 'dropped', detail: 'connection reset' };
      return undefined;
    });
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[2].status).toBe('indeterminate');
    expect(view.steps[2].observed).toMatch(/web-b does not hold 10.77.0.10/);
    expect(view.waiting?.options).toEqual(['retry', 'skip', 'abort']);
    const acquires = f.fake.calls.filter((c) => c.script.includes('ip addr add'));
    expect(acquires).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(f.fake.calls.filter((c) => c.script.includes('ip addr add'))).toHaveLength(1);

    respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'retry' });
    expect(await started.finished).toBe('succeeded');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
    expect(audit().some((r) => r.kind === 'retry' && r.stepIndex === 2)).toBe(true);
  });

  it('refuses before anything changes when another machine answers for the VIP, then aborts on request', async () => {
    f.fake.duplicates.add('10.77.0.10');
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[0]).toMatchObject({ status: 'refused' });
    expect(view.steps[0].message).toMatch(
      /another machine answers for 10.77.0.10: 02:00:00:00:00:99; only web-a's eth0 \(02:00:00:00:01:[0-9a-f]{2}\) may answer. Refused before anything changed/,
    );
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(audit().some((r) => r.kind === 'intent' && /ip addr (add|del)/.test(r.command))).toBe(false);
    expect(() => respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'skip' })).toThrow(
      /needs a reason/,
    );
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'find the rogue host' });
    expect(await started.finished).toBe('aborted');
    expect(audit().find((r) => r.kind === 'abort')?.detail).toBe('find the rogue host');
  });

  it('a manual step waits for its tick and is audited', async () => {
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.web.id,
      direction: 'failover',
      sourceServerId: f.servers['web-a'].id,
      targetServerId: f.servers['web-b'].id,
      steps: [
        { type: 'manual', title: 'Tell the call centre', role: 'operations manager', expectedMinutes: 2 },
        ...vipMove(),
      ],
    });
    const started = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'drill',
      confirmation: 'web',
    });
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    expect(viewRun(f.deps, started.runId!).waiting).toMatchObject({
      stepIndex: 0,
      options: ['tick', 'skip', 'abort'],
    });
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'tick' });
    expect(await started.finished).toBe('succeeded');
    expect(audit().some((r) => r.kind === 'tick' && r.stepIndex === 0)).toBe(true);
  });
});

describe('one run per group', () => {
  it('refuses a second concurrent start with who holds it', async () => {
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.web.id,
      direction: 'failover',
      sourceServerId: f.servers['web-a'].id,
      targetServerId: f.servers['web-b'].id,
      steps: [{ type: 'manual', title: 'Wait here' }],
    });
    const input = {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real' as const,
      confirmation: 'web',
    };
    const results = await Promise.allSettled([startRun(f.deps, input), startRun(f.deps, input)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(String((lost[0] as PromiseRejectedResult).reason.message)).toMatch(
      /already running: run #\d+, started by tester@test \(pid \d+/,
    );
    const run = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startRun>>>).value;
    await until(() => viewRun(f.deps, run.runId!).waiting !== null);
    respondToRun(f.deps, { runId: run.runId!, stepIndex: 0, action: 'abort' });
    await run.finished;
    const again = await startRun(f.deps, input);
    expect(again.runId).not.toBe(run.runId);
  });
});

describe('through the contract', () => {
  it('failover.start returns at once, streams run.* events that match their schemas, and runs.get shows the result', async () => {
    const { events } = await import('../../../shared/contract');
    const seen: { event: string; payload: unknown }[] = [];
    f.ws.ctx.emit = (event, payload) => void seen.push({ event, payload });
    const plan = await f.ws.ok<{ planHash: string }>('failover.plan', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
    });
    const result = await f.ws.ok<{ runId: number; refused: string | null }>('failover.start', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
      planHash: plan.planHash,
    });
    expect(result.refused).toBeNull();
    await until(() => seen.some((e) => e.event === 'run.finished'));
    for (const { event, payload } of seen)
      expect(events[event as keyof typeof events].safeParse(payload).success, event).toBe(true);
    expect(seen.filter((e) => e.event === 'run.step').length).toBeGreaterThanOrEqual(4);
    const view = await f.ws.ok<{ status: string }>('runs.get', { runId: result.runId });
    expect(view.status).toBe('succeeded');
    const refused = await f.ws.dispatcher.dispatch('failover.start', {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: ['confirmation'] }] },
    });
  });
});
