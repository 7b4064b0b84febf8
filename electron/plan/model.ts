/**
 * The DR plan as data: everything the HTML, Markdown and PDF print, with names instead of database
 * ids so the content hash does not change when a workspace is re-imported. `content` is what the
 * hash covers; `meta` (revision, date, hash) and the change log are about the export itself.
 */
import type { Contact, DataSpec, Server, Service, ServiceGroup, Snapshot, Tier } from '../../shared/domain';
import { TIER_RANK, describeExpected, formatMinutes } from '../../shared/logic/recovery-order';
import { SOURCE_CODES, type NextAction, type ReadinessEvidence } from '../../shared/logic/readiness';
import type { OutageImpact } from '../../shared/logic/impact';
import type { PlanAnalysis } from './analysis';
import { generateOutline, type RunbookOutline } from './outline';
import type { GroupRunbooks, PrintedRunbook } from './runbooks';

export interface ContactEntry {
  order: number;
  name: string;
  role: string;
  organisation: string;
  phones: string[];
  email: string;
  notes: string;
  /** Services this contact owns. */
  owns: string[];
}
export interface ServiceEntry {
  name: string;
  description: string;
  tier: Tier;
  rtoMinutes: number;
  rpoMinutes: number | null;
  costPerHour: number | null;
  workaround: string;
  owner: string;
  /** Group name, "hosted by …", or "nothing". */
  runsOn: string;
  dependsOn: string[];
}
export interface OrderEntry {
  step: number;
  name: string;
  tier: Tier;
  rtoMinutes: number;
  after: string[];
  expected: string;
  withinRto: boolean | null;
}
export interface GroupEntry {
  anchor: string;
  name: string;
  description: string;
  services: string[];
  members: { name: string; role: string; host: string; addresses: string[]; os: string }[];
  vips: { address: string; prefix: number; interfaces: { server: string; interface: string }[] }[];
  data: string;
  processes: string[];
  /** Who does the technical steps. */
  technician: string;
  /** Pre-flight checks and verification for a person; the steps themselves when `runbooks` is empty. */
  outline: RunbookOutline;
  /** What the failover engine would run: the move to each standby, then the switchback. */
  runbooks: PrintedRunbook[];
  /** Why the engine has no runbook for a group that has a standby (for example a step no longer fits). */
  runbookProblem: string | null;
}
export interface ServerEntry {
  name: string;
  role: string;
  os: string;
  addresses: string[];
  ssh: string;
  hardware: string;
  power: string;
  site: string;
  support: Server['support'];
  notes: string;
  groups: string[];
}
export interface ExternalEntry {
  name: string;
  tier: Tier;
  provider: string;
  contact: string;
  phones: string[];
  workaround: string;
}

export interface PlanContent {
  company: string;
  targetMinutes: number | null;
  readiness: {
    score: number;
    sources: { runbooks: boolean; drills: boolean; health: boolean };
    next: NextAction[];
    /** Per service, the gaps of that service: parts of Lifeboat not set up yet are said once, not per service. */
    services: { name: string; tier: Tier; score: number; reasons: { text: string; fix: string }[] }[];
  };
  roles: { declarer: string; technicians: string[] };
  callTree: ContactEntry[];
  vendors: ContactEntry[];
  supportContracts: (Server['support'] & { server: string })[];
  services: ServiceEntry[];
  order: OrderEntry[];
  groups: GroupEntry[];
  hosted: ExternalEntry[];
  noFailover: ExternalEntry[];
  servers: ServerEntry[];
  sites: { name: string; address: string; notes: string }[];
  impact: Omit<OutageImpact, 'serviceId'>[];
  singlePoints: { service: string; causes: string[] }[];
  drills: { recorded: boolean; rows: { group: string; finishedAt: string; minutes: number; succeeded: boolean }[] };
}

export interface ChangeLogEntry {
  number: number;
  date: string;
  sha256: string;
  formats: string[];
  summary: string;
}

export interface PlanMeta {
  revision: number;
  /** False while this content has not been exported yet (a preview of the next revision). */
  recorded: boolean;
  generatedAt: string;
  hash: string;
  appVersion: string;
}

export interface PlanModel {
  meta: PlanMeta;
  content: PlanContent;
  changeLog: ChangeLogEntry[];
  map: { svg: string; width: number; height: number } | null;
}

const personLabel = (c: Contact): string => (c.role.trim() ? `${c.name}, ${c.role.trim()}` : c.name);

