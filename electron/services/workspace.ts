/** The workspace as a whole: snapshot, first-run templates, and the plan file round trip. */
import type { ServiceContext } from './context';
import type { Snapshot } from '../../shared/domain';
import { LifeboatError, type FieldIssue } from '../../shared/errors';
import { parsePlanYaml, planToYaml, snapshotToPlan, PlanDocument, type PlanDocumentInput } from '../../shared/plan-file';
import { exampleCompany } from '../../shared/example-company';
import { listSites, saveSite } from '../db/repositories/sites';
import { listServers, saveServer } from '../db/repositories/servers';
import { listContacts, saveContact } from '../db/repositories/contacts';
import { listGroups, saveGroup } from '../db/repositories/groups';
import { listServices, saveServiceRow, setDependencies } from '../db/repositories/services';
import { getFlag, getSettings, saveSettings, setFlag } from '../db/repositories/settings';
import { schemaVersion } from '../db/migrate';
import { checkGroup, checkServer, checkService } from './rules';
import type { ImportSummary } from '../../shared/contract/index';

export function snapshot({ db }: ServiceContext): Snapshot {
  return db.transaction(() => ({
    settings: getSettings(db),
    sites: listSites(db),
    servers: listServers(db),
    services: listServices(db),
    groups: listGroups(db),
    contacts: listContacts(db),
  }))();
}

export function info(ctx: ServiceContext) {
  return {
    path: ctx.dbPath,
    schemaVersion: schemaVersion(ctx.db),
    initialised: getFlag(ctx.db, '_initialised') === true,
    appVersion: ctx.appVersion,
  };
}

export function exportPlan(ctx: ServiceContext): { yaml: string } {
  return { yaml: planToYaml(snapshotToPlan(snapshot(ctx))) };
}

export function importPlan(ctx: ServiceContext, yaml: string): ImportSummary {
  return replaceWorkspace(ctx, parsePlanYaml(yaml));
}

export function createWorkspace(ctx: ServiceContext, template: 'empty' | 'example', companyName?: string): Snapshot {
  const plan: PlanDocumentInput = template === 'example' ? exampleCompany() : { lifeboat: 1 };
  const parsed = PlanDocument.parse(plan);
  if (companyName !== undefined && companyName.trim() !== '') parsed.company.companyName = companyName.trim();
  replaceWorkspace(ctx, parsed);
  return snapshot(ctx);
}

const TABLES_IN_DELETE_ORDER = [
  'service_dependencies',
  'services',
  'vip_interfaces',
  'group_vips',
  'group_members',
  'service_groups',
  'contacts',
  'servers',
  'sites',
  'settings',
] as const;

/** Replace everything with a plan, in one transaction: on any problem nothing changes. */
export function replaceWorkspace({ db }: ServiceContext, plan: PlanDocument): ImportSummary {
  return db.transaction(() => {
    for (const table of TABLES_IN_DELETE_ORDER) db.prepare(`DELETE FROM ${table}`).run();
    saveSettings(db, plan.company);
    setFlag(db, '_initialised', true);

    const siteIds = new Map(plan.sites.map((s) => [s.name, saveSite(db, s).id]));
    const contactIds = new Map(plan.contacts.map((c) => [c.name, saveContact(db, c).id]));
    const serverIds = new Map<string, number>();
    plan.servers.forEach((entry, i) =>
      within(['servers', i], () => {
        const { site, ssh, ...rest } = entry;
        const { jump: _jump, ...endpoint } = ssh;
        const draft = { ...rest, siteId: site === null ? null : siteIds.get(site)!, ssh: { ...endpoint, jumpServerId: null } };
        checkServer(db, draft);
        serverIds.set(entry.name, saveServer(db, draft).id);
      }),
    );
    plan.servers.forEach((entry, i) => {
      if (entry.ssh.jump !== null) {
        within(['servers', i], () =>
          db.prepare('UPDATE servers SET jump_server_id = ? WHERE id = ?').run(serverIds.get(entry.ssh.jump!)!, serverIds.get(entry.name)!),
        );
      }
    });
    const groupIds = new Map<string, number>();
    plan.groups.forEach((entry, i) =>
      within(['groups', i], () => {
        const draft = {
          ...entry,
          members: entry.members.map((m) => ({ serverId: serverIds.get(m.server)!, role: m.role })),
          vips: entry.vips.map((v) => ({
            address: v.address,
            prefix: v.prefix,
            interfaces: Object.entries(v.interfaces).map(([server, itf]) => ({ serverId: serverIds.get(server)!, interface: itf })),
          })),
        };
        checkGroup(db, draft);
        groupIds.set(entry.name, saveGroup(db, draft).id);
      }),
    );
    const serviceIds = new Map<string, number>();
    const drafts = plan.services.map((entry) => {
      const { owner, group, dependsOn: _deps, ...rest } = entry;
      const draft = { ...rest, ownerContactId: owner === null ? null : contactIds.get(owner)!, groupId: group === null ? null : groupIds.get(group)!, dependsOn: [] as number[] };
      serviceIds.set(entry.name, saveServiceRow(db, draft));
      return draft;
    });
    plan.services.forEach((entry, i) =>
      within(['services', i], () => {
        const id = serviceIds.get(entry.name)!;
        const dependsOn = entry.dependsOn.map((name) => serviceIds.get(name)!);
        checkService(db, { ...drafts[i], id, dependsOn });
        setDependencies(db, id, dependsOn);
      }),
    );
    return {
      sites: plan.sites.length,
      servers: plan.servers.length,
      services: plan.services.length,
      groups: plan.groups.length,
      contacts: plan.contacts.length,
    };
  })();
}

/** Re-throw a rule failure with the plan's path in front of the field path. */
function within<T>(prefix: (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof LifeboatError)) throw error;
    const issues: FieldIssue[] = (error.issues ?? [{ path: [], message: error.message }]).map((i) => ({ path: [...prefix, ...i.path], message: i.message }));
    throw new LifeboatError(error.code, `${prefix.join('.')}: ${error.message}`, issues);
  }
}
