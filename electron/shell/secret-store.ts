/**
 * SSH passwords through Electron safeStorage (docs/safety.md, invariant 6: "passwords only through Electron
 * safeStorage, refused where it reports no real keyring"). The workspace keeps only the encrypted
 * blob; the plain password lives in the main process for the length of a login and is never
 * returned to the renderer.
 */
import type { SafeStorage } from 'electron';
import type { Db } from '../db/connection';
import { deleteEncryptedPassword, encryptedPassword, saveEncryptedPassword } from '../db/repositories/ssh-passwords';
import type { SecretStore } from '../ssh/credentials';
import type { AlertSecrets } from '../ports/alert-secrets';
import {
  deleteEncryptedAlertSecret,
  encryptedAlertSecret,
  saveEncryptedAlertSecret,
} from '../db/repositories/alert-channels';
import { SshError } from '../ssh/errors';

/** The part of Electron's safeStorage the store uses (getSelectedStorageBackend exists on Linux only). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  getSelectedStorageBackend?: () => string;
};

/** Why safeStorage cannot keep a secret here, or null when it can. Ask after the app is ready. */
export function safeStorageRefusal(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (!safeStorage.isEncryptionAvailable())
    return 'Electron safeStorage reports that encryption is not available on this system';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    // basic_text "encrypts" with a hard-coded key: as good as plain text on disk.
    if (backend === 'basic_text') {
      return 'this Linux desktop has no keyring (safeStorage would fall back to a hard-coded key); run a Secret Service keyring such as GNOME Keyring or KWallet';
    }
  }
  return null;
}

/** A SecretStore keeping safeStorage-encrypted blobs in the workspace database. */
export function safeStorageSecrets(
  db: Db,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const refusal = () => safeStorageRefusal(safeStorage, platform);
  const refuse = (what: string): never => {
    throw new SshError('no_keyring', `${what}: ${refusal() ?? 'safeStorage is not available'}`);
  };
  return {
    isSecure: () => refusal() === null,
    refusal: () => refusal() ?? '',
    async getPassword(account) {
      const blob = encryptedPassword(db, account);
      if (!blob) return null;
      if (refusal() !== null) refuse('the stored password cannot be read');
      try {
        return safeStorage.decryptString(blob);
      } catch {
        throw new SshError(
          'password_missing',
          `the password stored for ${account.replace(/^ssh:/, '')} cannot be decrypted on this system (stored under another login or keyring?); set it again`,
        );
      }
    },
    async setPassword(account, password) {
      if (refusal() !== null) refuse('the password was not stored');
      saveEncryptedPassword(db, account, safeStorage.encryptString(password));
    },
    async deletePassword(account) {
      return deleteEncryptedPassword(db, account);
    },
  };
}

const SMTP_ACCOUNT = 'smtp:alerts';

/** The SMTP password for alert mail, kept as a safeStorage blob in the workspace (refused without a real keyring). */
export function safeStorageAlertSecrets(
  db: Db,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): AlertSecrets {
  const refusal = () => safeStorageRefusal(safeStorage, platform);
  return {
    where: () => 'the OS keyring (Electron safeStorage)',
    hasSmtpPassword: () => encryptedAlertSecret(db, SMTP_ACCOUNT) !== null,
    async smtpPassword() {
      const blob = encryptedAlertSecret(db, SMTP_ACCOUNT);
      if (!blob) return null;
      const why = refusal();
      if (why) throw new Error(`the stored SMTP password cannot be read: ${why}`);
      try {
        return safeStorage.decryptString(blob);
      } catch {
        throw new Error(
          'the stored SMTP password cannot be decrypted on this system (another login or keyring?); set it again',
        );
      }
    },
    storeRefusal: refusal,
    async setSmtpPassword(password) {
      const why = refusal();
      if (why) throw new Error(`the SMTP password was not stored: ${why}`);
      saveEncryptedAlertSecret(db, SMTP_ACCOUNT, safeStorage.encryptString(password));
    },
    async clearSmtpPassword() {
      return deleteEncryptedAlertSecret(db, SMTP_ACCOUNT);
    },
  };
}
