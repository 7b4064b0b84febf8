/**
 * A VIP that is a server's own address (or otherwise unusable) is refused where it enters: the
 * form / IPC payload (groups.save, servers.save) and the plan import. Nothing is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server, ServiceGroup, Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
let a: Server;
let b: Server;
beforeEach(async () => {
  ws = openTempWorkspace();
  a = await ws.ok<Server>('servers.save', { name: 'db-a', addresses: ['10.77.0.21'], ssh: { host: '10.77.0.21' } });
  b = await ws.ok<Server>('servers.save', { name: 'db-b', addresses: ['10.77.0.22'], ssh: { host: '10.77.0.22' } });
});
afterEach(() => ws.cleanup());

const group = (vip: string, prefix = 24) => ({
  name: 'db',
  members: [
    { serverId: a.id, role: 'primary' },
    { serverId: b.id, role: 'standby' },
  ],
  vips: [
    {
      address: vip,
      prefix,
      interfaces: [
        { serverId: a.id, interface: 'eth0' },
        { serverId: b.id, interface: 'eth0' },
      ],
    },
  ],
});

const snapshot = () => ws.ok<Snapshot>('workspace.snapshot');

describe('VIP rules at save', () => {
  it("refuses a VIP equal to a member's own address, naming the field; nothing stored", async () => {
    const result = await ws.dispatcher.dispatch('groups.save', group('10.77.0.22'));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: ['vips', 0, 'address'], message: expect.stringContaining('an address of server db-b') }],
      },
    });
    expect((await snapshot()).groups).toEqual([]);
  });

  it('refuses a VIP equal to the address of a server outside the group too', async () => {
    const other = await ws.ok<Server>('servers.save', {
      name: 'web-a',
      addresses: ['10.77.0.11'],
      ssh: { host: 'web-a.example' },
    });
    const result = await ws.dispatcher.dispatch('groups.save', group(other.addresses[0]));
    expect(result).toMatchObject({
      ok: false,
      error: { issues: [{ path: ['vips', 0, 'address'], message: expect.stringContaining('web-a') }] },
    });
  });

  it.each([
    ['127.0.0.1', 8, 'loopback'],
    ['224.0.0.18', 24, 'multicast'],
    ['10.77.0.255', 24, 'broadcast'],
    ['10.77.0.0', 24, 'network address'],
    ['0.0.0.0', 24, 'unspecified'],
    ['169.254.0.20', 16, 'link-local'],
  ])('refuses %s/%i (%s) on the address field', async (vip, prefix, why) => {
    const result = await ws.dispatcher.dispatch('groups.save', group(vip, prefix));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: ['vips', 0, 'address'], message: expect.stringContaining(why) }],
      },
    });
    expect((await snapshot()).groups).toEqual([]);
  });

  it("refuses a VIP outside the member interface's subnet, naming the interface", async () => {
    const result = await ws.dispatcher.dispatch('groups.save', group('10.77.9.20'));
    expect(result).toMatchObject({
      ok: false,
      error: {
        issues: [
          {
            path: ['vips', 0, 'interfaces', 0, 'interface'],
            message: expect.stringContaining('outside the subnet of db-a'),
          },
        ],
      },
    });
  });

  it("accepts a VIP of its own in the members' subnet", async () => {
    const saved = await ws.ok<ServiceGroup>('groups.save', group('10.77.0.20'));
    expect(saved.vips[0].address).toBe('10.77.0.20');
  });

  it('refuses a server whose own address (or SSH host) is an existing VIP', async () => {
    await ws.ok<ServiceGroup>('groups.save', group('10.77.0.20'));
    const listed = await ws.dispatcher.dispatch('servers.save', {
      name: 'db-c',
      addresses: ['10.77.0.23', '10.77.0.20'],
      ssh: { host: '10.77.0.23' },
    });
    expect(listed).toMatchObject({
      ok: false,
      error: { issues: [{ path: ['addresses', 1], message: expect.stringContaining('VIP of group "db"') }] },
    });
    const host = await ws.dispatcher.dispatch('servers.save', { ...b, ssh: { ...b.ssh, host: '10.77.0.20' } });
    expect(host).toMatchObject({
      ok: false,
      error: { issues: [{ path: ['ssh', 'host'], message: expect.stringContaining('never by a VIP') }] },
    });
    expect((await snapshot()).servers.map((s) => s.name)).toEqual(['db-a', 'db-b']);
  });
});

const PLAN = (vip: string) => `lifeboat: 1
servers:
  - name: db-a
    addresses: [10.77.0.21]
    ssh: { host: 10.77.0.21 }
  - name: db-b
    addresses: [10.77.0.22]
    ssh: { host: 10.77.0.22 }
groups:
  - name: db
    members:
      - { server: db-a, role: primary }
      - { server: db-b, role: standby }
    vips:
      - address: ${vip}
        prefix: 24
        interfaces: { db-a: eth0, db-b: eth0 }
`;

describe('VIP rules at import', () => {
  it("refuses a plan whose VIP equals a member's address, naming the line's path; the workspace is untouched", async () => {
    const before = await snapshot();
    const result = await ws.dispatcher.dispatch('workspace.importPlan', { yaml: PLAN('10.77.0.21') });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/10\.77\.0\.21 is an address of server db-a/);
    expect(result.error.issues?.[0].path).toEqual(['groups', 0, 'vips', 0, 'address']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a plan whose VIP is the broadcast address', async () => {
    const result = await ws.dispatcher.dispatch('workspace.importPlan', { yaml: PLAN('10.77.0.255') });
    expect(result).toMatchObject({ ok: false, error: { message: expect.stringContaining('broadcast') } });
  });

  it('imports the same plan with a VIP of its own', async () => {
    await ws.ok('workspace.importPlan', { yaml: PLAN('10.77.0.20') });
    expect((await snapshot()).groups[0].vips[0].address).toBe('10.77.0.20');
  });
});

describe('VIP rules through the CLI', () => {
  const io = () => {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, io: { out: (t: string) => void lines.out.push(t), err: (t: string) => void lines.err.push(t) } };
  };

  it("lifeboat call groups.save refuses a VIP equal to a member's address; nothing stored", async () => {
    const { main } = await import('../../../electron/cli');
    const { lines, io: streams } = io();
    const code = await main(['--db', ws.file, 'call', 'groups.save', JSON.stringify(group('10.77.0.21'))], streams);
    expect(code).not.toBe(0);
    expect(lines.err.join('\n')).toMatch(/10\.77\.0\.21 is an address of server db-a/);
    expect((await snapshot()).groups).toEqual([]);
  });

  it("lifeboat import refuses a plan file whose VIP equals a member's address; the workspace is untouched", async () => {
    const { main } = await import('../../../electron/cli');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(ws.dir, 'plan.yaml');
    fs.writeFileSync(file, PLAN('10.77.0.22'));
    const before = await snapshot();
    const { lines, io: streams } = io();
    expect(await main(['--db', ws.file, 'import', file], streams)).not.toBe(0);
    expect(lines.err.join('\n')).toMatch(/10\.77\.0\.22 is an address of server db-b/);
    expect(await snapshot()).toEqual(before);
  });
});
