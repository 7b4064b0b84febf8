/**
 * The plan file: the whole workspace as a versioned YAML document a team can keep in git.
 * Entities refer to each other by name, never by database id, so the file diffs cleanly and can be
 * written by hand. Parsing reports the line of every problem.
 */
import { LineCounter, parseDocument, stringify, isNode, type Document } from 'yaml';
import { z } from 'zod';
import {
  Contact,
  DataSpec,
  InterfaceName,
  IpAddress,
  Name,
  Server,
  Service,
  ServiceGroup,
  Settings,
  Site,
  Slug,
  SshAuth,
  SupportContract,
} from './domain';
import { refineVip } from './logic/vip-rules';
import type { Snapshot } from './domain';
import { LifeboatError, formatPath, type FieldIssue } from './errors';
import { findJumpCycle } from './logic/dependencies';

export const PLAN_FORMAT_VERSION = 1;

// Every object of the file is strict: a misspelt key is refused with its line, never silently dropped.
const noId = { id: true } as const;
const SiteEntry = Site.omit(noId).strict();
const ContactEntry = Contact.omit(noId).strict();
const AuthEntry = z.discriminatedUnion('kind', [
  SshAuth.options[0].strict(),
  SshAuth.options[1].strict(),
  SshAuth.options[2].strict(),
]);
const ServerEntry = Server.omit({ id: true, siteId: true, ssh: true, support: true })
  .extend({
    site: Name.nullable().default(null),
    ssh: Server.shape.ssh
      .omit({ jumpServerId: true })
      .extend({ auth: AuthEntry.default({ kind: 'agent' }), jump: Slug.nullable().default(null) })
      .strict(),
    support: SupportContract.strict().default({ vendor: '', contract: '', phone: '', hours: '' }),
  })
  .strict();
const VipEntry = z
  .object({
    address: IpAddress,
    prefix: z.int().default(24),
    /** member server name → interface on that member */
    interfaces: z.record(Slug, InterfaceName).default({}),
  })
  .strict()
  // The same rule as the form's.
  .superRefine(refineVip);
const DataEntry = z.discriminatedUnion('kind', [
  DataSpec.options[0].strict(),
  DataSpec.options[1].strict(),
  DataSpec.options[2].strict(),
  DataSpec.options[3].strict(),
  DataSpec.options[4].strict(),
  DataSpec.options[5].strict(),
]);
const GroupEntry = ServiceGroup.omit({ id: true, members: true, vips: true, data: true })
  .extend({
    members: z.array(z.object({ server: Slug, role: z.enum(['primary', 'standby']) }).strict()).default([]),
    vips: z.array(VipEntry).default([]),
    data: DataEntry.default({ kind: 'none' }),
  })
  .strict();
const ServiceEntry = Service.omit({ id: true, ownerContactId: true, dependsOn: true, groupId: true })
  .extend({
    owner: Name.nullable().default(null),
    dependsOn: z.array(Name).default([]),
    group: Slug.nullable().default(null),
  })
  .strict();

export const PlanDocument = z
  .object({
    lifeboat: z.literal(PLAN_FORMAT_VERSION, {
      error: `this is not a Lifeboat plan of format version ${PLAN_FORMAT_VERSION} (the file must start with "lifeboat: ${PLAN_FORMAT_VERSION}")`,
    }),
    company: Settings.strict().default({ companyName: '', targetMinutes: null }),
    sites: z.array(SiteEntry).default([]),
    contacts: z.array(ContactEntry).default([]),
    servers: z.array(ServerEntry).default([]),
    groups: z.array(GroupEntry).default([]),
    services: z.array(ServiceEntry).default([]),
  })
  .strict();
export type PlanDocument = z.output<typeof PlanDocument>;
export type PlanDocumentInput = z.input<typeof PlanDocument>;

/** Snapshot → plan document (names instead of ids). */
export function snapshotToPlan(snapshot: Snapshot): PlanDocument {
  const siteName = new Map(snapshot.sites.map((s) => [s.id, s.name]));
  const serverName = new Map(snapshot.servers.map((s) => [s.id, s.name]));
  const contactName = new Map(snapshot.contacts.map((c) => [c.id, c.name]));
  const groupName = new Map(snapshot.groups.map((g) => [g.id, g.name]));
  const serviceName = new Map(snapshot.services.map((s) => [s.id, s.name]));
  const named = <T>(map: Map<number, T>, id: number | null): T | null => (id === null ? null : (map.get(id) ?? null));
  return {
    lifeboat: PLAN_FORMAT_VERSION,
    company: snapshot.settings,
    sites: snapshot.sites.map(({ id: _id, ...site }) => site),
    contacts: snapshot.contacts.map(({ id: _id, ...contact }) => contact),
    servers: snapshot.servers.map(({ id: _id, siteId, ssh, ...server }) => {
      const { jumpServerId, ...endpoint } = ssh;
      return { ...server, site: named(siteName, siteId), ssh: { ...endpoint, jump: named(serverName, jumpServerId) } };
    }),
    groups: snapshot.groups.map(({ id: _id, members, vips, ...group }) => ({
      ...group,
      members: members.map((m) => ({ server: serverName.get(m.serverId) ?? '', role: m.role })),
      vips: vips.map((v) => ({
        address: v.address,
        prefix: v.prefix,
        interfaces: Object.fromEntries(v.interfaces.map((i) => [serverName.get(i.serverId) ?? '', i.interface])),
      })),
    })),
    services: snapshot.services.map(({ id: _id, ownerContactId, dependsOn, groupId, ...service }) => ({
      ...service,
      owner: named(contactName, ownerContactId),
      dependsOn: dependsOn.map((d) => serviceName.get(d) ?? ''),
      group: named(groupName, groupId),
    })),
  };
}

