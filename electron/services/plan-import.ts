/**
 * Replacing the workspace with a plan. Entities are matched by name and updated in place, so their
 * ids survive: the checks, runbooks, runs and audit rows that refer to a server or group by id stay
 * attached to it. Only what belonged to an entity that is no longer in the plan goes, and the
 * summary names it.
 */
import type { Db } from '../db/connection';
import type { ServiceContext } from '../ports/context';
import type { PlanDocument } from '../../shared/plan-file';
import type { ImportSummary } from '../../shared/contract/index';
import { LifeboatError, type FieldIssue } from '../../shared/errors';
import { saveSite } from '../db/repositories/sites';
import { saveServer } from '../db/repositories/servers';
import { saveContact } from '../db/repositories/contacts';
import { saveGroup } from '../db/repositories/groups';
import { saveServiceRow, setDependencies } from '../db/repositories/services';
import { saveSettings, setFlag } from '../db/repositories/settings';
import { entityIdByName, type NamedTable } from '../db/repositories/inventory';
import {
  clearInventoryReferences,
  deleteCompanySettings,
  deleteEntitiesNotNamed,
  deleteStaleRunbooks,
  listCheckReferences,
  listRunbookEnds,
  listRunningRuns,
  setJumpServer,
} from '../db/repositories/workspace-replace';
import { validateGroup, validateServer, validateService } from './rules';

/** Replace everything with a plan, in one transaction: on any problem nothing changes. */
export function replaceWorkspace({ db }: ServiceContext, plan: PlanDocument): ImportSummary {
  return db.transaction(() => {
    refuseDuringRun(db);
    const dropped = losses(db, plan);
    // Loosen every reference the plan sets again, so nothing restricts the deletes below.
    clearInventoryReferences(db);
    const kept: [NamedTable, { name: string }[]][] = [
      ['services', plan.services],
      ['service_groups', plan.groups],
      ['servers', plan.servers],
      ['contacts', plan.contacts],
      ['sites', plan.sites],
    ];
    for (const [table, entries] of kept)
      deleteEntitiesNotNamed(
        db,
        table,
        entries.map((entry) => entry.name),
      );
    deleteCompanySettings(db);
    saveSettings(db, plan.company);
    setFlag(db, '_initialised', true);

    const siteIds = new Map(
      plan.sites.map((s) => [s.name, saveSite(db, { ...s, id: entityIdByName(db, 'sites', s.name) }).id]),
    );
    const contactIds = new Map(
      plan.contacts.map((c) => [c.name, saveContact(db, { ...c, id: entityIdByName(db, 'contacts', c.name) }).id]),
    );
    const serverIds = new Map<string, number>();
    plan.servers.forEach((entry, i) =>
      within(['servers', i], () => {
        const { site, ssh, ...rest } = entry;
        const { jump: _jump, ...endpoint } = ssh;
        const draft = {
          ...rest,
          id: entityIdByName(db, 'servers', entry.name),
          siteId: site === null ? null : siteIds.get(site)!,
          ssh: { ...endpoint, jumpServerId: null },
        };
        validateServer(db, draft);
        serverIds.set(entry.name, saveServer(db, draft).id);
      }),
    );
    for (const entry of plan.servers) {
      if (entry.ssh.jump !== null) setJumpServer(db, serverIds.get(entry.name)!, serverIds.get(entry.ssh.jump)!);
    }
    const groupIds = new Map<string, number>();
    plan.groups.forEach((entry, i) =>
      within(['groups', i], () => {
        const draft = {
          ...entry,
          id: entityIdByName(db, 'service_groups', entry.name),
          members: entry.members.map((m) => ({ serverId: serverIds.get(m.server)!, role: m.role })),
          vips: entry.vips.map((v) => ({
            address: v.address,
            prefix: v.prefix,
            interfaces: Object.entries(v.interfaces).map(([server, itf]) => ({
              serverId: serverIds.get(server)!,
              interface: itf,
            })),
          })),
        };
        validateGroup(db, draft);
        groupIds.set(entry.name, saveGroup(db, draft).id);
      }),
    );
    deleteStaleRunbooks(db);
    const serviceIds = new Map<string, number>();
    const drafts = plan.services.map((entry) => {
      const { owner, group, dependsOn: _deps, ...rest } = entry;
      const draft = {
        ...rest,
        id: entityIdByName(db, 'services', entry.name),
        ownerContactId: owner === null ? null : contactIds.get(owner)!,
        groupId: group === null ? null : groupIds.get(group)!,
        dependsOn: [] as number[],
      };
      serviceIds.set(entry.name, saveServiceRow(db, draft));
      return draft;
    });
    plan.services.forEach((entry, i) =>
      within(['services', i], () => {
        const id = serviceIds.get(entry.name)!;
        const dependsOn = entry.dependsOn.map((name) => serviceIds.get(name)!);
        validateService(db, { ...drafts[i], id, dependsOn });
        setDependencies(db, id, dependsOn);
      }),
    );
    return {
      sites: plan.sites.length,
      servers: plan.servers.length,
      services: plan.services.length,
      groups: plan.groups.length,
      contacts: plan.contacts.length,
      dropped,
    };
  })();
}

/** Replacing the inventory under a running failover would change the hosts and addresses it works on. */
function refuseDuringRun(db: Db): void {
  const running = listRunningRuns(db);
  if (running.length > 0) {
    const which = running.map((r) => `group "${r.groupName}" (run ${r.id})`).join(', ');
    throw new LifeboatError(
      'conflict',
      `A failover is running for ${which}; replace the workspace after it has finished.`,
    );
  }
}

/** Sentences for the checks and runbooks that this plan removes, computed before anything changes. */
function losses(db: Db, plan: PlanDocument): string[] {
  const servers = new Set(plan.servers.map((s) => s.name));
  const groups = new Map(plan.groups.map((g) => [g.name, new Set(g.members.map((m) => m.server))]));
  const services = new Set(plan.services.map((s) => s.name));
  const out: string[] = [];
  const checks = listCheckReferences(db);
  for (const c of checks) {
    if (c.server !== null && !servers.has(c.server))
      out.push(`check "${c.name}": server "${c.server}" is not in the plan`);
    else if (c.grp !== null && !groups.has(c.grp)) out.push(`check "${c.name}": group "${c.grp}" is not in the plan`);
    else if (c.service !== null && !services.has(c.service))
      out.push(`check "${c.name}" no longer names service "${c.service}" in its alerts`);
  }
  const runbooks = listRunbookEnds(db);
  for (const r of runbooks) {
    const members = groups.get(r.grp);
    const gone = !members
      ? `group "${r.grp}" is not in the plan`
      : [r.source, r.target].filter((s) => !members.has(s)).map((s) => `"${s}" is no longer a member`)[0];
    if (gone) out.push(`runbook of group "${r.grp}" to "${r.target}": ${gone}`);
  }
  return out;
}

/** Re-throw a rule failure with the plan's path in front of the field path. */
function within<T>(prefix: (string | number)[], fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof LifeboatError)) throw error;
    const issues: FieldIssue[] = (error.issues ?? [{ path: [], message: error.message }]).map((i) => ({
      path: [...prefix, ...i.path],
      message: i.message,
    }));
    throw new LifeboatError(error.code, `${prefix.join('.')}: ${error.message}`, issues);
  }
}
