/** Small builders for the plan tests: services, groups and snapshots with sensible defaults. */
import type { Contact, Server, Service, ServiceGroup, Snapshot } from '../../../shared/domain';
import { PlanDocument, type PlanDocumentInput } from '../../../shared/plan-file';
import { exampleCompany } from '../../../shared/example-company';

/** A service with defaults; override what the test is about. */
export function service(id: number, name: string, extra: Partial<Service> = {}): Service {
  return {
    id,
    name,
    description: '',
    tier: 'critical',
    rtoMinutes: 30,
    rpoMinutes: null,
    costPerHour: null,
    workaround: 'paper',
    ownerContactId: 1,
    dependsOn: [],
    groupId: null,
    hostedBy: '',
    ...extra,
  };
}

export function server(id: number, name: string, extra: Partial<Server> = {}): Server {
  const host = `192.0.2.${id}`;
  return {
    id,
    name,
    addresses: [host],
    os: 'linux',
    ssh: { host, port: 22, user: 'root', auth: { kind: 'agent' }, jumpServerId: null },
    role: '',
    hardware: '',
    power: '',
    support: { vendor: '', contract: '', phone: '', hours: '' },
    siteId: null,
    notes: '',
    ...extra,
  };
}

/** A pair group: primary and standby, one VIP on eth0. */
export function pairGroup(
  id: number,
  name: string,
  primary: number,
  standby: number | null,
  extra: Partial<ServiceGroup> = {},
): ServiceGroup {
  const members = [
    { serverId: primary, role: 'primary' as const },
    ...(standby === null ? [] : [{ serverId: standby, role: 'standby' as const }]),
  ];
  return {
    id,
    name,
    description: '',
    members,
    vips:
      standby === null
        ? []
        : [
            {
              address: `192.0.2.${100 + id}`,
              prefix: 24,
              interfaces: members.map((m) => ({ serverId: m.serverId, interface: 'eth0' })),
            },
          ],
    data: { kind: 'none' },
    processes: [],
    ...extra,
  };
}

export function contact(id: number, name: string, extra: Partial<Contact> = {}): Contact {
  return {
    id,
    name,
    role: 'IT admin',
    organisation: '',
    kind: 'internal',
    phones: ['+44 7700 900101'],
    email: '',
    escalationOrder: id,
    notes: '',
    ...extra,
  };
}

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return {
    settings: { companyName: 'Test Ltd', targetMinutes: null },
    sites: [],
    servers: [],
    services: [],
    groups: [],
    contacts: [contact(1, 'Admin')],
    ...parts,
  };
}

/** The example company as a snapshot with ids assigned in file order (as an import would). */
export function exampleSnapshot(input: PlanDocumentInput = exampleCompany()): Snapshot {
  const plan = PlanDocument.parse(input);
  const ids = <T extends { name: string }>(list: T[]) => new Map(list.map((item, i) => [item.name, i + 1]));
  const sites = ids(plan.sites);
  const contacts = ids(plan.contacts);
  const servers = ids(plan.servers);
  const groups = ids(plan.groups);
  const services = ids(plan.services);
  return {
    settings: plan.company,
    sites: plan.sites.map((s, i) => ({ ...s, id: i + 1 })),
    contacts: plan.contacts.map((c, i) => ({ ...c, id: i + 1 })),
    servers: plan.servers.map(({ site, ssh, ...s }, i) => {
      const { jump, ...endpoint } = ssh;
      return {
        ...s,
        id: i + 1,
        siteId: site === null ? null : sites.get(site)!,
        ssh: { ...endpoint, jumpServerId: jump === null ? null : servers.get(jump)! },
      };
    }),
    groups: plan.groups.map((g, i) => ({
      ...g,
      id: i + 1,
      members: g.members.map((m) => ({ serverId: servers.get(m.server)!, role: m.role })),
      vips: g.vips.map((v) => ({
        address: v.address,
        prefix: v.prefix,
        interfaces: Object.entries(v.interfaces).map(([name, itf]) => ({
          serverId: servers.get(name)!,
          interface: itf,
        })),
      })),
    })),
    services: plan.services.map(({ owner, group, dependsOn, ...s }, i) => ({
      ...s,
      id: i + 1,
      ownerContactId: owner === null ? null : contacts.get(owner)!,
      groupId: group === null ? null : groups.get(group)!,
      dependsOn: dependsOn.map((d) => services.get(d)!),
    })),
  };
}
