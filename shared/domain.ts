/**
 * The domain of Lifeboat: what a business runs, where, and how it fails over.
 * Zod schemas are the single definition; TypeScript types are inferred from them.
 */
import { z } from 'zod';
import {
  absolutePathProblem,
  hostProblem,
  interfaceProblem,
  ipProblem,
  portProblem,
  unitProblem,
  userProblem,
} from './validation';
import { refineVip } from './logic/vip-rules';

/** A string checked by one of the allowlist validators. */
function checked(problem: (value: string) => string | null) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

export const Id = z.int().positive();
export const Name = z
  .string()
  .trim()
  .min(1, 'a name is required')
  .max(80, 'names are 80 characters at most')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'names may not contain control characters or newlines');
/** Short identifier-like names used in commands and plan files (servers, groups). */
export const Slug = z
  .string()
  .min(1, 'a name is required')
  .max(63, 'names are 63 characters at most')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');
const Text = (max: number) =>
  z
    .string()
    .max(max, `${max} characters at most`)
    .refine((v) => !v.includes('\u0000'), 'may not contain NUL');
const Minutes = z
  .number({ error: 'enter a number of minutes' })
  .int('whole minutes only')
  .min(0, 'minutes cannot be negative')
  .max(525600, 'a year (525600 minutes) at most');

export const IpAddress = checked(ipProblem);
export const InterfaceName = checked(interfaceProblem);
export const UnitName = checked(unitProblem);
export const AbsolutePath = checked(absolutePathProblem);
export const HostName = checked(hostProblem);
export const UserName = checked(userProblem);
export const Port = z.number({ error: 'enter a port number' }).superRefine((value, ctx) => {
  const message = portProblem(value);
  if (message) ctx.addIssue({ code: 'custom', message });
});

export const TIERS = ['critical', 'important', 'routine'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;

export const OS_KINDS = ['linux', 'openbsd'] as const;
export const OsKind = z.enum(OS_KINDS);

export const Site = z.object({
  id: Id,
  name: Name,
  address: Text(300).default(''),
  notes: Text(2000).default(''),
});
export type Site = z.infer<typeof Site>;

export const SshAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent') }),
  z.object({ kind: z.literal('key'), keyPath: AbsolutePath }),
  z.object({ kind: z.literal('password') }),
]);

export const SshEndpoint = z.object({
  host: HostName,
  port: Port.default(22),
  user: UserName.default('root'),
  auth: SshAuth.default({ kind: 'agent' }),
  /** Another server of the inventory to hop through (ProxyJump). */
  jumpServerId: Id.nullable().default(null),
});

export const SupportContract = z.object({
  vendor: Text(120).default(''),
  contract: Text(120).default(''),
  phone: Text(60).default(''),
  hours: Text(120).default(''),
});

export const Server = z.object({
  id: Id,
  name: Slug,
  addresses: z.array(IpAddress).max(32).default([]),
  os: OsKind.default('linux'),
  ssh: SshEndpoint,
  role: Text(200).default(''),
  hardware: Text(500).default(''),
  power: Text(300).default(''),
  support: SupportContract.default({ vendor: '', contract: '', phone: '', hours: '' }),
  siteId: Id.nullable().default(null),
  notes: Text(2000).default(''),
});
export type Server = z.infer<typeof Server>;

export const Service = z.object({
  id: Id,
  name: Name,
  description: Text(1000).default(''),
  tier: Tier,
  rtoMinutes: Minutes,
  /** Null where there is no data to lose (a router, a phone system). */
  rpoMinutes: Minutes.nullable().default(null),
  costPerHour: z.number().min(0, 'cost cannot be negative').max(1e9).nullable().default(null),
  workaround: Text(1000).default(''),
  ownerContactId: Id.nullable().default(null),
  dependsOn: z.array(Id).max(100).default([]),
  groupId: Id.nullable().default(null),
  /** Name of an external provider when the service is hosted elsewhere ("" when in-house). */
  hostedBy: Text(120).default(''),
});
export type Service = z.infer<typeof Service>;

export const MEMBER_ROLES = ['primary', 'standby'] as const;
export const GroupMember = z.object({
  serverId: Id,
  role: z.enum(MEMBER_ROLES),
});
export type GroupMember = z.infer<typeof GroupMember>;

export const VipInterface = z.object({ serverId: Id, interface: InterfaceName });
export const Vip = z
  .object({
    address: IpAddress,
    prefix: z.int().default(24),
    interfaces: z.array(VipInterface).max(16).default([]),
  })
  .superRefine(refineVip);
