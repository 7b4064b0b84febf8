import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckScheduler } from '../../../electron/checks/scheduler';
import { diskKind } from '../../../electron/checks/disk';
import { checkHistory, insertResults, listChecks } from '../../../electron/db/repositories/checks';
import type { Alert, CheckResult, CheckView } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { healthyAnswer } from './healthy';
import { ScriptedRunner, unreachable } from './runners';

let ws: TempWorkspace;
let down: Set<string>;
let runner: ScriptedRunner;
let events: { event: string; payload: CheckResult | Alert | { incidentId: number } }[];

beforeEach(async () => {
  ws = openTempWorkspace();
  await ws.ok('workspace.create', { template: 'example' });
  await ws.ok('checks.generateDefaults', {});
  down = new Set();
  runner = new ScriptedRunner((server: Server, script: string) =>
    down.has(server.name) ? unreachable() : healthyAnswer(server, script),
  );
  events = [];
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  ws.cleanup();
});

function scheduler(overrides: Partial<ConstructorParameters<typeof CheckScheduler>[0]> = {}) {
  return new CheckScheduler({
    db: ws.db,
    runner: () => runner,
    emit: (event, payload) => events.push({ event, payload }),
    ...overrides,
  });
}

const byName = <T extends { name: string }>(results: T[], name: string): T => results.find((r) => r.name === name)!;

