/**
 * Queries across the inventory's named tables (servers, sites, contacts, service groups, services)
 * that the cross-entity rules and deletes need: existence, lookup by name, jump links and VIPs.
 */
import type { Db } from '../connection';

/** The inventory tables whose rows have an id and a unique name. */
export type NamedTable = 'servers' | 'sites' | 'contacts' | 'service_groups' | 'services';

export function entityExists(db: Db, table: NamedTable, id: number): boolean {
  return db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

/** The id of the row named `name`, if there is one. */
export function entityIdByName(db: Db, table: NamedTable, name: string): number | undefined {
  return db.prepare<[string], { id: number }>(`SELECT id FROM ${table} WHERE name = ?`).get(name)?.id;
}

/** Delete one row (the schema nulls or cascades what refers to it); false when there was none. */
export function deleteEntity(db: Db, table: NamedTable, id: number): boolean {
  return db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id).changes > 0;
}

/** Every server's jump host, leaving out the server `exceptId` (its link is about to change). */
export function listJumpLinks(db: Db, exceptId: number): { id: number; name: string; jumpId: number | null }[] {
  return db
    .prepare<[number], { id: number; name: string; jumpId: number | null }>(
      'SELECT id, name, jump_server_id AS jumpId FROM servers WHERE id != ?',
    )
    .all(exceptId);
}

/** The names of the servers reached through server `id` as their jump host. */
export function listServersJumpingThrough(db: Db, id: number): string[] {
  return db
    .prepare<[number], { name: string }>('SELECT name FROM servers WHERE jump_server_id = ?')
    .all(id)
    .map((row) => row.name);
}

/** Every group's VIP address with the group's name. */
export function listVipAddresses(db: Db): { address: string; name: string }[] {
  return db
    .prepare<[], { address: string; name: string }>(
      'SELECT v.address, g.name FROM group_vips v JOIN service_groups g ON g.id = v.group_id',
    )
    .all();
}

/** The name of a group other than `exceptGroupId` that has `address` as a VIP, if any. */
export function groupHoldingVip(db: Db, address: string, exceptGroupId: number): string | undefined {
  return db
    .prepare<[string, number], { name: string }>(
      'SELECT g.name FROM group_vips v JOIN service_groups g ON g.id = v.group_id WHERE v.address = ? AND g.id != ?',
    )
    .get(address, exceptGroupId)?.name;
}

/** The name of row `id` (checks have names too), if there is one. */
export function entityNameById(db: Db, table: NamedTable | 'checks', id: number): string | undefined {
  return db.prepare<[number], { name: string }>(`SELECT name FROM ${table} WHERE id = ?`).get(id)?.name;
}
