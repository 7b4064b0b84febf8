/**
 * The example company's network as the lab builds it: one /24 on a bridge in the root namespace,
 * one network namespace per server. Mirrors shared/example-company.ts (EXAMPLE_HOSTS), which the
 * lab may not import (it imports only node: modules); lab.test.ts checks the two agree.
 */

export const LAB_NET = '10.77.0';
export const LAB_PREFIX = 24;
export const LAB_CIDR = `${LAB_NET}.0/${LAB_PREFIX}`;
export const BRIDGE = 'lbbr0';
export const BRIDGE_IP = `${LAB_NET}.254`;
/** Interface name inside every host namespace. */
export const HOST_IFACE = 'eth0';
export const NETNS_PREFIX = 'lb-';
/** Host-side veth names: "lbv-<host>" (at most 15 characters). */
export const VETH_PREFIX = 'lbv-';

export type GroupName = 'gw' | 'web' | 'db' | 'files';
export type HostName = 'gw-a' | 'gw-b' | 'web-a' | 'web-b' | 'db-a' | 'db-b' | 'files-a' | 'files-b' | 'pbx' | 'client';
export type HostRole = 'primary' | 'standby' | 'single' | 'client';

export interface HostSpec {
  name: HostName;
  /** Last octet of the address in LAB_NET. */
  n: number;
  group: GroupName | 'pbx' | null;
  role: HostRole;
}

export interface GroupSpec {
  name: GroupName;
  /** Last octet of the VIP. */
  vip: number;
  primary: HostName;
  standby: HostName;
}

export const GROUPS: readonly GroupSpec[] = [
  { name: 'gw', vip: 1, primary: 'gw-a', standby: 'gw-b' },
  { name: 'web', vip: 10, primary: 'web-a', standby: 'web-b' },
  { name: 'db', vip: 20, primary: 'db-a', standby: 'db-b' },
  { name: 'files', vip: 30, primary: 'files-a', standby: 'files-b' },
];

export const HOSTS: readonly HostSpec[] = [
  { name: 'gw-a', n: 2, group: 'gw', role: 'primary' },
  { name: 'gw-b', n: 3, group: 'gw', role: 'standby' },
  { name: 'web-a', n: 11, group: 'web', role: 'primary' },
  { name: 'web-b', n: 12, group: 'web', role: 'standby' },
  { name: 'db-a', n: 21, group: 'db', role: 'primary' },
  { name: 'db-b', n: 22, group: 'db', role: 'standby' },
  { name: 'files-a', n: 31, group: 'files', role: 'primary' },
  { name: 'files-b', n: 32, group: 'files', role: 'standby' },
  { name: 'pbx', n: 40, group: 'pbx', role: 'single' },
  { name: 'client', n: 100, group: null, role: 'client' },
];

export const HOST_NAMES: readonly HostName[] = HOSTS.map((h) => h.name);

export const labIp = (n: number): string => `${LAB_NET}.${n}`;
export const netnsName = (host: string): string => `${NETNS_PREFIX}${host}`;
export const vethName = (host: string): string => `${VETH_PREFIX}${host}`;

export function isHostName(value: unknown): value is HostName {
  return typeof value === 'string' && (HOST_NAMES as readonly string[]).includes(value);
}

/** True for a canonical dotted-quad inside the lab /24 (10.77.0.1 .. 10.77.0.254). */
export function isLabAddress(value: string): boolean {
  const m = /^10\.77\.0\.(25[0-4]|2[0-4]\d|1\d\d|[1-9]\d|[1-9])$/.exec(value);
  return m !== null;
}

/** PostgreSQL in the lab: Debian's packaging (postgresql-common), pg_ctl off PATH in binDir. */
export const PG = {
  port: 5432,
  version: '15',
  cluster: 'main',
  unit: 'postgresql@15-main',
  binDir: '/usr/lib/postgresql/15/bin',
  dataDir: '/var/lib/postgresql/15/main',
  configDir: '/etc/postgresql/15/main',
  logFile: '/var/log/postgresql/postgresql-15-main.log',
  osUser: 'postgres',
  superuser: 'postgres',
  replicationUser: 'replicator',
  database: 'crm',
} as const;

/** The units each host runs (enabled in its overlay), besides ssh and the lab's network unit. */
export const HOST_UNITS: Readonly<Record<HostName, readonly string[]>> = {
  'gw-a': ['gateway'],
  'gw-b': ['gateway'],
  'web-a': ['nginx', 'crm'],
  'web-b': ['nginx', 'crm'],
  'db-a': ['postgresql@15-main'],
  'db-b': ['postgresql@15-main'],
  'files-a': ['fileshare'],
  'files-b': ['fileshare'],
  pbx: ['pbx'],
  client: [],
};

/** Files seeded into /srv/files on files-a (files-b starts with an empty /srv/files; rsync fills it). */
export const SEED_FILES: Readonly<Record<string, string>> = {
  'README.txt': 'Northwind Call Centre file share (lab copy).\n',
  'scripts/greeting.txt': 'Good morning, Northwind Call Centre, how can I help?\n',
  'reports/2024-q1.csv': 'month,calls,abandoned\njan,4210,97\nfeb,3988,82\nmar,4402,110\n',
};
