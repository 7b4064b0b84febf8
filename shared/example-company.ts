/**
 * The example company every demo starts from: a call centre of about 40 people with five servers
 * (docs/lab.md). Addresses default to the documentation range 192.0.2.0/24 so a demo never reaches a
 * real machine; the lab passes its own addresses.
 */
import type { PlanDocumentInput } from './plan-file';
import { PLAN_FORMAT_VERSION } from './plan-file';

export interface ExampleAddresses {
  /** Network prefix of the office LAN, e.g. "192.0.2" (a /24). */
  net: string;
  /** SSH key path used for every server, or null for the SSH agent. */
  keyPath: string | null;
}

const DEFAULTS: ExampleAddresses = { net: '192.0.2', keyPath: null };

/** Host numbers: each pair's VIP is .1/.10-style, members .2/.3-style. */
export const EXAMPLE_HOSTS = {
  gw: { vip: 1, a: 2, b: 3 },
  web: { vip: 10, a: 11, b: 12 },
  db: { vip: 20, a: 21, b: 22 },
  files: { vip: 30, a: 31, b: 32 },
  pbx: 40,
} as const;

export function exampleCompany(options: Partial<ExampleAddresses> = {}): PlanDocumentInput {
  const { net, keyPath } = { ...DEFAULTS, ...options };
  const ip = (n: number) => `${net}.${n}`;
  const auth = keyPath ? { kind: 'key' as const, keyPath } : { kind: 'agent' as const };
  const server = (name: string, n: number, role: string, hardware: string, extra: object = {}) => ({
    name,
    addresses: [ip(n)],
    os: 'linux' as const,
    ssh: { host: ip(n), port: 22, user: 'root', auth },
    role,
    hardware,
    power: 'APC Smart-UPS 1500 in the comms cupboard (about 20 min on battery)',
    site: 'Head office',
    ...extra,
  });
  const pair = (group: keyof Omit<typeof EXAMPLE_HOSTS, 'pbx'>, role: string, hardware: string) => {
    const h = EXAMPLE_HOSTS[group];
    return [
      server(`${group}-a`, h.a, `${role} (primary)`, hardware),
      server(`${group}-b`, h.b, `${role} (standby)`, hardware),
    ];
  };
  const vipGroup = (group: keyof Omit<typeof EXAMPLE_HOSTS, 'pbx'>, description: string, rest: object) => ({
    name: group,
    description,
    members: [
      { server: `${group}-a`, role: 'primary' as const },
      { server: `${group}-b`, role: 'standby' as const },
    ],
    vips: [
      {
        address: ip(EXAMPLE_HOSTS[group].vip),
        prefix: 24,
        interfaces: { [`${group}-a`]: 'eth0', [`${group}-b`]: 'eth0' },
      },
    ],
    ...rest,
  });

  return {
    lifeboat: PLAN_FORMAT_VERSION,
    company: { companyName: 'Northwind Call Centre', targetMinutes: 30 },
    sites: [
      {
        name: 'Head office',
        address: 'Unit 4, Harbour Business Park',
        notes: 'Comms cupboard behind reception; key with the office manager',
      },
    ],
    contacts: [
      {
        name: 'Sam Patel',
        role: 'IT admin (primary on call)',
        kind: 'internal',
        phones: ['+44 7700 900101'],
        email: 'sam@northwind.example',
        escalationOrder: 1,
      },
      {
        name: 'Jo Morgan',
        role: 'Operations manager (declares a disaster, talks to staff)',
        kind: 'internal',
        phones: ['+44 7700 900102'],
        email: 'jo@northwind.example',
        escalationOrder: 2,
      },
      {
        name: 'Alex Reid',
        role: 'Owner (approves spending)',
        kind: 'internal',
        phones: ['+44 7700 900103'],
        email: 'alex@northwind.example',
        escalationOrder: 3,
      },
      {
        name: 'VoxTel support',
        role: 'PBX vendor support',
        organisation: 'VoxTel Ltd',
        kind: 'vendor',
        phones: ['+44 20 7946 0100'],
        email: 'support@voxtel.example',
        escalationOrder: 4,
        notes: 'Contract VX-20417, 4-hour on-site response',
      },
      {
        name: 'FibreLink support',
        role: 'ISP support',
        organisation: 'FibreLink',
        kind: 'vendor',
        phones: ['+44 20 7946 0200'],
        escalationOrder: 5,
        notes: 'Account NW-88213',
      },
      {
        name: 'Dellware hardware',
        role: 'Hardware vendor',
        organisation: 'Dellware',
        kind: 'vendor',
        phones: ['+44 20 7946 0300'],
        escalationOrder: 6,
        notes: 'Next-business-day parts',
      },
    ],
    servers: [
      ...pair('gw', 'Router and web proxy', 'Fanless 4-port appliance, 8 GB RAM'),
      ...pair('web', 'CRM web server', '1U server, 4 cores, 16 GB RAM'),
      ...pair('db', 'PostgreSQL database', '1U server, 8 cores, 32 GB RAM, RAID 1 SSD'),
      ...pair('files', 'File share', 'Tower server, 2 x 4 TB RAID 1'),
      server('pbx', EXAMPLE_HOSTS.pbx, 'IP PBX (vendor appliance)', 'VoxTel V300 appliance', {
        support: { vendor: 'VoxTel Ltd', contract: 'VX-20417', phone: '+44 20 7946 0100', hours: '24x7, 4 h on-site' },
      }),
    ],
    groups: [
      vipGroup('gw', 'Routing and the web proxy for the office LAN', { processes: ['gateway'] }),
      vipGroup('web', 'The CRM web application', { processes: ['nginx', 'crm'] }),
      vipGroup('db', 'PostgreSQL for the CRM', {
        // Debian's packaging: the cluster 15/main, its data in /var/lib/postgresql, its own unit.
        data: {
          kind: 'postgres',
          port: 5432,
          dataDir: '/var/lib/postgresql/15/main',
          osUser: 'postgres',
          database: 'crm',
        },
        processes: ['postgresql@15-main'],
      }),
      vipGroup('files', 'The office file share', {
        data: { kind: 'rsync', paths: ['/srv/files'], excludes: ['*.tmp'], intervalMinutes: 60 },
        processes: ['fileshare'],
      }),
      {
        name: 'pbx',
        description: 'Vendor phone system: no standby, the vendor repairs it',
        members: [{ server: 'pbx', role: 'primary' }],
      },
    ],
    services: [
      {
        name: 'Network gateway',
        description: 'Routing and web proxy',
        tier: 'critical',
        rtoMinutes: 15,
        rpoMinutes: null,
        costPerHour: 3000,
        workaround: 'None: nothing works without it',
        owner: 'Sam Patel',
        group: 'gw',
      },
      {
        name: 'Phones',
        description: 'IP PBX on vendor hardware',
        tier: 'critical',
        rtoMinutes: 15,
        rpoMinutes: null,
        costPerHour: 2500,
        workaround: "Forward the main number to the vendor's hosted fallback; call the vendor",
        owner: 'VoxTel support',
        dependsOn: ['Network gateway'],
        group: 'pbx',
      },
      {
        name: 'Database',
        description: 'PostgreSQL for the CRM',
        tier: 'critical',
        rtoMinutes: 30,
        rpoMinutes: 5,
        costPerHour: null,
        workaround: '',
        owner: 'Sam Patel',
        group: 'db',
      },
      {
        name: 'CRM',
        description: 'Customer records and call notes (web app)',
        tier: 'critical',
        rtoMinutes: 30,
        rpoMinutes: 5,
        costPerHour: 2000,
        workaround: 'Take calls on paper forms, key them in later',
        owner: 'Sam Patel',
        dependsOn: ['Database', 'Network gateway'],
        group: 'web',
      },
      {
        name: 'File share',
        description: 'Shared documents',
        tier: 'important',
        rtoMinutes: 240,
        rpoMinutes: 60,
        costPerHour: 300,
        workaround: 'Work from local copies',
        owner: 'Sam Patel',
        dependsOn: ['Network gateway'],
        group: 'files',
      },
      {
        name: 'Email',
        description: 'Hosted email',
        tier: 'important',
        rtoMinutes: 240,
        rpoMinutes: null,
        costPerHour: 400,
        workaround: 'Use the phones',
        owner: 'Sam Patel',
        dependsOn: ['Network gateway'],
        hostedBy: 'Hosted email provider',
      },
      {
        name: 'Intranet wiki',
        description: 'How-tos and scripts for agents',
        tier: 'routine',
        rtoMinutes: 2880,
        rpoMinutes: 1440,
        costPerHour: 20,
        workaround: 'Printed scripts in the red binder',
        dependsOn: ['File share'],
        group: 'files',
      },
    ],
  };
}
