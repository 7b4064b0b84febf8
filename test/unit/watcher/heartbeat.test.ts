/**
 * The watcher's heartbeat against a real HTTP receiver on loopback, wired as the long-lived hosts
 * wire it (electron/live.ts: the real scheduler, short timings): a ping every interval while sweeps
 * finish, URL/fail after a sweep failed or when none finished for too long, nothing while monitoring
 * is off, and nothing more once the watcher stops. Setting the URL goes through the contract.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import { startHeartbeat, failUrl, type Heartbeat } from '../../../electron/watcher/heartbeat';
import type { HeartbeatStatus } from '../../../shared/heartbeat';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

interface Received {
  at: number;
  method: string;
  path: string;
  body: string;
}

/** A healthchecks-like receiver on 127.0.0.1 that records every request and answers `status`. */
async function startReceiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      received.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', body });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'OK' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/ping/5f1c-check`,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function until(what: string, probe: () => boolean, ms = 8_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let ws: TempWorkspace | null = null;
let live: LiveHost | null = null;
let heartbeat: Heartbeat | null = null;
let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;
afterEach(async () => {
  await live?.dispose();
  await heartbeat?.dispose();
  live = heartbeat = null;
  ws?.cleanup();
  ws = null;
  await receiver?.close();
  receiver = null;
});

const INTERVAL = 200;

