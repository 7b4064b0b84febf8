/**
 * The long-lived host's wiring (electron/live.ts, as the window and `lifeboat serve` run it)
 * against the lab's real sshd hosts: monitoring turned on through the API sweeps every host in the
 * background, results reach a subscriber, a warm sweep is fast, and dispose stops it all.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckResult, CheckView, MonitoringStatus } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import { describeLab } from '../../helpers/lab';
import type { TempWorkspace } from '../../helpers/workspace';
import { importLabWorkspace } from './lab-workspace';

describeLab('a long-lived host against the lab', (lab) => {
  let ws: TempWorkspace;
  let live: LiveHost | null = null;
  let sshChecks: number[];
  const results: CheckResult[] = [];

  beforeAll(async () => {
    ({ ws } = await importLabWorkspace(lab()));
    await ws.ok('checks.generateDefaults', {});
    sshChecks = (await ws.ok<CheckView[]>('checks.list', {}))
      .filter((v) => v.check.kind === 'ssh')
      .map((v) => v.check.id);
    ws.dispatcher.subscribe(
      (event, payload) => void (event === 'checks.result' && results.push(payload as CheckResult)),
    );
  }, 120_000);
  afterAll(async () => {
    await live?.dispose();
    ws?.cleanup();
  });

  it('monitors every lab host in the background once monitoring is turned on', async () => {
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 500 } });
    expect(await ws.ok<MonitoringStatus>('monitoring.set', { enabled: true })).toMatchObject({ running: true });
    const deadline = Date.now() + 30_000;
    while (sshChecks.some((id) => !results.some((r) => r.checkId === id)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const ssh = results.filter((r) => sshChecks.includes(r.checkId));
    expect(new Set(ssh.map((r) => r.checkId)).size).toBe(sshChecks.length);
    for (const r of ssh) expect(r.metrics.reachable, r.summary).toBe(true);
    const status = await ws.ok<MonitoringStatus>('monitoring.status');
    expect(status.lastSweep?.hosts).toBe(9);
    // Connections are pooled: one per lab host, shared with failovers and host-key trust.
    expect(live.runtime.pool.size).toBe(9);
  }, 60_000);

  it('runs a warm sweep of every check now, each host once, and stops with no connection left', async () => {
    const checks = (await ws.ok<CheckView[]>('checks.list', {})).length;
    const started = performance.now();
    const swept = await ws.ok<NamedResult[]>('checks.runNow', {});
    const ms = performance.now() - started;
    console.log(`warm sweep through the API: ${swept.length} checks on 9 hosts in ${ms.toFixed(1)} ms`);
    expect(swept).toHaveLength(checks);
    expect(swept.filter((r) => r.status === 'unknown').map((r) => `${r.name}: ${r.summary}`)).toEqual([]);
    const { runtime, monitor } = live!;
    await live!.dispose();
    live = null;
    expect(monitor.scheduler.isRunning).toBe(false);
    expect(runtime.pool.size).toBe(0);
    expect(await ws.ok<MonitoringStatus>('monitoring.status')).toMatchObject({ enabled: true, running: false });
  }, 60_000);
});
