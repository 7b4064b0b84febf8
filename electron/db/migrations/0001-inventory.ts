/** 0001: the inventory — sites, servers, contacts, service groups and services. */
import type { Migration } from './types';

export const inventory: Migration = {
  version: 1,
  name: 'inventory',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sites (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        address TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE servers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        os TEXT NOT NULL CHECK (os IN ('linux', 'openbsd')),
        addresses TEXT NOT NULL DEFAULT '[]',
        ssh_host TEXT NOT NULL,
        ssh_port INTEGER NOT NULL CHECK (ssh_port BETWEEN 1 AND 65535),
        ssh_user TEXT NOT NULL,
        ssh_auth TEXT NOT NULL,
        jump_server_id INTEGER REFERENCES servers(id) ON DELETE RESTRICT,
        role TEXT NOT NULL DEFAULT '',
        hardware TEXT NOT NULL DEFAULT '',
        power TEXT NOT NULL DEFAULT '',
        support TEXT NOT NULL DEFAULT '{}',
        site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
        notes TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL DEFAULT '',
        organisation TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('internal', 'vendor')),
        phones TEXT NOT NULL DEFAULT '[]',
        email TEXT NOT NULL DEFAULT '',
        escalation_order INTEGER NOT NULL DEFAULT 1,
        notes TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE service_groups (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{"kind":"none"}',
        processes TEXT NOT NULL DEFAULT '[]'
      ) STRICT;

      CREATE TABLE group_members (
        group_id INTEGER NOT NULL REFERENCES service_groups(id) ON DELETE CASCADE,
        server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE RESTRICT,
        role TEXT NOT NULL CHECK (role IN ('primary', 'standby')),
        position INTEGER NOT NULL,
        PRIMARY KEY (group_id, server_id)
      ) STRICT;

      CREATE TABLE group_vips (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES service_groups(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        address TEXT NOT NULL,
        prefix INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE vip_interfaces (
        vip_id INTEGER NOT NULL REFERENCES group_vips(id) ON DELETE CASCADE,
        server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE RESTRICT,
        interface TEXT NOT NULL,
        PRIMARY KEY (vip_id, server_id)
      ) STRICT;

      CREATE TABLE services (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        tier TEXT NOT NULL CHECK (tier IN ('critical', 'important', 'routine')),
        rto_minutes INTEGER NOT NULL CHECK (rto_minutes >= 0),
        rpo_minutes INTEGER CHECK (rpo_minutes >= 0),
        cost_per_hour REAL CHECK (cost_per_hour >= 0),
        workaround TEXT NOT NULL DEFAULT '',
        owner_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        group_id INTEGER REFERENCES service_groups(id) ON DELETE SET NULL,
        hosted_by TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE service_dependencies (
        service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        depends_on_id INTEGER NOT NULL REFERENCES services(id) ON DELETE RESTRICT,
        PRIMARY KEY (service_id, depends_on_id)
      ) STRICT;

      CREATE INDEX group_members_server ON group_members(server_id);
      CREATE INDEX vip_interfaces_server ON vip_interfaces(server_id);
      CREATE INDEX service_dependencies_target ON service_dependencies(depends_on_id);
    `);
  },
};
