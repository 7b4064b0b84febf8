/** The example company's failover groups in a temporary workspace, played by FakeHosts. */
import type { Server, ServiceGroup } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import type { EngineDeps } from '../../../electron/failover/engine';
import { FakeHosts } from './fake-hosts';

export interface FailoverFixture {
  ws: TempWorkspace;
  fake: FakeHosts;
  servers: Record<string, Server>;
  groups: Record<'web' | 'db' | 'files', ServiceGroup>;
  deps: EngineDeps;
  events: { event: string; payload: unknown }[];
}

const HOSTS: Record<string, number> = {
  'web-a': 11,
  'web-b': 12,
  'db-a': 21,
  'db-b': 22,
  'files-a': 31,
  'files-b': 32,
};

export async function failoverFixture(): Promise<FailoverFixture> {
  const ws = openTempWorkspace();
  const servers: Record<string, Server> = {};
  for (const [name, n] of Object.entries(HOSTS)) {
    servers[name] = await ws.ok<Server>('servers.save', {
      name,
      addresses: [`10.77.0.${n}`],
      ssh: { host: `10.77.0.${n}` },
    });
  }
  const group = async (name: string, vip: number, data: unknown, processes: string[] = []) =>
    ws.ok<ServiceGroup>('groups.save', {
      name,
      members: [
        { serverId: servers[`${name}-a`].id, role: 'primary' },
        { serverId: servers[`${name}-b`].id, role: 'standby' },
      ],
      vips: [
        {
          address: `10.77.0.${vip}`,
          prefix: 24,
          interfaces: [
            { serverId: servers[`${name}-a`].id, interface: 'eth0' },
            { serverId: servers[`${name}-b`].id, interface: 'eth0' },
          ],
        },
      ],
      data,
      processes,
    });
  const groups = {
    web: await group('web', 10, { kind: 'none' }),
    db: await group('db', 20, { kind: 'postgres', dataDir: '/srv/pgdata', database: 'crm' }),
    files: await group('files', 30, { kind: 'rsync', paths: ['/srv/files'] }),
  };
  await ws.ok('services.save', {
    name: 'CRM',
    tier: 'critical',
    rtoMinutes: 30,
    rpoMinutes: 5,
    groupId: groups.web.id,
  });
  await ws.ok('services.save', {
    name: 'Database',
    tier: 'critical',
    rtoMinutes: 30,
    rpoMinutes: 5,
    groupId: groups.db.id,
  });
  await ws.ok('services.save', {
    name: 'File share',
    tier: 'important',
    rtoMinutes: 240,
    rpoMinutes: 60,
    groupId: groups.files.id,
  });

  const fake = new FakeHosts();
  for (const [name, n] of Object.entries(HOSTS)) {
    const host = fake.host(name, { addresses: [{ interface: 'eth0', address: `10.77.0.${n}`, prefix: 24 }] });
    if (name.endsWith('-a'))
      host.addresses.push({ interface: 'eth0', address: `10.77.0.${Math.floor(n / 10) * 10}`, prefix: 24 });
    if (name.startsWith('db-')) host.postgres = { running: true, inRecovery: name === 'db-b', lagSeconds: 0 };
  }
  fake.hosts.get('files-a')?.files.set('/srv/files/README.txt', 'hello');
  ws.ctx.runner = fake;
  const events: { event: string; payload: unknown }[] = [];
  const deps: EngineDeps = {
    db: ws.db,
    runner: fake,
    emit: (event, payload) => events.push({ event, payload }),
    runs: ws.ctx.runs,
    actor: 'tester@test',
  };
  return { ws, fake, servers, groups, deps, events };
}

/** Wait (bounded) until `predicate` holds. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
