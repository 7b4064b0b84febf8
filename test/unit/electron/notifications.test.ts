/**
 * Desktop notifications from the Electron shell (fake electron module, real workspace): an alert
 * raised by monitoring becomes a Notification carrying its text, and nothing is attempted where the
 * system has no notifications.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShell, type Shell } from '../../../electron/shell/shell';
import { channelOf } from '../../../shared/contract/index';
import type { Snapshot } from '../../../shared/domain';
import type { Envelope } from '../../../shared/errors';
import { asShellElectron, createFakeElectron, type FakeElectron } from '../../helpers/fake-electron';
import { tempDir } from '../../helpers/workspace';
import { makeKey } from '../../helpers/ssh-server';

let dir: string;
let fake: FakeElectron;
let shell: Shell;
let logs: string[];

async function call<T>(method: string, payload: unknown = {}): Promise<T> {
  const frame = { url: pathToFileURL(path.join(dir, 'dist', 'renderer', 'index.html')).href, parent: null };
  const envelope = (await fake.ipcMain.invokeFrom(frame, channelOf(method as never), payload)) as Envelope<T>;
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
  return envelope.value;
}

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startShell(supported: boolean): Promise<void> {
  fake = createFakeElectron({ appData: path.join(dir, 'appData') });
  fake.Notification.supported = supported;
  shell = createShell(asShellElectron(fake), {
    distDir: path.join(dir, 'dist'),
    dbPath: path.join(dir, 'workspace.db'),
    log: (m) => logs.push(m),
  });
  await shell.ready;
}

/** The example company with web-a unreachable and one ssh check on it that counts at once. */
async function webADown(): Promise<void> {
  const snap = await call<Snapshot>('workspace.create', { template: 'example' });
  const webA = snap.servers.find((s) => s.name === 'web-a')!;
  // A key Lifeboat can use, so the only problem is the host (with no agent it would be a local problem: unknown).
  const key = makeKey(dir, 'id_web_a');
  await call('servers.save', {
    ...webA,
    ssh: { ...webA.ssh, host: '127.0.0.1', port: await closedPort(), auth: { kind: 'key', keyPath: key.privatePath } },
  });
  await call('checks.save', { kind: 'ssh', name: 'web-a answers', serverId: webA.id, retries: 0, params: {} });
}

beforeEach(() => {
  dir = tempDir('lifeboat-notify-');
  logs = [];
});
afterEach(() => {
  shell.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('desktop notifications', () => {
  it('show an alert with its service, tier and RTO clock', async () => {
    await startShell(true);
    await webADown();
    const [result] = await call<{ status: string }[]>('checks.runNow', {});
    expect(result.status).toBe('fail');
    await shell.live()!.monitor.scheduler.dispose(); // waits for the deliveries in flight
    expect(fake.Notification.created).toHaveLength(1);
    const [shown] = fake.Notification.created;
    expect(shown.shown).toBe(true);
    expect(shown.options.title).toBe('web-a is unreachable — CRM (critical) down for 0 of its 30 minutes');
    expect(shown.options.body).toMatch(/web-a cannot be reached/);
    // Clicking it brings the console forward.
    const win = fake.BrowserWindow.getAllWindows()[0];
    win.minimized = true;
    shown.click();
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });

  it('are not attempted where the system has none; the alert is still raised and logged', async () => {
    await startShell(false);
    await webADown();
    await call('checks.runNow', {});
    await shell.live()!.monitor.scheduler.dispose();
    expect(fake.Notification.created).toHaveLength(0);
    expect(logs.join('\n')).toContain('desktop notifications are not supported here');
    expect(logs.join('\n')).toContain('alert: web-a is unreachable — CRM (critical) down for 0 of its 30 minutes');
    expect(await call<{ title: string }[]>('alerts.recent', {})).toMatchObject([
      { title: 'web-a is unreachable — CRM (critical) down for 0 of its 30 minutes' },
    ]);
  });
});
