/** 0002: pinned SSH host keys, one per host, port and key type (like OpenSSH's known_hosts). */
import type { Migration } from './types';

/** Creates host_key_pins. */
export const hostKeys: Migration = {
  version: 2,
  name: 'host-keys',
  up(db) {
    db.exec(`
      CREATE TABLE host_key_pins (
        id INTEGER PRIMARY KEY,
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        key_type TEXT NOT NULL,
        fingerprint_sha256 TEXT NOT NULL CHECK (fingerprint_sha256 LIKE 'SHA256:%'),
        public_key TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        pinned_by TEXT NOT NULL DEFAULT '',
        UNIQUE (host, port, key_type)
      ) STRICT;
    `);
  },
};
