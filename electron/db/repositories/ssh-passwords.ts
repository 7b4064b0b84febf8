/** SSH passwords as encrypted blobs (the SecretStore over safeStorage reads and writes them here). */
import type { Db } from '../connection';

/** The encrypted blob stored for an account, or null. */
export function encryptedPassword(db: Db, account: string): Buffer | null {
  const row = db
    .prepare<[string], { encrypted: Buffer }>('SELECT encrypted FROM ssh_passwords WHERE account = ?')
    .get(account);
  return row?.encrypted ?? null;
}

/** Store (or replace) the encrypted blob of an account. */
export function saveEncryptedPassword(db: Db, account: string, encrypted: Buffer): void {
  db.prepare(
    `INSERT INTO ssh_passwords (account, encrypted, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (account) DO UPDATE SET encrypted = excluded.encrypted, updated_at = excluded.updated_at`,
  ).run(account, encrypted, new Date().toISOString());
}

/** Remove the blob of an account; true when there was one. */
export function deleteEncryptedPassword(db: Db, account: string): boolean {
  return db.prepare('DELETE FROM ssh_passwords WHERE account = ?').run(account).changes > 0;
}