describe('the scheduler', () => {
  it('sweeps every due check with one batch per host (the clock reading in a round trip of its own after it), all hosts at once', async () => {
    const results = await scheduler().runDue();
    const checks = listChecks(ws.db);
    expect(results).toHaveLength(checks.length);
    const timed = (call: { scripts: string[] }) => call.scripts.length === 1 && call.scripts[0].includes('chronyc');
    const hosts = runner.calls.filter((c) => !timed(c)).map((c) => c.server);
    expect(new Set(hosts).size).toBe(hosts.length);
    expect(hosts.sort()).toEqual(['db-a', 'db-b', 'files-a', 'files-b', 'gw-a', 'gw-b', 'pbx', 'web-a', 'web-b']);
    // Each host's clock script comes after its batch, alone, so the round trip around it is short.
    for (const host of hosts) expect(runner.calls.filter((c) => c.server === host).map(timed)).toEqual([false, true]);
    expect(results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(events.filter((e) => e.event === 'checks.result')).toHaveLength(checks.length);
  });

  it('shows a failure as warn while retrying and counts it after the retries, then alerts once', async () => {
    const s = scheduler();
    down.add('web-a');
    const first = await s.runDue();
    expect(byName(first, 'web-a: SSH')).toMatchObject({ status: 'warn', observed: 'fail' });
    expect(byName(first, 'web-a: SSH').summary).toContain('retry 1 of 2');
    await s.runNow();
    const third = await s.runNow();
    expect(byName(third, 'web-a: SSH')).toMatchObject({ status: 'fail', observed: 'fail' });
    const alerts = events.filter((e) => e.event === 'alerts.raised').map((e) => e.payload as Alert);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].kind).toBe('host-down');
    expect(alerts[0].title).toMatch(/^web-a is unreachable — CRM \(critical\) down for 0 of its 30 minutes$/);
    // The checks on web-a that could not be read are named in the host's alert, not alerted on their own.
    expect(alerts[0].covers).toEqual(expect.arrayContaining(['web-a: disk /', 'web-a: load']));
    await s.runNow();
    expect(events.filter((e) => e.event === 'alerts.raised')).toHaveLength(1);
    down.clear();
    await s.runNow();
    const recovered = events.filter((e) => e.event === 'alerts.raised').map((e) => e.payload as Alert);
    expect(recovered.map((a) => a.kind)).toEqual(['host-down', 'host-recovered']);
  });

  it("keeps going when one check throws and when one host's runner throws", async () => {
    vi.spyOn(diskKind, 'evaluate').mockImplementation(() => {
      throw new Error('bug in the disk check');
    });
    const broken = new ScriptedRunner((server, script) => {
      if (server.name === 'gw-b') throw new Error('engine exploded');
      return healthyAnswer(server, script);
    });
    const results = await scheduler({ runner: () => broken }).runDue();
    expect(byName(results, 'web-a: disk /')).toMatchObject({ status: 'unknown' });
    expect(byName(results, 'web-a: disk /').summary).toContain('could not be judged: bug in the disk check');
    expect(byName(results, 'gw-b: load').summary).toContain('engine exploded');
    expect(byName(results, 'web-a: load').status).toBe('ok');
    expect(byName(results, 'web: VIP ownership').status).toBe('ok');
  });

  it('runs each check at its own interval and clears every timer on dispose', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-06T09:00:00Z') });
    const s = scheduler({ maxWaitMs: 5_000 });
    s.start();
    await vi.advanceTimersByTimeAsync(100);
    // The batches of web-a, without the clock's own round trip (it comes every 120 s, after the batch).
    const perSweep = () =>
      runner.calls
        .filter((c) => c.server === 'web-a' && !c.scripts.some((s) => s.includes('chronyc')))
        .map((c) => c.scripts.length);
    const all = perSweep()[0];
    await vi.advanceTimersByTimeAsync(30_000);
    // After 30 s only the 30-second checks (ssh, and the group checks web-a takes part in) are due again.
    expect(perSweep().length).toBe(2);
    expect(perSweep()[1]).toBeLessThan(all);
    await vi.advanceTimersByTimeAsync(90_000);
    expect(perSweep().some((n, i) => i > 0 && n === all)).toBe(true);
    await s.dispose();
    expect(vi.getTimerCount()).toBe(0);
    const calls = runner.calls.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runner.calls.length).toBe(calls);
  });

  it('a runner that never answers is abandoned at the deadline as indeterminate', async () => {
    vi.useFakeTimers();
    const hung = new ScriptedRunner(() => new Promise(() => {}));
    const s = scheduler({ runner: () => hung, sweep: { graceMs: 1_000 } });
    const pending = s.runNow();
    await vi.advanceTimersByTimeAsync(15_000);
    const results = await pending;
    expect(results.every((r) => r.status === 'unknown' || (r.kind === 'ssh' && r.observed === 'fail'))).toBe(true);
    expect(byName(results, 'web-a: disk /').summary).toContain(
      'no complete answer from web-a (timeout: web-a gave no answer within',
    );
    await s.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps history and prunes it by age and by count', async () => {
    const s = scheduler({ retention: { maxAgeDays: 1, maxPerCheck: 3 }, pruneEveryMs: 0 });
    const [first] = listChecks(ws.db);
    const old = Date.now() - 3 * 86_400_000;
    insertResults(
      ws.db,
      Array.from({ length: 5 }, (_, i) => ({
        checkId: first.id,
        at: old + i,
        status: 'ok' as const,
        observed: 'ok' as const,
        summary: 'old',
        metrics: {},
        durationMs: 1,
      })),
    );
    for (let i = 0; i < 4; i++) await s.runNow({ checkIds: [first.id] });
    await s.runDue();
    const history = checkHistory(ws.db, first.id, 100);
    expect(history).toHaveLength(3);
    expect(history.every((r) => r.summary !== 'old')).toBe(true);
    const views = await ws.ok<CheckView[]>('checks.list', {});
    expect(views.find((v) => v.check.id === first.id)?.latest?.at).toBe(history[0].at);
  });

  it('a sweep still in flight when the app closes records, emits and logs nothing', async () => {
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const logged: string[] = [];
    runner = new ScriptedRunner(async (server, script) => (await held, healthyAnswer(server, script)));
    const s = scheduler({ log: (m) => logged.push(m), maxWaitMs: 1_000 });
    s.start();
    await vi.waitFor(() => expect(runner.calls.length).toBeGreaterThan(0));
    const disposed = s.dispose();
    ws.db.close(); // the shell closes the workspace right after
    answer();
    await disposed;
    expect(events).toEqual([]);
    expect(logged).toEqual([]);
    expect(s.lastSweep).toBeNull();
  });
});
