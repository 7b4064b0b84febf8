/**
 * The SMTP password outside the app: `lifeboat serve` (and the CLI) read it from the file named by
 * LIFEBOAT_SMTP_PASSWORD_FILE (or `serve --smtp-password-file`), else from LIFEBOAT_SMTP_PASSWORD.
 * Read when a mail goes out, never stored in the workspace, never shown. The file should be 0600: a
 * file others can read is refused, as ssh refuses a readable key.
 */
import fs from 'node:fs';
import type { AlertSecrets } from '../ports/alert-secrets';

/** Where `serve` looks for the password. */
export interface PasswordSources {
  file?: string;
  env?: string;
}

/** The sources named by the environment. */
export function passwordSourcesFromEnv(env: NodeJS.ProcessEnv = process.env): PasswordSources {
  return { file: env.LIFEBOAT_SMTP_PASSWORD_FILE || undefined, env: env.LIFEBOAT_SMTP_PASSWORD || undefined };
}

const HOW =
  'outside the desktop app the SMTP password is read from a file (LIFEBOAT_SMTP_PASSWORD_FILE or serve --smtp-password-file, mode 0600) or the LIFEBOAT_SMTP_PASSWORD environment variable';

/** A read-only source: the file first, then the variable. */
export function fileOrEnvAlertSecrets(sources: PasswordSources): AlertSecrets {
  const read = (): string | null => {
    if (sources.file) {
      const stat = fs.statSync(sources.file);
      if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
        throw new Error(`the SMTP password file ${sources.file} can be read by others: chmod 600 it`);
      const text = fs.readFileSync(sources.file, 'utf8').replace(/\r?\n$/, '');
      return text.length > 0 ? text : null;
    }
    return sources.env ?? null;
  };
  return {
    where: () =>
      sources.file
        ? `the file ${sources.file}`
        : sources.env
          ? 'the LIFEBOAT_SMTP_PASSWORD environment variable'
          : `nowhere yet: ${HOW}`,
    hasSmtpPassword: () => {
      try {
        return read() !== null;
      } catch {
        return false;
      }
    },
    smtpPassword: async () => read(),
    storeRefusal: () => HOW,
    setSmtpPassword: async () => {
      throw new Error(HOW);
    },
    clearSmtpPassword: async () => {
      throw new Error(HOW);
    },
  };
}
