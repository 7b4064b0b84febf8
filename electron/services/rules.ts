/** Cross-entity rules that a schema alone cannot check; each failure names the bad field. */
import type { Db } from '../db/connection';
import type { Service, ServiceGroup, Server } from '../../shared/domain';
import { LifeboatError } from '../../shared/errors';
import { findDependencyCycle, findJumpCycle } from '../../shared/logic/dependencies';
import { listServices } from '../db/repositories/services';
import { listServers } from '../db/repositories/servers';
import { serverOwning, subnetProblem } from '../../shared/logic/vip-rules';
import {
  entityExists,
  entityIdByName,
  groupHoldingVip,
  listJumpLinks,
  listVipAddresses,
  type NamedTable,
} from '../db/repositories/inventory';

export function invalid(path: (string | number)[], message: string): never {
  throw new LifeboatError('invalid_input', message, [{ path, message }]);
}

const exists = entityExists;

/** A name already used by another entity of the same kind is a conflict on the name field. */
export function requireUniqueName(db: Db, table: NamedTable, name: string, id?: number): void {
  const found = entityIdByName(db, table, name);
  if (found !== undefined && found !== id) {
    throw new LifeboatError('conflict', `"${name}" is already used by another entry`, [
      { path: ['name'], message: `"${name}" is already used` },
    ]);
  }
}

export function requireExisting(db: Db, table: NamedTable, id: number, what: string): void {
  if (!exists(db, table, id)) throw new LifeboatError('not_found', `No ${what} with id ${id}`);
}

export function validateServer(db: Db, server: Omit<Server, 'id'> & { id?: number }): void {
  requireUniqueName(db, 'servers', server.name, server.id);
  validateServerAddresses(db, server);
  if (server.siteId !== null && !exists(db, 'sites', server.siteId)) invalid(['siteId'], 'that site does not exist');
  const jump = server.ssh.jumpServerId;
  if (jump !== null) {
    if (jump === server.id) invalid(['ssh', 'jumpServerId'], 'a server cannot be its own jump host');
    if (!exists(db, 'servers', jump)) invalid(['ssh', 'jumpServerId'], 'that jump host is not in the inventory');
    // Check the chain as it would be after saving.
    const others = listJumpLinks(db, server.id ?? -1);
    const id = server.id ?? -1;
    const cycle = findJumpCycle([...others, { id, name: server.name, jumpId: jump }], id);
    if (cycle) invalid(['ssh', 'jumpServerId'], `that would make a jump-host cycle: ${cycle.join(' → ')}`);
  }
}

/** A server's own address may not be any group's VIP: releasing the VIP would cut the server off. */
function validateServerAddresses(db: Db, server: Omit<Server, 'id'> & { id?: number }): void {
  const vips = listVipAddresses(db);
  server.addresses.forEach((address, i) => {
    const vip = vips.find((v) => v.address === address);
    if (vip)
      invalid(
        ['addresses', i],
        `${address} is the VIP of group "${vip.name}": a server's own address cannot be a VIP (releasing it would cut the server off)`,
      );
  });
  const hostVip = vips.find((v) => v.address === server.ssh.host);
  if (hostVip)
    invalid(
      ['ssh', 'host'],
      `${server.ssh.host} is the VIP of group "${hostVip.name}": reach the server by its own address, never by a VIP`,
    );
}

/**
 * A VIP is nobody's own address, and where a member's subnet is known (it lists an address of
 * the VIP's family) the VIP lies in it; each refusal names the VIP field.
 */
function validateVipAddresses(db: Db, group: Omit<ServiceGroup, 'id'> & { id?: number }): void {
  const servers = listServers(db);
  group.vips.forEach((vip, i) => {
    const owner = serverOwning(servers, vip.address);
    if (owner)
      invalid(
        ['vips', i, 'address'],
        `${vip.address} is an address of server ${owner.name}: a VIP must be an address of its own (releasing it would cut ${owner.name} off)`,
      );
    vip.interfaces.forEach((itf, j) => {
      const member = servers.find((s) => s.id === itf.serverId);
      const problem = member && subnetProblem(vip, member);
      if (problem) invalid(['vips', i, 'interfaces', j, 'interface'], problem);
    });
  });
}

export function validateGroup(db: Db, group: Omit<ServiceGroup, 'id'> & { id?: number }): void {
  requireUniqueName(db, 'service_groups', group.name, group.id);
  const seen = new Set<number>();
  group.members.forEach((m, i) => {
    if (!exists(db, 'servers', m.serverId)) invalid(['members', i, 'serverId'], 'that server is not in the inventory');
    if (seen.has(m.serverId)) invalid(['members', i, 'serverId'], 'a server can be a member only once');
    seen.add(m.serverId);
  });
  const primaries = group.members.filter((m) => m.role === 'primary').length;
  if (group.members.length > 0 && primaries !== 1) {
    invalid(['members'], `a group needs exactly one primary member (it has ${primaries})`);
  }
  const addresses = new Set<string>();
  group.vips.forEach((vip, i) => {
    if (addresses.has(vip.address)) invalid(['vips', i, 'address'], `${vip.address} is listed twice`);
    addresses.add(vip.address);
    vip.interfaces.forEach((itf, j) => {
      if (!seen.has(itf.serverId))
        invalid(['vips', i, 'interfaces', j, 'serverId'], 'the interface must belong to a member of this group');
    });
  });
  validateVipAddresses(db, group);
  group.vips.forEach((vip, i) => {
    const clash = groupHoldingVip(db, vip.address, group.id ?? -1);
    if (clash) invalid(['vips', i, 'address'], `${vip.address} is already the VIP of group "${clash}"`);
  });
}

export function validateService(db: Db, service: Omit<Service, 'id'> & { id?: number }): void {
  requireUniqueName(db, 'services', service.name, service.id);
  if (service.ownerContactId !== null && !exists(db, 'contacts', service.ownerContactId))
    invalid(['ownerContactId'], 'that contact does not exist');
  if (service.groupId !== null && !exists(db, 'service_groups', service.groupId))
    invalid(['groupId'], 'that service group does not exist');
  service.dependsOn.forEach((dep, i) => {
    if (dep === service.id) invalid(['dependsOn', i], 'a service cannot depend on itself');
    if (!exists(db, 'services', dep)) invalid(['dependsOn', i], 'that service does not exist');
  });
  // Check the graph as it would be after saving.
  const others = listServices(db).filter((s) => s.id !== service.id);
  const id = service.id ?? -1;
  const cycle = findDependencyCycle([...others, { id, name: service.name, dependsOn: service.dependsOn }], id);
  if (cycle) {
    const message = `that would make a dependency cycle: ${cycle.join(' → ')}`;
    throw new LifeboatError('dependency_cycle', message, [{ path: ['dependsOn'], message }]);
  }
}
