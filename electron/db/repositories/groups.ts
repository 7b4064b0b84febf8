/** Service groups: the unit that fails over, with members, VIPs, data and processes. */
import type { Db } from '../connection';
import type { ServiceGroup } from '../../../shared/domain';
import { fromJson, toJson } from './json';

type GroupRow = { id: number; name: string; description: string; data: string; processes: string };

export function listGroups(db: Db): ServiceGroup[] {
  const members = db
    .prepare<[], { group_id: number; server_id: number; role: 'primary' | 'standby' }>(
      'SELECT group_id, server_id, role FROM group_members ORDER BY group_id, position',
    )
    .all();
  const vips = db
    .prepare<[], { id: number; group_id: number; address: string; prefix: number }>(
      'SELECT id, group_id, address, prefix FROM group_vips ORDER BY group_id, position',
    )
    .all();
  const interfaces = db
    .prepare<[], { vip_id: number; server_id: number; interface: string }>(
      'SELECT vip_id, server_id, interface FROM vip_interfaces ORDER BY rowid',
    )
    .all();
  return db
    .prepare<[], GroupRow>('SELECT id, name, description, data, processes FROM service_groups ORDER BY name')
    .all()
    .map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      data: fromJson(row.data, { kind: 'none' as const }),
      processes: fromJson(row.processes, []),
      members: members.filter((m) => m.group_id === row.id).map((m) => ({ serverId: m.server_id, role: m.role })),
      vips: vips
        .filter((v) => v.group_id === row.id)
        .map((v) => ({
          address: v.address,
          prefix: v.prefix,
          interfaces: interfaces
            .filter((i) => i.vip_id === v.id)
            .map((i) => ({ serverId: i.server_id, interface: i.interface })),
        })),
    }));
}

/** A new group never takes the id of a deleted one that runs or the audit log still name. */
const UNUSED_GROUP_ID = `(SELECT 1 + MAX(
  COALESCE((SELECT MAX(id) FROM service_groups), 0),
  COALESCE((SELECT MAX(group_id) FROM runs), 0),
  COALESCE((SELECT MAX(group_id) FROM audit_log), 0)))`;

/** Insert or replace a group with its members and VIPs (call inside a transaction). */
export function saveGroup(db: Db, group: Omit<ServiceGroup, 'id'> & { id?: number }): ServiceGroup {
  const params = {
    id: group.id ?? null,
    name: group.name,
    description: group.description,
    data: toJson(group.data),
    processes: toJson(group.processes),
  };
  let id = group.id;
  if (id === undefined) {
    id = Number(
      db
        .prepare(
          `INSERT INTO service_groups (id, name, description, data, processes) VALUES (${UNUSED_GROUP_ID}, @name, @description, @data, @processes)`,
        )
        .run(params).lastInsertRowid,
    );
  } else {
    db.prepare(
      'UPDATE service_groups SET name = @name, description = @description, data = @data, processes = @processes WHERE id = @id',
    ).run(params);
    db.prepare('DELETE FROM group_members WHERE group_id = ?').run(id);
    db.prepare('DELETE FROM group_vips WHERE group_id = ?').run(id);
  }
  const addMember = db.prepare('INSERT INTO group_members (group_id, server_id, role, position) VALUES (?, ?, ?, ?)');
  group.members.forEach((m, i) => addMember.run(id, m.serverId, m.role, i));
  const addVip = db.prepare('INSERT INTO group_vips (group_id, position, address, prefix) VALUES (?, ?, ?, ?)');
  const addInterface = db.prepare('INSERT INTO vip_interfaces (vip_id, server_id, interface) VALUES (?, ?, ?)');
  group.vips.forEach((vip, i) => {
    const vipId = addVip.run(id, i, vip.address, vip.prefix).lastInsertRowid;
    for (const itf of vip.interfaces) addInterface.run(vipId, itf.serverId, itf.interface);
  });
  return { ...group, id };
}
