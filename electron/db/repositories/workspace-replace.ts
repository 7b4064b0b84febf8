/**
 * The statements of replacing the workspace with a plan (electron/services/plan-import.ts): what
 * it would drop, read before anything changes, and the references it loosens and the rows it
 * removes. The caller runs them in one transaction.
 */
import type { Db } from '../connection';
import type { NamedTable } from './inventory';

/** The runs marked running, oldest first. */
export function listRunningRuns(db: Db): { id: number; groupName: string }[] {
  return db
    .prepare<[], { id: number; groupName: string }>(
      `SELECT id, group_name AS groupName FROM runs WHERE status = 'running' ORDER BY id`,
    )
    .all();
}

/** Every check with the names of the server, group and service it refers to. */
export function listCheckReferences(
  db: Db,
): { name: string; server: string | null; grp: string | null; service: string | null }[] {
  return db
    .prepare<[], { name: string; server: string | null; grp: string | null; service: string | null }>(
      `SELECT c.name, s.name AS server, g.name AS grp, v.name AS service FROM checks c
         LEFT JOIN servers s ON s.id = c.server_id LEFT JOIN service_groups g ON g.id = c.group_id
         LEFT JOIN services v ON v.id = c.service_id ORDER BY c.name, c.id`,
    )
    .all();
}

/** Every saved runbook by the names of its group, source and target. */
export function listRunbookEnds(db: Db): { grp: string; source: string; target: string }[] {
  return db
    .prepare<[], { grp: string; source: string; target: string }>(
      `SELECT g.name AS grp, s.name AS source, t.name AS target FROM runbooks r JOIN service_groups g ON g.id = r.group_id
         JOIN servers s ON s.id = r.source_server_id JOIN servers t ON t.id = r.target_server_id ORDER BY g.name, t.name`,
    )
    .all();
}

/** Loosen every reference a plan sets again (jump hosts, dependencies, VIPs, members), so no delete is restricted. */
export function clearInventoryReferences(db: Db): void {
  db.prepare('UPDATE servers SET jump_server_id = NULL').run();
  db.prepare('DELETE FROM service_dependencies').run();
  db.prepare('DELETE FROM group_vips').run();
  db.prepare('DELETE FROM group_members').run();
}

/** Delete the rows of `table` whose name is not in `keep`. */
export function deleteEntitiesNotNamed(db: Db, table: NamedTable, keep: readonly string[]): void {
  db.prepare(`DELETE FROM ${table} WHERE name NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(keep));
}

/** Delete the company settings (the `_` flags stay). */
export function deleteCompanySettings(db: Db): void {
  db.prepare(`DELETE FROM settings WHERE key NOT LIKE '\\_%' ESCAPE '\\'`).run();
}

/** Set (or clear) the jump host of a server. */
export function setJumpServer(db: Db, serverId: number, jumpServerId: number | null): void {
  db.prepare('UPDATE servers SET jump_server_id = ? WHERE id = ?').run(jumpServerId, serverId);
}

/** A runbook moves a group between two of its members; delete those whose source or target left the group. */
export function deleteStaleRunbooks(db: Db): void {
  db.prepare(
    `DELETE FROM runbooks WHERE
       NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = runbooks.group_id AND m.server_id = runbooks.source_server_id)
       OR NOT EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = runbooks.group_id AND m.server_id = runbooks.target_server_id)`,
  ).run();
}