export type Vip = z.infer<typeof Vip>;

export const DATA_KINDS = ['none', 'rsync', 'postgres', 'drbd', 'shared-disk', 'backup-restore'] as const;
export const DataKind = z.enum(DATA_KINDS);
export type DataKind = z.infer<typeof DataKind>;

/** A PostgreSQL database name as Lifeboat accepts it (it goes into shell words and conninfo strings). */
export const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const DatabaseName = z.string().regex(DATABASE_NAME, 'a database name: letters, digits and _');

/** Where a PostgreSQL cluster is and how to reach it: a group's data spec and the promote step share these fields. */
export const PostgresCluster = {
  port: Port.default(5432),
  dataDir: AbsolutePath,
  osUser: UserName.default('postgres'),
  database: DatabaseName.default('postgres'),
  /** Where the server's Unix socket lives ("" = the client's built-in default, e.g. /var/run/postgresql). */
  socketDir: z.union([z.literal(''), AbsolutePath]).default(''),
  /** Connect over TCP to this host instead of the socket ("" = the socket). */
  host: z.union([z.literal(''), HostName]).default(''),
};
export const DataSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('rsync'),
    paths: z.array(AbsolutePath).min(1, 'list at least one path to keep in sync').max(64),
    excludes: z.array(Text(200)).max(64).default([]),
    intervalMinutes: Minutes.default(15),
  }),
  z.object({ kind: z.literal('postgres'), ...PostgresCluster }),
  z.object({ kind: z.literal('drbd'), resource: UnitName, mountPoint: AbsolutePath, device: AbsolutePath }),
  z.object({ kind: z.literal('shared-disk'), device: AbsolutePath, mountPoint: AbsolutePath }),
  z.object({
    kind: z.literal('backup-restore'),
    backupPath: AbsolutePath,
    restoreCommand: Text(1000).default(''),
  }),
]);
export type DataSpec = z.infer<typeof DataSpec>;

export const ServiceGroup = z.object({
  id: Id,
  name: Slug,
  description: Text(1000).default(''),
  members: z.array(GroupMember).max(16).default([]),
  vips: z.array(Vip).max(16).default([]),
  data: DataSpec.default({ kind: 'none' }),
  processes: z.array(UnitName).max(32).default([]),
});
export type ServiceGroup = z.infer<typeof ServiceGroup>;

export const CONTACT_KINDS = ['internal', 'vendor'] as const;
export const Contact = z.object({
  id: Id,
  name: Name,
  role: Text(120).default(''),
  organisation: Text(120).default(''),
  kind: z.enum(CONTACT_KINDS).default('internal'),
  phones: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\+?[0-9 ()./-]{3,30}$/, 'a phone number: digits, spaces, + ( ) . / -'),
    )
    .max(8)
    .default([]),
  email: z.union([z.literal(''), z.email('not an email address')]).default(''),
  escalationOrder: z.int().min(1, 'escalation order starts at 1').max(99).default(1),
  notes: Text(1000).default(''),
});
export type Contact = z.infer<typeof Contact>;

export const Settings = z.object({
  companyName: Text(120).default(''),
  /** The turnaround the business asked for, in minutes (the boss's "under 30 minutes"). */
  targetMinutes: Minutes.nullable().default(null),
});
export type Settings = z.infer<typeof Settings>;

/** Everything in one workspace, as the UI and the plan file see it. */
export const Snapshot = z.object({
  settings: Settings,
  sites: z.array(Site),
  servers: z.array(Server),
  services: z.array(Service),
  groups: z.array(ServiceGroup),
  contacts: z.array(Contact),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** Inputs for saving: the id is absent for a new entity, present for an update. */
const optionalId = { id: Id.optional() };
export const SiteDraft = Site.extend(optionalId);
export const ServerDraft = Server.extend(optionalId);
export const ServiceDraft = Service.extend(optionalId);
export const ServiceGroupDraft = ServiceGroup.extend(optionalId);
export const ContactDraft = Contact.extend(optionalId);
export type SiteDraft = z.input<typeof SiteDraft>;
export type ServerDraft = z.input<typeof ServerDraft>;
export type ServiceDraft = z.input<typeof ServiceDraft>;
export type ServiceGroupDraft = z.input<typeof ServiceGroupDraft>;
export type ContactDraft = z.input<typeof ContactDraft>;
