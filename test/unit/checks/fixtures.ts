/** Small inventories for the checks' tests. */
import { Check, type CheckDraft } from '../../../shared/checks';
import type { Server, Service, ServiceGroup } from '../../../shared/domain';
import type { CheckContext } from '../../../electron/checks/kind';
import type { Inventory } from '../../../electron/checks/plan';

export function server(id: number, name: string, address: string, os: Server['os'] = 'linux'): Server {
  return {
    id,
    name,
    addresses: [address],
    os,
    ssh: { host: address, port: 22, user: 'root', auth: { kind: 'agent' }, jumpServerId: null },
    role: '',
    hardware: '',
    power: '',
    support: { vendor: '', contract: '', phone: '', hours: '' },
    siteId: null,
    notes: '',
  };
}

export const webA = server(1, 'web-a', '10.77.0.11');
export const webB = server(2, 'web-b', '10.77.0.12');
export const dbA = server(3, 'db-a', '10.77.0.21');
export const dbB = server(4, 'db-b', '10.77.0.22');

export const webGroup: ServiceGroup = {
  id: 10,
  name: 'web',
  description: '',
  members: [
    { serverId: 1, role: 'primary' },
    { serverId: 2, role: 'standby' },
  ],
  vips: [
    {
      address: '10.77.0.10',
      prefix: 24,
      interfaces: [
        { serverId: 1, interface: 'eth0' },
        { serverId: 2, interface: 'eth0' },
      ],
    },
  ],
  data: { kind: 'rsync', paths: ['/srv/www'], excludes: [], intervalMinutes: 15 },
  processes: ['nginx'],
};

export const dbGroup: ServiceGroup = {
  id: 11,
  name: 'db',
  description: '',
  members: [
    { serverId: 3, role: 'primary' },
    { serverId: 4, role: 'standby' },
  ],
  vips: [{ address: '10.77.0.20', prefix: 24, interfaces: [] }],
  data: {
    kind: 'postgres',
    port: 5432,
    dataDir: '/srv/pgdata',
    osUser: 'postgres',
    database: 'crm',
    socketDir: '',
    host: '',
  },
  processes: ['postgres'],
};

function service(
  id: number,
  name: string,
  groupId: number,
  tier: Service['tier'],
  rto: number,
  rpo: number | null,
): Service {
  return {
    id,
    name,
    description: '',
    tier,
    rtoMinutes: rto,
    rpoMinutes: rpo,
    costPerHour: null,
    workaround: '',
    ownerContactId: null,
    dependsOn: [],
    groupId,
    hostedBy: '',
  };
}

export const crm = service(20, 'CRM', 10, 'critical', 30, 5);
export const database = service(21, 'Database', 11, 'critical', 30, 5);

export function inventory(): Inventory {
  return {
    servers: new Map([webA, webB, dbA, dbB].map((s) => [s.id, s])),
    groups: new Map([webGroup, dbGroup].map((g) => [g.id, g])),
    services: [crm, database],
  };
}

let nextId = 100;
/** A parsed check with defaults filled in. */
export function check(draft: CheckDraft): Check {
  return Check.parse({ id: draft.id ?? nextId++, ...draft });
}

/** The context a kind sees for a check against the fixture inventory. */
export function contextOf(c: Check, inv: Inventory = inventory()): CheckContext {
  const service = c.groupId === 10 ? crm : c.groupId === 11 ? database : null;
  return {
    check: c,
    group: c.groupId === null ? null : (inv.groups.get(c.groupId) ?? null),
    servers: inv.servers,
    service: service && {
      id: service.id,
      name: service.name,
      tier: service.tier,
      rtoMinutes: service.rtoMinutes,
      rpoMinutes: service.rpoMinutes,
    },
  };
}

/** Two servers on loopback (127.0.0.1 and .2) in one postgres group: for check scripts run in a local shell. */
export function loopbackInventory(): Inventory {
  const here = server(1, 'here', '127.0.0.1');
  const there = server(2, 'there', '127.0.0.2');
  const local: ServiceGroup = {
    id: 10,
    name: 'local',
    description: '',
    members: [
      { serverId: 1, role: 'primary' },
      { serverId: 2, role: 'standby' },
    ],
    vips: [{ address: '127.0.0.1', prefix: 32, interfaces: [] }],
    data: {
      kind: 'postgres',
      port: 1,
      dataDir: '/srv/pgdata',
      osUser: 'postgres',
      database: 'crm',
      socketDir: '',
      host: '',
    },
    processes: [],
  };
  return {
    servers: new Map([
      [1, here],
      [2, there],
    ]),
    groups: new Map([[10, local]]),
    services: [],
  };
}
