/** Servers: the inventory of machines and how to reach them over SSH. */
import type { Db } from '../connection';
import type { Server } from '../../../shared/domain';
import { fromJson, toJson } from './json';

type ServerRow = {
  id: number;
  name: string;
  os: Server['os'];
  addresses: string;
  ssh_host: string;
  ssh_port: number;
  ssh_user: string;
  ssh_auth: string;
  jump_server_id: number | null;
  role: string;
  hardware: string;
  power: string;
  support: string;
  site_id: number | null;
  notes: string;
};

function toServer(row: ServerRow): Server {
  return {
    id: row.id,
    name: row.name,
    addresses: fromJson(row.addresses, []),
    os: row.os,
    ssh: {
      host: row.ssh_host,
      port: row.ssh_port,
      user: row.ssh_user,
      auth: fromJson(row.ssh_auth, { kind: 'agent' }),
      jumpServerId: row.jump_server_id,
    },
    role: row.role,
    hardware: row.hardware,
    power: row.power,
    support: fromJson(row.support, { vendor: '', contract: '', phone: '', hours: '' }),
    siteId: row.site_id,
    notes: row.notes,
  };
}

export function listServers(db: Db): Server[] {
  return db.prepare<[], ServerRow>('SELECT * FROM servers ORDER BY name').all().map(toServer);
}

export function getServer(db: Db, id: number): Server | undefined {
  const row = db.prepare<[number], ServerRow>('SELECT * FROM servers WHERE id = ?').get(id);
  return row && toServer(row);
}

/** A new server never takes the id of a deleted one that runs or the audit log still name. */
const UNUSED_SERVER_ID = `(SELECT 1 + MAX(
  COALESCE((SELECT MAX(id) FROM servers), 0),
  COALESCE((SELECT MAX(MAX(source_server_id), MAX(target_server_id)) FROM runs), 0),
  COALESCE((SELECT MAX(server_id) FROM audit_log), 0)))`;

/** Insert a new server or update an existing one. */
export function saveServer(db: Db, server: Omit<Server, 'id'> & { id?: number }): Server {
  const params = {
    id: server.id ?? null,
    name: server.name,
    os: server.os,
    addresses: toJson(server.addresses),
    ssh_host: server.ssh.host,
    ssh_port: server.ssh.port,
    ssh_user: server.ssh.user,
    ssh_auth: toJson(server.ssh.auth),
    jump_server_id: server.ssh.jumpServerId,
    role: server.role,
    hardware: server.hardware,
    power: server.power,
    support: toJson(server.support),
    site_id: server.siteId,
    notes: server.notes,
  };
  if (server.id === undefined) {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO servers (id, name, os, addresses, ssh_host, ssh_port, ssh_user, ssh_auth, jump_server_id, role, hardware, power, support, site_id, notes)
         VALUES (${UNUSED_SERVER_ID}, @name, @os, @addresses, @ssh_host, @ssh_port, @ssh_user, @ssh_auth, @jump_server_id, @role, @hardware, @power, @support, @site_id, @notes)`,
      )
      .run(params);
    return { ...server, id: Number(lastInsertRowid) };
  }
  db.prepare(
    `UPDATE servers SET name = @name, os = @os, addresses = @addresses, ssh_host = @ssh_host, ssh_port = @ssh_port,
       ssh_user = @ssh_user, ssh_auth = @ssh_auth, jump_server_id = @jump_server_id, role = @role, hardware = @hardware,
       power = @power, support = @support, site_id = @site_id, notes = @notes
     WHERE id = @id`,
  ).run(params);
  return server as Server;
}
