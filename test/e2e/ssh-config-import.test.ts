/**
 * The Servers screen's SSH set-up, as an admin would use it: add servers from a ~/.ssh/config,
 * and keep a server's SSH password (refused by the headless host, which has no keyring).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/domain';
import { openScreen, screenshot, startConsole, type ConsoleSession } from './console';

const CONFIG = `Host bastion
  HostName 192.0.2.5
  User admin

Host web-c
  HostName 192.0.2.13
  ProxyJump bastion

Host legacy
  HostName 192.0.2.99
  ProxyCommand nc %h %p
`;

describe('importing servers from an SSH config', () => {
  let session: ConsoleSession;
  const page = () => session.page;

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
    await page().goto(`${session.host.url}#/servers`);
  });
  afterAll(async () => {
    await session?.cleanup();
  });

  it('proposes each Host, refuses the unsupported one with its reason, and adds the chosen ones linked through their jump host', async () => {
    await openScreen(page(), 'Servers');
    await page().getByRole('button', { name: 'Import from SSH config…' }).click();
    const dialog = page().getByTestId('ssh-config-import');
    await dialog.getByLabel('Or paste it').fill(CONFIG);
    await dialog.getByRole('button', { name: 'Read the config' }).click();
    await dialog.getByTestId('ssh-config-hosts').waitFor();
    expect(await dialog.getByLabel('Add legacy').isDisabled()).toBe(true);
    expect(await dialog.getByTestId('ssh-config-hosts').textContent()).toContain('ProxyCommand is not supported');
    await screenshot(page(), 'ssh-config-import-light');
    await dialog.getByRole('button', { name: 'Add 2 servers' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page().getByTestId('server-row').filter({ hasText: 'web-c' }).waitFor();
    const { servers } = await session.host.call<Snapshot>('workspace.snapshot');
    const bastion = servers.find((s) => s.name === 'bastion');
    const web = servers.find((s) => s.name === 'web-c');
    expect(bastion?.ssh).toMatchObject({ host: '192.0.2.5', user: 'admin' });
    expect(web?.ssh.jumpServerId).toBe(bastion?.id);
    expect(servers.some((s) => s.name === 'legacy')).toBe(false);
    expect(session.pageErrors).toEqual([]);
  });

  it('refuses to keep an SSH password in the headless host, saying why, and keeps nothing', async () => {
    const { servers } = await session.host.call<Snapshot>('workspace.snapshot');
    const web = servers.find((s) => s.name === 'web-c')!;
    await session.host.call('servers.save', { ...web, ssh: { ...web.ssh, auth: { kind: 'password' } } });
    await page().getByRole('button', { name: 'SSH password of web-c' }).click();
    await page().getByLabel('Password', { exact: true }).fill('correct horse');
    await page().getByRole('button', { name: 'Keep this password' }).click();
    const refusal = page()
      .getByRole('alert')
      .filter({ hasText: /keyring|safeStorage|desktop app/i });
    await refusal.waitFor();
    await screenshot(page(), 'ssh-password-refused');
    const text = (await refusal.textContent()) ?? '';
    expect(text).not.toContain('correct horse');
    const dump = await session.host.call<{ yaml: string }>('workspace.exportPlan');
    expect(dump.yaml).not.toContain('correct horse');
  });
});