describe('the watcher heartbeat', () => {
  it('pings the URL every interval while sweeps finish, and says when the last was accepted', async () => {
    receiver = await startReceiver();
    ws = openTempWorkspace();
    await ws.ok('heartbeat.set', { url: receiver.url });
    await ws.ok('monitoring.set', { enabled: true });
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 100 }, heartbeat: { intervalMs: INTERVAL } });

    await until('four pings', () => receiver!.received.length >= 4);
    const pings = receiver.received.slice(0, 4);
    expect(pings.map((p) => `${p.method} ${p.path}`)).toEqual(Array(4).fill('POST /ping/5f1c-check'));
    expect(pings[0].body).toContain('health sweeps are running');
    // One per interval: not a burst, not skipped.
    const gaps = pings.slice(1).map((p, i) => p.at - pings[i].at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL - 20);
    for (const gap of gaps) expect(gap).toBeLessThan(INTERVAL * 5);

    const status = await ws.ok<HeartbeatStatus>('heartbeat.status');
    expect(status.target).toBe(receiver.url.replace('/ping/5f1c-check', '/…'));
    expect(status.lastPing).toMatchObject({ kind: 'success', accepted: true, detail: 'HTTP 200' });
    expect(status.lastAcceptedAt).toBeGreaterThanOrEqual(pings[0].at - 1000);
    expect(status.lastSweep).toMatchObject({ ok: true });
    expect(JSON.stringify(status)).not.toContain('5f1c-check'); // the URL's secret part never comes back out
  });

  it('reports a failed sweep to URL/fail with why, and a success again once sweeps work', async () => {
    receiver = await startReceiver();
    ws = openTempWorkspace();
    const server = await ws.ok<{ id: number }>('servers.save', {
      name: 'web-a',
      ssh: { host: '127.0.0.1', auth: { kind: 'agent' } },
    });
    await ws.ok('checks.save', { kind: 'ssh', name: 'web-a answers', serverId: server.id, params: {} });
    await ws.ok('heartbeat.set', { url: receiver.url });
    await ws.ok('monitoring.set', { enabled: true });
    let broken = true;
    live = startLiveHost(ws, {
      scheduler: {
        maxWaitMs: 100,
        // The sweep itself breaks (not a check that fails: that is an alert, not a dead watcher).
        runner: () => {
          if (broken) throw new Error('the SSH engine is gone');
          return null;
        },
      },
      heartbeat: { intervalMs: INTERVAL },
    });

    await until('a failure ping', () => receiver!.received.some((p) => p.path === '/ping/5f1c-check/fail'));
    const failure = receiver.received.find((p) => p.path === '/ping/5f1c-check/fail')!;
    expect(failure.body).toContain('the last health sweep failed: the SSH engine is gone');
    expect((await ws.ok<HeartbeatStatus>('heartbeat.status')).lastPing).toMatchObject({ kind: 'fail', accepted: true });
    // While sweeps keep failing, no success ping follows the failure (one sent before the first
    // sweep had run, on a slow machine, says only that the watcher is alive).
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL));
    expect(receiver.received.filter((p) => p.path === '/ping/5f1c-check' && p.at > failure.at)).toEqual([]);

    broken = false;
    await until('a success ping after the repair', () =>
      receiver!.received.some((p) => p.path === '/ping/5f1c-check' && p.at > failure.at),
    );
  });

  it('reports a watcher whose sweeps stopped finishing as failed', async () => {
    receiver = await startReceiver();
    ws = openTempWorkspace();
    await ws.ok('heartbeat.set', { url: receiver.url });
    await ws.ok('monitoring.set', { enabled: true });
    // No scheduler feeds it: as if the sweep hung.
    heartbeat = startHeartbeat({ db: ws.db, intervalMs: INTERVAL, staleAfterMs: 2 * INTERVAL });
    await until('a failure ping', () => receiver!.received.length >= 1);
    expect(receiver.received[0].path).toBe('/ping/5f1c-check/fail');
    expect(receiver.received[0].body).toMatch(/no health sweep has finished for \d+ s/);
  });

  it('stops pinging when the watcher stops, and stays silent while monitoring is off', async () => {
    receiver = await startReceiver();
    ws = openTempWorkspace();
    await ws.ok('heartbeat.set', { url: receiver.url });
    await ws.ok('monitoring.set', { enabled: true });
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 100 }, heartbeat: { intervalMs: INTERVAL } });
    await until('two pings', () => receiver!.received.length >= 2);
    await live.dispose();
    live = null;
    const count = receiver.received.length;
    await sleep(INTERVAL * 4);
    expect(receiver.received.length).toBe(count);

    await ws.ok('monitoring.set', { enabled: false });
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 100 }, heartbeat: { intervalMs: INTERVAL } });
    await sleep(INTERVAL * 4);
    expect(receiver.received.length).toBe(count);
  });

  it('records a ping the receiver refused as not accepted, keeping the last accepted time', async () => {
    receiver = await startReceiver(500);
    ws = openTempWorkspace();
    await ws.ok('heartbeat.set', { url: receiver.url });
    await ws.ok('monitoring.set', { enabled: true });
    live = startLiveHost(ws, { scheduler: { maxWaitMs: 100 }, heartbeat: { intervalMs: INTERVAL } });
    // The first refusal is recorded before the next tick sends the second ping.
    await until('two pings', () => receiver!.received.length >= 2);
    const status = await ws.ok<HeartbeatStatus>('heartbeat.status');
    expect(status.lastPing).toMatchObject({ kind: 'success', accepted: false, detail: 'HTTP 500' });
    expect(status.lastAcceptedAt).toBeNull();
  });

  it('takes only http and https URLs, through the contract; nothing is stored otherwise', async () => {
    ws = openTempWorkspace();
    for (const url of [
      'ftp://hc.example/ping/x',
      'javascript:alert(1)',
      'https://user:pw@hc.example/ping/x',
      'https://hc.example/ping/x\n',
      'hc.example/ping/x',
      '',
    ]) {
      const envelope = await ws.dispatcher.dispatch('heartbeat.set', { url });
      expect(envelope.ok, url).toBe(false);
      if (!envelope.ok) expect(envelope.error.code).toBe('invalid_input');
    }
    expect((await ws.ok<HeartbeatStatus>('heartbeat.status')).target).toBeNull();
    expect((await ws.ok<HeartbeatStatus>('heartbeat.set', { url: 'https://hc-ping.example/0d1f' })).target).toBe(
      'https://hc-ping.example/…',
    );
    expect((await ws.ok<HeartbeatStatus>('heartbeat.set', { url: null })).target).toBeNull();
  });

  it('adds /fail to the path for the failure ping, keeping the query', () => {
    expect(failUrl('https://hc-ping.example/0d1f')).toBe('https://hc-ping.example/0d1f/fail');
    expect(failUrl('https://hc-ping.example/0d1f/')).toBe('https://hc-ping.example/0d1f/fail');
    expect(failUrl('http://127.0.0.1:8000/ping/x?rid=1')).toBe('http://127.0.0.1:8000/ping/x/fail?rid=1');
  });
});
