/** Adding servers from an SSH config: jump hosts first, all or nothing, checked like the form. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

const CONFIG = `
Host bastion
  HostName 192.0.2.5
  User admin
  Port 2222
  IdentityFile /home/admin/.ssh/id_ed25519

Host web-a
  HostName 192.0.2.11
  ProxyJump bastion

Host weird
  HostName 192.0.2.99
  ProxyCommand nc %h %p
`;

describe('servers.importSshConfig', () => {
  let ws: TempWorkspace;
  beforeEach(() => {
    ws = openTempWorkspace();
  });
  afterEach(() => ws.cleanup());

  const servers = async () => (await ws.ok<Snapshot>('workspace.snapshot')).servers;

  it('adds the chosen hosts, the jump host first, and links the jump server', async () => {
    const result = await ws.ok<{ saved: { alias: string; name: string; jump: string | null }[] }>(
      'servers.importSshConfig',
      { text: CONFIG, aliases: ['web-a', 'bastion'] },
    );
    expect(result.saved.map((s) => s.alias)).toEqual(['bastion', 'web-a']);
    const list = await servers();
    const bastion = list.find((s) => s.name === 'bastion')!;
    const web = list.find((s) => s.name === 'web-a')!;
    expect(bastion.ssh).toMatchObject({
      host: '192.0.2.5',
      port: 2222,
      user: 'admin',
      auth: { kind: 'key', keyPath: '/home/admin/.ssh/id_ed25519' },
      jumpServerId: null,
    });
    expect(web.ssh.jumpServerId).toBe(bastion.id);
  });

  it("uses a server of the jump host's name that is already in the inventory", async () => {
    await ws.ok('servers.importSshConfig', { text: CONFIG, aliases: ['bastion'] });
    await ws.ok('servers.importSshConfig', { text: CONFIG, aliases: ['web-a'] });
    const list = await servers();
    expect(list.find((s) => s.name === 'web-a')!.ssh.jumpServerId).toBe(list.find((s) => s.name === 'bastion')!.id);
  });

  it('adds nothing when one chosen host cannot be added, and names it', async () => {
    const answer = await ws.dispatcher.dispatch('servers.importSshConfig', {
      text: CONFIG,
      aliases: ['bastion', 'weird'],
    });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.message).toContain('weird');
    expect(answer.error.message).toContain('ProxyCommand');
    expect(answer.error.issues?.[0].path).toEqual(['aliases', 1]);
    expect(await servers()).toEqual([]);
  });

  it('refuses a host whose jump host is neither chosen nor in the inventory', async () => {
    const answer = await ws.dispatcher.dispatch('servers.importSshConfig', { text: CONFIG, aliases: ['web-a'] });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/jumps through bastion/);
    expect(await servers()).toEqual([]);
  });

  it('refuses a name already in the inventory and an alias the file does not have', async () => {
    await ws.ok('servers.importSshConfig', { text: CONFIG, aliases: ['bastion'] });
    const again = await ws.dispatcher.dispatch('servers.importSshConfig', { text: CONFIG, aliases: ['bastion'] });
    expect(again.ok || again.error.message).toMatch(/already in the inventory/);
    const missing = await ws.dispatcher.dispatch('servers.importSshConfig', { text: CONFIG, aliases: ['nope'] });
    expect(missing.ok || missing.error.message).toMatch(/no Host "nope"/);
    expect((await servers()).map((s) => s.name)).toEqual(['bastion']);
  });
});