const HEADER = `# Lifeboat disaster-recovery plan file (format version ${PLAN_FORMAT_VERSION}).
# Keep it in git; import it with \`lifeboat import FILE\` or the app's File menu.
# Entities refer to each other by name. Tiers: critical | important | routine.
# Minutes: rtoMinutes / rpoMinutes (rpoMinutes: null where no data can be lost).
# Group data kinds: none | rsync | postgres | drbd | shared-disk | backup-restore.
# No secrets belong here: SSH keys are referenced by path, passwords never.
`;

/** Plan document → YAML text with a documenting header. */
export function planToYaml(plan: PlanDocument): string {
  return HEADER + stringify(plan, { lineWidth: 100 });
}

export interface ParsedPlan {
  plan: PlanDocument;
}

/**
 * YAML text → validated plan document. Throws LifeboatError('invalid_input') whose issues carry
 * the path and a message that starts with the line number.
 */
export function parsePlanYaml(text: string): PlanDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.slice(0, 10).map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { path: [], message: `line ${pos.line}: ${e.message.split('\n')[0]}` };
    });
    throw new LifeboatError('invalid_input', `The plan file is not valid YAML: ${issues[0].message}`, issues);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new LifeboatError('invalid_input', `The plan file cannot be read: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LifeboatError(
      'invalid_input',
      'The plan file is empty or is not a mapping of sections (lifeboat, company, servers, …)',
    );
  }
  const result = PlanDocument.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 20)
      .map((issue) => located(doc, lineCounter, issue.path as (string | number)[], issue.message));
    throw new LifeboatError(
      'invalid_input',
      `The plan file has ${result.error.issues.length} problem(s); first: ${issues[0].message}`,
      issues,
    );
  }
  checkReferences(result.data, doc, lineCounter);
  return result.data;
}

function located(doc: Document, lineCounter: LineCounter, path: (string | number)[], message: string): FieldIssue {
  const line = lineOf(doc, lineCounter, path);
  const where = formatPath(path) || 'top level';
  return { path, message: `${line ? `line ${line}, ` : ''}${where}: ${message}` };
}

function lineOf(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}

/** Names must be unique per kind and every reference must name something that exists. */
function checkReferences(plan: PlanDocument, doc: Document, lineCounter: LineCounter): void {
  const issues: FieldIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push(located(doc, lineCounter, path, message));
  const unique = (section: keyof PlanDocument, names: string[]) => {
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (seen.has(name)) add([section, i, 'name'], `"${name}" appears twice in ${section}`);
      seen.add(name);
    });
    return seen;
  };
  const sites = unique(
    'sites',
    plan.sites.map((s) => s.name),
  );
  const contacts = unique(
    'contacts',
    plan.contacts.map((c) => c.name),
  );
  const servers = unique(
    'servers',
    plan.servers.map((s) => s.name),
  );
  const groups = unique(
    'groups',
    plan.groups.map((g) => g.name),
  );
  const services = unique(
    'services',
    plan.services.map((s) => s.name),
  );

  plan.servers.forEach((s, i) => {
    if (s.site !== null && !sites.has(s.site)) add(['servers', i, 'site'], `no site named "${s.site}"`);
    if (s.ssh.jump !== null && !servers.has(s.ssh.jump))
      add(['servers', i, 'ssh', 'jump'], `no server named "${s.ssh.jump}"`);
    if (s.ssh.jump === s.name) add(['servers', i, 'ssh', 'jump'], 'a server cannot be its own jump host');
  });
  const serverIndex = new Map(plan.servers.map((s, i) => [s.name, i]));
  const jumpCycle = findJumpCycle(
    plan.servers.map((s, i) => ({
      id: i,
      name: s.name,
      jumpId: s.ssh.jump === null || s.ssh.jump === s.name ? null : (serverIndex.get(s.ssh.jump) ?? null),
    })),
  );
  if (jumpCycle)
    add(
      ['servers', serverIndex.get(jumpCycle[0])!, 'ssh', 'jump'],
      `jump hosts make a cycle: ${jumpCycle.join(' → ')}`,
    );
  plan.groups.forEach((g, i) => {
    g.members.forEach((m, j) => {
      if (!servers.has(m.server)) add(['groups', i, 'members', j, 'server'], `no server named "${m.server}"`);
    });
    g.vips.forEach((v, j) => {
      for (const server of Object.keys(v.interfaces)) {
        if (!g.members.some((m) => m.server === server)) {
          add(['groups', i, 'vips', j, 'interfaces', server], `"${server}" is not a member of group "${g.name}"`);
        }
      }
    });
  });
  plan.services.forEach((s, i) => {
    if (s.owner !== null && !contacts.has(s.owner)) add(['services', i, 'owner'], `no contact named "${s.owner}"`);
    if (s.group !== null && !groups.has(s.group)) add(['services', i, 'group'], `no service group named "${s.group}"`);
    s.dependsOn.forEach((d, j) => {
      if (!services.has(d)) add(['services', i, 'dependsOn', j], `no service named "${d}"`);
    });
  });
  if (issues.length > 0) {
    throw new LifeboatError(
      'invalid_input',
      `The plan file has ${issues.length} problem(s); first: ${issues[0].message}`,
      issues,
    );
  }
}
