/**
 * `lifeboat serve` as a long-lived host, over its real HTTP and WebSocket transport, against an
 * in-process ssh2 server: monitoring turned on runs and its results reach the event socket, "Run
 * now" works, passwords are refused with the reason, and stopping it closes everything.
 */
import path from 'node:path';
import fs from 'node:fs';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../../electron/app';
import { createEnv } from '../../../electron/cli/env';
import { HEADLESS_PASSWORDS, serveConsole } from '../../../electron/cli/workspace';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import type { CheckResult, MonitoringStatus } from '../../../shared/checks';
import type { Envelope } from '../../../shared/errors';
import type { Server } from '../../../shared/domain';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { tempDir } from '../../helpers/workspace';
import { keyTypeOfFile, makeKeys, type Lab } from '../ssh/setup';

let keys: Lab;
beforeAll(() => {
  keys = makeKeys();
});
afterAll(() => keys.cleanup());

let dir: string;
let server: TestSshServer;
afterEach(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A workspace file with web-a (pinned, key login) and pbx (password login), one ssh check on web-a. */
async function prepare(dbPath: string): Promise<{ pbxId: number }> {
  const app = openApp(dbPath, () => {});
  try {
    const call = async <T>(method: string, payload: unknown) => {
      const envelope = await app.dispatcher.dispatch(method, payload);
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.value as T;
    };
    const web = await call<Server>('servers.save', {
      name: 'web-a',
      ssh: { host: server.host, port: server.port, auth: { kind: 'key', keyPath: keys.clientKey.privatePath } },
    });
    const pbx = await call<Server>('servers.save', {
      name: 'pbx',
      ssh: { host: '192.0.2.40', auth: { kind: 'password' } },
    });
    insertHostKeyPin(app.db, {
      host: server.host,
      port: server.port,
      keyType: keyTypeOfFile(keys.hostKey.publicPath),
      fingerprint: keys.hostKey.fingerprint,
      publicKey: 'AAAA',
      pinnedAt: 'now',
      pinnedBy: 'test',
    });
    await call('checks.save', { kind: 'ssh', name: 'web-a answers', serverId: web.id, params: {} });
    return { pbxId: pbx.id };
  } finally {
    app.dispose();
  }
}

describe('lifeboat serve', () => {
  it('monitors, runs checks now, pushes results to the event socket, refuses passwords, and stops cleanly', async () => {
    dir = tempDir('lifeboat-serve-');
    server = await startSshServer({ hostKey: keys.hostKey, authorizedKeys: [keys.clientKey.publicPath] });
    const dbPath = path.join(dir, 'ws.db');
    const { pbxId } = await prepare(dbPath);
    const out: string[] = [];
    const err: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const serving = serveConsole(
      createEnv({ out: (t) => out.push(t), err: (t) => err.push(t) }, () => dbPath),
      0,
      stopped,
    );

    const start = Date.now();
    while (!out.join('\n').includes('Open: ') && Date.now() - start < 5_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const url = new URL(/Open: (\S+)/.exec(out.join('\n'))![1]);
    const token = url.searchParams.get('token')!;
    const call = async <T>(method: string, payload: unknown = {}): Promise<Envelope<T>> => {
      const response = await fetch(`${url.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lifeboat-Token': token },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(10_000),
      });
      return (await response.json()) as Envelope<T>;
    };

    const socket = new WebSocket(`${url.origin.replace('http', 'ws')}/events?token=${token}`);
    const received: { event: string; payload: unknown }[] = [];
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as { event: string; payload: unknown }));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

    expect(await call<MonitoringStatus>('monitoring.set', { enabled: true })).toMatchObject({
      ok: true,
      value: { enabled: true, running: true },
    });
    const waitFrom = Date.now();
    while (!received.some((m) => m.event === 'checks.result') && Date.now() - waitFrom < 8_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received.find((m) => m.event === 'checks.result')?.payload).toMatchObject({ status: 'ok' });

    expect(await call<CheckResult[]>('checks.runNow')).toMatchObject({
      ok: true,
      value: [{ name: 'web-a answers', status: 'ok' }],
    });
    expect(await call('hosts.setPassword', { serverId: pbxId, password: 'secret-for-pbx' })).toEqual({
      ok: false,
      error: { code: 'unavailable', message: `the password for pbx was not stored: ${HEADLESS_PASSWORDS}` },
    });

    socket.close();
    stop();
    await serving;
    await expect(fetch(url.href, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
    expect(err.join('\n')).not.toContain('secret-for-pbx');
  });
});
