/**
 * The host-key dialog in Debian's Chromium against `lifeboat serve`, with a real SSH server on
 * loopback: a first contact is trusted only after the operator ticks that the fingerprint matched;
 * a changed key is never accepted, its old pin is forgotten only with the server's name typed,
 * and the new key is then read again to be compared and trusted.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostKeyScan } from '../../shared/contract/hosts';
import { makeKey, startSshServer, type KeyFiles, type TestSshServer } from '../helpers/ssh-server';
import { tempDir } from '../helpers/workspace';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

describe('the host-key dialog', () => {
  let session: ConsoleSession;
  let server: TestSshServer;
  let keys: { dir: string; first: KeyFiles; second: KeyFiles; client: KeyFiles };
  let serverId: number;
  const page = () => session.page;
  const scan = () => session.host.call<HostKeyScan>('hosts.scanKey', { serverId });

  beforeAll(async () => {
    const dir = tempDir('lifeboat-e2e-keys-');
    keys = { dir, first: makeKey(dir, 'host_one'), second: makeKey(dir, 'host_two'), client: makeKey(dir, 'client') };
    server = await startSshServer({
      hostKey: keys.first,
      authorizedKeys: [keys.client.publicPath],
      onExec: (_command, channel) => (channel.exit(0), channel.end()),
    });
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'empty', companyName: 'Loopback Ltd' });
    const saved = await session.host.call<{ id: number }>('servers.save', {
      name: 'web-a',
      ssh: {
        host: server.host,
        port: server.port,
        user: 'root',
        auth: { kind: 'key', keyPath: keys.client.privatePath },
      },
    });
    serverId = saved.id;
    await session.host.call('groups.save', { name: 'web', members: [{ serverId, role: 'primary' }] });
    await session.host.call('checks.generateDefaults', {});
    await page().goto(session.host.url);
  }, 60_000);
  afterAll(async () => {
    await session?.cleanup();
    await server?.close();
    if (keys) fs.rmSync(keys.dir, { recursive: true, force: true });
  });

  const openDialog = async () => {
    await openScreen(page(), 'Health');
    await page().getByRole('button', { name: 'Run all now' }).click();
    await page().getByRole('button', { name: 'Check host key' }).first().click({ timeout: 15_000 });
    const dialog = page().getByTestId('host-key-dialog');
    await dialog.getByTestId('presented-fingerprint').waitFor();
    return dialog;
  };

  it('trusts a first contact only once the operator ticks that the fingerprint matched', async () => {
    const dialog = await openDialog();
    expect(await dialog.getByTestId('presented-fingerprint').textContent()).toBe(keys.first.fingerprint);
    const trust = dialog.getByRole('button', { name: 'Trust this key' });
    expect(await trust.isDisabled()).toBe(true);
    expect((await scan()).status).toBe('new');
    await dialog.getByLabel('I compared the fingerprint and it matches').check();
    await screenshot(page(), 'host-key-new');
    await trust.click();
    await dialog.waitFor({ state: 'detached' });
    expect((await scan()).status).toBe('match');
    expect(session.pageErrors.join('\n')).toBe('');
  }, 60_000);

  it('never accepts a changed key: the old pin goes only with the name typed, then the new key is compared and trusted', async () => {
    // The server is reinstalled: same address and port, a new host key.
    const port = server.port;
    await server.close();
    server = await startSshServer({
      hostKey: keys.second,
      authorizedKeys: [keys.client.publicPath],
      port,
      onExec: (_command, channel) => (channel.exit(0), channel.end()),
    });
    expect((await scan()).status).toBe('changed');

    const dialog = await openDialog();
    await dialog.getByRole('heading', { name: /CHANGED/ }).waitFor();
    expect(await dialog.getByTestId('pinned-fingerprint').textContent()).toBe(keys.first.fingerprint);
    expect(await dialog.getByTestId('presented-fingerprint').textContent()).toBe(keys.second.fingerprint);
    expect(await dialog.getByRole('button', { name: 'Trust this key' }).count()).toBe(0);
    const forget = dialog.getByRole('button', { name: 'Forget the old pin' });
    await dialog.getByLabel(/To forget the old pin, type/).fill('web');
    expect(await forget.isDisabled()).toBe(true);
    await dialog.getByLabel(/To forget the old pin, type/).press('Enter');
    expect((await scan()).status).toBe('changed');
    await dialog.getByLabel(/To forget the old pin, type/).fill('web-a');
    await screenshot(page(), 'host-key-changed');
    await forget.click();

    // Read again, as a first contact: compared, ticked, trusted.
    await eventually(
      async () => expect(await dialog.getByRole('button', { name: 'Trust this key' }).count()).toBe(1),
      10_000,
    );
    expect(await dialog.getByTestId('presented-fingerprint').textContent()).toBe(keys.second.fingerprint);
    expect((await scan()).status).toBe('new');
    await dialog.getByLabel('I compared the fingerprint and it matches').check();
    await dialog.getByRole('button', { name: 'Trust this key' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await scan()).status).toBe('match');
    expect(session.pageErrors.join('\n')).toBe('');
  }, 60_000);
});
