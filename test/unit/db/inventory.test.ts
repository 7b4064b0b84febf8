import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

const server = (name: string, ip: string) => ({ name, addresses: [ip], ssh: { host: ip } });

describe('inventory services', () => {
  it('saves a server with defaults and reads it back', async () => {
    const saved = await ws.ok<{ id: number }>('servers.save', server('web-a', '192.0.2.11'));
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.servers).toHaveLength(1);
    expect(snap.servers[0]).toMatchObject({
      id: saved.id,
      name: 'web-a',
      os: 'linux',
      ssh: { host: '192.0.2.11', port: 22, user: 'root', auth: { kind: 'agent' } },
    });
  });

  it('refuses a duplicate name as a conflict on the name field and stores nothing', async () => {
    await ws.ok('servers.save', server('web-a', '192.0.2.11'));
    const result = await ws.dispatcher.dispatch('servers.save', server('web-a', '192.0.2.12'));
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', issues: [{ path: ['name'] }] } });
    expect((await ws.ok<Snapshot>('workspace.snapshot')).servers).toHaveLength(1);
  });

  it('refuses a dependency cycle naming the services, and keeps the old dependencies', async () => {
    const a = await ws.ok<{ id: number }>('services.save', { name: 'A', tier: 'critical', rtoMinutes: 10 });
    const b = await ws.ok<{ id: number }>('services.save', {
      name: 'B',
      tier: 'critical',
      rtoMinutes: 10,
      dependsOn: [a.id],
    });
    const result = await ws.dispatcher.dispatch('services.save', {
      id: a.id,
      name: 'A',
      tier: 'critical',
      rtoMinutes: 10,
      dependsOn: [b.id],
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'dependency_cycle' } });
    expect(!result.ok && result.error.message).toContain('A → B → A');
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.services.find((s) => s.id === a.id)?.dependsOn).toEqual([]);
  });

  it('refuses a group with two primaries or a VIP interface on a non-member', async () => {
    const a = await ws.ok<{ id: number }>('servers.save', server('db-a', '192.0.2.21'));
    const b = await ws.ok<{ id: number }>('servers.save', server('db-b', '192.0.2.22'));
    const c = await ws.ok<{ id: number }>('servers.save', server('other', '192.0.2.99'));
    const twoPrimaries = await ws.dispatcher.dispatch('groups.save', {
      name: 'db',
      members: [
        { serverId: a.id, role: 'primary' },
        { serverId: b.id, role: 'primary' },
      ],
    });
    expect(twoPrimaries).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: ['members'] }] },
    });
    const foreign = await ws.dispatcher.dispatch('groups.save', {
      name: 'db',
      members: [
        { serverId: a.id, role: 'primary' },
        { serverId: b.id, role: 'standby' },
      ],
      vips: [{ address: '192.0.2.20', prefix: 24, interfaces: [{ serverId: c.id, interface: 'eth0' }] }],
    });
    expect(foreign).toMatchObject({
      ok: false,
      error: { issues: [{ path: ['vips', 0, 'interfaces', 0, 'serverId'] }] },
    });
    expect((await ws.ok<Snapshot>('workspace.snapshot')).groups).toHaveLength(0);
  });

  it('refuses to delete a server that is a group member, naming the group', async () => {
    const a = await ws.ok<{ id: number }>('servers.save', server('db-a', '192.0.2.21'));
    await ws.ok('groups.save', { name: 'db', members: [{ serverId: a.id, role: 'primary' }] });
    const result = await ws.dispatcher.dispatch('servers.delete', { id: a.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'in_use' } });
    expect(!result.ok && result.error.message).toContain('group "db"');
    expect((await ws.ok<Snapshot>('workspace.snapshot')).servers).toHaveLength(1);
  });

  it('a group round-trips members, VIPs with interfaces, data and processes', async () => {
    const a = await ws.ok<{ id: number }>('servers.save', server('files-a', '192.0.2.31'));
    const b = await ws.ok<{ id: number }>('servers.save', server('files-b', '192.0.2.32'));
    const group = {
      name: 'files',
      members: [
        { serverId: a.id, role: 'primary' },
        { serverId: b.id, role: 'standby' },
      ],
      vips: [
        {
          address: '192.0.2.30',
          prefix: 24,
          interfaces: [
            { serverId: a.id, interface: 'eth0' },
            { serverId: b.id, interface: 'eth1' },
          ],
        },
      ],
      data: { kind: 'rsync', paths: ['/srv/files'], excludes: ['*.tmp'], intervalMinutes: 60 },
      processes: ['smbd'],
    };
    const saved = await ws.ok<{ id: number }>('groups.save', group);
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.groups).toEqual([{ id: saved.id, description: '', ...group }]);
  });
});