/** Build the content of the plan from the workspace and its analysis. */
export function buildPlanContent(
  snapshot: Snapshot,
  analysis: PlanAnalysis,
  evidence: ReadinessEvidence = {},
  runbooks: ReadonlyMap<number, GroupRunbooks> = new Map(),
): PlanContent {
  const servers = new Map(snapshot.servers.map((s) => [s.id, s]));
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const contacts = new Map(snapshot.contacts.map((c) => [c.id, c]));
  const serviceNames = new Map(snapshot.services.map((s) => [s.id, s.name]));
  const sites = new Map(snapshot.sites.map((s) => [s.id, s.name]));
  const urgent = [...snapshot.services].sort(
    (a, b) =>
      TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
      (b.costPerHour ?? 0) - (a.costPerHour ?? 0) ||
      a.name.localeCompare(b.name, 'en'),
  );
  const internal = snapshot.contacts.filter((c) => c.kind === 'internal');
  const declarerContact = internal.find((c) => /declar/i.test(c.role)) ?? internal[0];
  const declarer = declarerContact ? personLabel(declarerContact) : 'whoever declares a disaster (no contact recorded)';
  const fallbackTech = internal[0] ? personLabel(internal[0]) : 'the IT admin (no contact recorded)';
  const ownerOf = (s: Service) => (s.ownerContactId === null ? undefined : contacts.get(s.ownerContactId));
  const servicesOf = (g: ServiceGroup) => urgent.filter((s) => s.groupId === g.id);
  const technicianFor = (g: ServiceGroup) => {
    const owner = servicesOf(g)
      .map(ownerOf)
      .find((c) => c?.kind === 'internal');
    return owner ? personLabel(owner) : fallbackTech;
  };
  const contactEntry = (c: Contact): ContactEntry => ({
    order: c.escalationOrder,
    name: c.name,
    role: c.role,
    organisation: c.organisation,
    phones: c.phones,
    email: c.email,
    notes: c.notes,
    owns: urgent.filter((s) => s.ownerContactId === c.id).map((s) => s.name),
  });
  const external = (s: Service, provider: string): ExternalEntry => ({
    name: s.name,
    tier: s.tier,
    provider,
    contact: ownerOf(s) ? personLabel(ownerOf(s)!) : 'no contact recorded',
    phones: ownerOf(s)?.phones ?? [],
    workaround: s.workaround,
  });
  // Groups in recovery order: by the first step that needs them.
  const stepOf = new Map(analysis.order.map((o) => [o.serviceId, o.step]));
  const groupRank = (g: ServiceGroup) => Math.min(Infinity, ...servicesOf(g).map((s) => stepOf.get(s.id) ?? Infinity));
  const orderedGroups = [...snapshot.groups].sort(
    (a, b) => groupRank(a) - groupRank(b) || a.name.localeCompare(b.name, 'en'),
  );
  const groupEntries = orderedGroups.map((group, index): GroupEntry => ({
    anchor: `group-${index + 1}`,
    name: group.name,
    description: group.description,
    services: servicesOf(group).map((s) => s.name),
    members: group.members.flatMap((m) => {
      const server = servers.get(m.serverId);
      return server
        ? [{ name: server.name, role: m.role, host: server.ssh.host, addresses: server.addresses, os: server.os }]
        : [];
    }),
    vips: group.vips.map((v) => ({
      address: v.address,
      prefix: v.prefix,
      interfaces: v.interfaces.map((i) => ({ server: servers.get(i.serverId)?.name ?? '?', interface: i.interface })),
    })),
    data: describeData(group.data),
    processes: group.processes,
    technician: technicianFor(group),
    outline: generateOutline({
      group,
      services: servicesOf(group),
      servers,
      technician: technicianFor(group),
      declarer,
    }),
    runbooks: runbooks.get(group.id)?.runbooks ?? [],
    runbookProblem: runbooks.get(group.id)?.problem ?? null,
  }));

  return {
    company: snapshot.settings.companyName,
    targetMinutes: snapshot.settings.targetMinutes,
    readiness: {
      score: analysis.readiness.score,
      sources: analysis.readiness.sources,
      next: analysis.readiness.next,
      services: analysis.readiness.services.map((s) => ({
        name: s.name,
        tier: s.tier,
        score: s.score,
        reasons: s.reasons.filter((r) => !SOURCE_CODES.has(r.code)).map((r) => ({ text: r.text, fix: r.fix })),
      })),
    },
    roles: { declarer, technicians: [...new Set(orderedGroups.map(technicianFor))] },
    callTree: internal.map(contactEntry),
    vendors: snapshot.contacts.filter((c) => c.kind === 'vendor').map(contactEntry),
    supportContracts: snapshot.servers
      .filter((s) => s.support.vendor.trim() || s.support.phone.trim())
      .map((s) => ({ server: s.name, ...s.support })),
    services: urgent.map((s) => ({
      name: s.name,
      description: s.description,
      tier: s.tier,
      rtoMinutes: s.rtoMinutes,
      rpoMinutes: s.rpoMinutes,
      costPerHour: s.costPerHour,
      workaround: s.workaround,
      owner: ownerOf(s)?.name ?? '',
      runsOn: s.hostedBy.trim()
        ? `hosted by ${s.hostedBy.trim()}`
        : s.groupId !== null && groups.has(s.groupId)
          ? `group ${groups.get(s.groupId)!.name}`
          : 'nothing recorded',
      dependsOn: s.dependsOn.map((d) => serviceNames.get(d) ?? '?'),
    })),
    order: analysis.order.map((o) => ({
      step: o.step,
      name: o.name,
      tier: o.tier,
      rtoMinutes: o.rtoMinutes,
      after: o.after,
      expected: describeExpected(o),
      withinRto: o.withinRto,
    })),
    groups: groupEntries,
    hosted: urgent.filter((s) => s.hostedBy.trim()).map((s) => external(s, s.hostedBy.trim())),
    noFailover: urgent
      .filter((s) => !s.hostedBy.trim() && (s.groupId === null || !groups.has(s.groupId)))
      .map((s) => external(s, '')),
    servers: snapshot.servers.map((s) => ({
      name: s.name,
      role: s.role,
      os: s.os === 'openbsd' ? 'OpenBSD' : 'Linux',
      addresses: s.addresses,
      // The key path is not a secret, but the printed plan leaves it out all the same.
      ssh: `${s.ssh.user}@${s.ssh.host}${s.ssh.port === 22 ? '' : ` port ${s.ssh.port}`}${s.ssh.jumpServerId !== null ? ` via ${servers.get(s.ssh.jumpServerId)?.name ?? '?'}` : ''}`,
      hardware: s.hardware,
      power: s.power,
      site: s.siteId === null ? '' : (sites.get(s.siteId) ?? ''),
      support: s.support,
      notes: s.notes,
      groups: snapshot.groups.filter((g) => g.members.some((m) => m.serverId === s.id)).map((g) => g.name),
    })),
    sites: snapshot.sites.map(({ name, address, notes }) => ({ name, address, notes })),
    impact: analysis.impact.services.map(({ serviceId: _id, ...rest }) => rest),
    singlePoints: analysis.singlePoints.map((p) => ({
      service: p.name,
      causes: p.causes.map((c) =>
        c.groupId === null
          ? `${c.serviceName} runs on no service group`
          : `${c.serviceName} runs on group ${groups.get(c.groupId)?.name ?? '?'} (${c.serverIds.map((id) => servers.get(id)?.name ?? '?').join(', ') || 'no members'}) with no standby`,
      ),
    })),
    drills: {
      recorded: evidence.drills !== undefined,
      rows: (evidence.drills ?? []).map((d) => ({
        group: groups.get(d.groupId)?.name ?? '?',
        finishedAt: d.finishedAt,
        minutes: d.minutes,
        succeeded: d.succeeded,
      })),
    },
  };
}

/** One line saying how a group's data reaches the standby. */
export function describeData(data: DataSpec): string {
  switch (data.kind) {
    case 'none':
      return 'No data to keep in step (nothing is lost on failover)';
    case 'rsync':
      return `rsync of ${data.paths.join(', ')} every ${formatMinutes(data.intervalMinutes)}, only from the holder of the group's address${data.excludes.length ? ` (excluding ${data.excludes.join(', ')})` : ''}`;
    case 'postgres':
      return `PostgreSQL streaming replication: database ${data.database} on port ${data.port}, data directory ${data.dataDir}, OS user ${data.osUser}`;
    case 'drbd':
      return `DRBD resource ${data.resource} (${data.device}) mounted on ${data.mountPoint}`;
    case 'shared-disk':
      return `Shared disk ${data.device} mounted on ${data.mountPoint} (on one server at a time)`;
    case 'backup-restore':
      return `Restored from the backups in ${data.backupPath}`;
  }
}
