/**
 * Where the SMTP password for alert mail is kept (docs/safety.md, invariant 6): the OS keyring
 * through Electron safeStorage in the app; a file or an environment variable for `lifeboat serve`.
 * A port: the context carries one; nothing here knows how it is kept.
 */
export interface AlertSecrets {
  /** Where the password comes from, in words ("the OS keyring", "the file /etc/lifeboat/smtp-password"). */
  where(): string;
  /** Whether a password is available (never the password). */
  hasSmtpPassword(): boolean;
  /** The password, or null when none is kept. */
  smtpPassword(): Promise<string | null>;
  /** Why a password cannot be stored from the console here, or null when it can. */
  storeRefusal(): string | null;
  setSmtpPassword(password: string): Promise<void>;
  clearSmtpPassword(): Promise<boolean>;
}
