/**
 * The long-lived host's wiring (electron/live.ts) with the real dispatcher and an in-process ssh2
 * server: monitoring turned on through the API runs, its results reach a subscriber, "Run now"
 * works, failover events reach the same subscriber, and dispose leaves no timer behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import type { CheckResult, MonitoringStatus } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import type { EventName } from '../../../shared/contract/index';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { keyTypeOfFile, makeKeys, type Lab } from '../ssh/setup';

let keys: Lab;
beforeAll(() => {
  keys = makeKeys();
});
afterAll(() => keys.cleanup());

let server: TestSshServer;
let ws: TempWorkspace;
let live: LiveHost | null;
let events: { event: EventName; payload: unknown }[];

const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

async function until<T>(what: string, probe: () => T | undefined, ms = 8_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function setUp(pin: 'right' | 'wrong' = 'right'): Promise<{ web: Server; checkId: number }> {
  server = await startSshServer({ hostKey: keys.hostKey, authorizedKeys: [keys.clientKey.publicPath] });
  ws = openTempWorkspace();
  const web = await ws.ok<Server>('servers.save', {
    name: 'web-a',
    ssh: {
      host: server.host,
      port: server.port,
      user: 'root',
      auth: { kind: 'key', keyPath: keys.clientKey.privatePath },
    },
  });
  insertHostKeyPin(ws.db, {
    host: server.host,
    port: server.port,
    keyType: keyTypeOfFile(keys.hostKey.publicPath),
    fingerprint: (pin === 'right' ? keys.hostKey : keys.otherHostKey).fingerprint,
    publicKey: 'AAAA',
    pinnedAt: 'now',
    pinnedBy: 'test',
  });
  const check = await ws.ok<{ id: number }>('checks.save', {
    kind: 'ssh',
    name: 'web-a answers',
    serverId: web.id,
    params: {},
  });
  events = [];
  ws.dispatcher.subscribe((event, payload) => void events.push({ event, payload }));
  return { web, checkId: check.id };
}

afterEach(async () => {
  await live?.dispose();
  live = null;
  ws?.cleanup();
  await server?.close();
});

describe('a long-lived host', () => {
  it('runs monitoring once it is turned on through the API, and its results reach a subscriber', async () => {
    const { checkId } = await setUp();
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 500 } });
    expect(await ws.ok<MonitoringStatus>('monitoring.status')).toMatchObject({ enabled: false, running: false });
    expect(await ws.ok<MonitoringStatus>('monitoring.set', { enabled: true })).toMatchObject({
      enabled: true,
      running: true,
    });
    const result = await until(
      'a checks.result event',
      () => events.find((e) => e.event === 'checks.result')?.payload as CheckResult | undefined,
    );
    expect(result).toMatchObject({ checkId, status: 'ok', observed: 'ok' });
    expect(result.summary).toMatch(/web-a answers over SSH in [0-9.]+ ms/);
    expect(server.commands.length).toBeGreaterThan(0);
    const status = await ws.ok<MonitoringStatus>('monitoring.status');
    expect(status).toMatchObject({ enabled: true, running: true, lastSweep: { checks: 1, hosts: 1 } });
    expect(await ws.ok<MonitoringStatus>('monitoring.set', { enabled: false })).toMatchObject({
      enabled: false,
      running: false,
    });
  });

  it('runs checks now through the scheduler, storing the result and emitting it', async () => {
    const { checkId } = await setUp();
    live = startLiveHost(ws);
    const results = await ws.ok<CheckResult[]>('checks.runNow', {});
    expect(results).toMatchObject([{ checkId, status: 'ok', name: 'web-a answers', kind: 'ssh' }]);
    expect(events.filter((e) => e.event === 'checks.result')).toHaveLength(1);
    expect(await ws.ok<CheckResult[]>('checks.history', { checkId })).toMatchObject([{ checkId, status: 'ok' }]);
  });

  it('gives checks, failovers and host-key trust one SSH runtime, and carries failover events to the dispatcher', async () => {
    const { web } = await setUp();
    live = startLiveHost(ws);
    expect(ws.ctx.monitor).toBe(live.monitor);
    expect(ws.ctx.runner).toBe(live.runner);
    await ws.ok('checks.runNow', {});
    expect(live.runtime.pool.size).toBe(1);
    const scanned = vi.spyOn(live.runtime.pool, 'scanHostKey');
    const scan = await ws.ok<{ status: string }>('hosts.scanKey', { serverId: web.id });
    expect(scan.status).toBe('match');
    expect(scanned).toHaveBeenCalledTimes(1);
    ws.ctx.emit('run.finished', { runId: 7 } as never);
    expect(events).toContainEqual({ event: 'run.finished', payload: { runId: 7 } });
  });

  it('raises a changed host key at the first run as an alarm, having sent no credential', async () => {
    const { checkId } = await setUp('wrong');
    live = startLiveHost(ws);
    const [result] = await ws.ok<CheckResult[]>('checks.runNow', {});
    expect(result).toMatchObject({
      checkId,
      status: 'fail',
      metrics: {
        hostKey: 'changed',
        pinnedFingerprint: keys.otherHostKey.fingerprint,
        presentedFingerprint: keys.hostKey.fingerprint,
      },
    });
    expect(server.authAttempts).toBe(0);
    const alert = events.find((e) => e.event === 'alerts.raised')?.payload as
      { kind: string; title: string } | undefined;
    expect(alert).toMatchObject({
      kind: 'host-key-changed',
      title: 'The host key of web-a CHANGED: Lifeboat refused to connect',
    });
  });

  it('leaves no timer, connection or event sink behind once disposed', async () => {
    await setUp();
    // Let the set-up's own short timers end before counting.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const before = activeTimers();
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 500 } });
    await ws.ok('monitoring.set', { enabled: true });
    await until('a sweep', () => events.find((e) => e.event === 'checks.result'));
    // The scheduler arms its next look at the schedule once the sweep has settled.
    await until('the next look to be armed', () => (activeTimers() > before ? true : undefined), 2_000);
    const { runtime, runner } = live;
    await live.dispose();
    live = null;
    expect(ws.ctx.monitor).toBeNull();
    expect(await ws.ok<MonitoringStatus>('monitoring.status')).toMatchObject({ enabled: true, running: false });
    expect(runtime.pool.size).toBe(0);
    expect(ws.ctx.runner).not.toBe(runner);
    await until('the timers to be cleared', () => (activeTimers() <= before ? true : undefined), 3_000);
    const seen = events.length;
    ws.ctx.emit('run.finished', { runId: 8 } as never);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(events.length).toBe(seen);
  });
});
