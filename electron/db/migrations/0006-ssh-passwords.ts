/** 0006: SSH passwords, only as blobs encrypted by Electron safeStorage (never plain text). */
import type { Migration } from './types';

/** Creates ssh_passwords: one encrypted blob per account (ssh:user@host:port). */
export const sshPasswords: Migration = {
  version: 6,
  name: 'ssh-passwords',
  up(db) {
    db.exec(`
      CREATE TABLE ssh_passwords (
        account TEXT PRIMARY KEY CHECK (account LIKE 'ssh:%'),
        encrypted BLOB NOT NULL CHECK (length(encrypted) > 0),
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
