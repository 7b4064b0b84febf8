/** Saving and deleting inventory entities, each in one transaction, after the cross-entity rules. */
import type { ServiceContext } from '../ports/context';
import type { Contact, Server, Service, ServiceGroup, Site } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import { saveSite } from '../db/repositories/sites';
import { getServer, saveServer } from '../db/repositories/servers';
import { saveContact } from '../db/repositories/contacts';
import { listGroups, saveGroup } from '../db/repositories/groups';
import { listServices, saveServiceRow, setDependencies } from '../db/repositories/services';
import { deleteEntity, listServersJumpingThrough } from '../db/repositories/inventory';
import { validateGroup, validateServer, validateService, requireExisting, requireUniqueName } from './rules';

type Draft<T> = Omit<T, 'id'> & { id?: number };

export function storeSite({ db }: ServiceContext, site: Draft<Site>): Site {
  return db.transaction(() => {
    if (site.id !== undefined) requireExisting(db, 'sites', site.id, 'site');
    requireUniqueName(db, 'sites', site.name, site.id);
    return saveSite(db, site);
  })();
}

export function storeServer({ db }: ServiceContext, server: Draft<Server>): Server {
  return db.transaction(() => {
    if (server.id !== undefined) requireExisting(db, 'servers', server.id, 'server');
    validateServer(db, server);
    return saveServer(db, server);
  })();
}

export function storeContact({ db }: ServiceContext, contact: Draft<Contact>): Contact {
  return db.transaction(() => {
    if (contact.id !== undefined) requireExisting(db, 'contacts', contact.id, 'contact');
    requireUniqueName(db, 'contacts', contact.name, contact.id);
    return saveContact(db, contact);
  })();
}

export function storeGroup({ db }: ServiceContext, group: Draft<ServiceGroup>): ServiceGroup {
  return db.transaction(() => {
    if (group.id !== undefined) requireExisting(db, 'service_groups', group.id, 'service group');
    validateGroup(db, group);
    return saveGroup(db, group);
  })();
}

export function storeService({ db }: ServiceContext, service: Draft<Service>): Service {
  return db.transaction(() => {
    if (service.id !== undefined) requireExisting(db, 'services', service.id, 'service');
    validateService(db, service);
    const id = saveServiceRow(db, service);
    setDependencies(db, id, service.dependsOn);
    return { ...service, id, dependsOn: [...new Set(service.dependsOn)] };
  })();
}

function inUse(what: string, users: string[]): never {
  throw new LifeboatError('in_use', `${what} is still used by ${users.join(', ')}; change those first`);
}

export function removeServer({ db }: ServiceContext, id: number) {
  return db.transaction(() => {
    const server = getServer(db, id);
    if (!server) throw new LifeboatError('not_found', `No server with id ${id}`);
    const groups = listGroups(db).filter((g) => g.members.some((m) => m.serverId === id));
    if (groups.length)
      inUse(
        `Server "${server.name}"`,
        groups.map((g) => `group "${g.name}"`),
      );
    const jumpers = listServersJumpingThrough(db, id);
    if (jumpers.length)
      inUse(
        `Server "${server.name}"`,
        jumpers.map((name) => `server "${name}" (as its jump host)`),
      );
    deleteEntity(db, 'servers', id);
    return { id, deleted: true as const };
  })();
}

export function removeService({ db }: ServiceContext, id: number) {
  return db.transaction(() => {
    requireExisting(db, 'services', id, 'service');
    const dependants = listServices(db).filter((s) => s.dependsOn.includes(id));
    const target = listServices(db).find((s) => s.id === id)!;
    if (dependants.length)
      inUse(
        `Service "${target.name}"`,
        dependants.map((s) => `service "${s.name}" (depends on it)`),
      );
    deleteEntity(db, 'services', id);
    return { id, deleted: true as const };
  })();
}

/** Entities whose references are nulled or cascaded by the schema can simply go. */
export function removeEntity(
  { db }: ServiceContext,
  table: 'sites' | 'contacts' | 'service_groups',
  id: number,
  what: string,
) {
  return db.transaction(() => {
    requireExisting(db, table, id, what);
    deleteEntity(db, table, id);
    return { id, deleted: true as const };
  })();
}
