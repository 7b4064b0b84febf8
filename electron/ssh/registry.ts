/**
 * The SSH runtime of an open workspace: its connection pool and persistent shells, with one
 * owner that disposes them. Until the app's ServiceContext carries it, it is created lazily per
 * database handle and kept here; `installSshRuntime` lets the app supply one built with its real
 * SecretStore (Electron safeStorage) and passphrase prompt.
 */
import type { Db } from '../db/connection';
import { hostKeyPinsFor } from '../db/repositories/host-keys';
import { NO_SECRET_STORE, type PassphraseProvider, type SecretStore } from './credentials';
import type { HostKeyPins } from './host-keys';
import { ConnectionPool } from './pool';
import { ShellSessions } from './session';
import type { SshTimeouts } from './transport';

/** Everything SSH for one workspace. */
export interface SshRuntime {
  pool: ConnectionPool;
  sessions: ShellSessions;
  /** Where this runtime's passwords are kept (the services store and clear them through it). */
  secrets: SecretStore;
  /** Close every session and connection. */
  dispose(): void;
}

/** What the app may provide; without it passwords and encrypted keys are refused with a clear error. */
export interface SshRuntimeOptions {
  passphrases?: PassphraseProvider | null;
  secrets?: SecretStore;
  agentSocket?: string;
  timeouts?: Partial<SshTimeouts>;
}

/** Pins read from the workspace at every handshake, so a trust or forget takes effect at once. */
export function workspaceHostKeyPins(db: Db): HostKeyPins {
  return { pinsFor: (host, port) => (db.open ? hostKeyPinsFor(db, host, port) : []) };
}

/** Build a runtime for a workspace (the caller owns it and must dispose it). */
export function createSshRuntime(db: Db, options: SshRuntimeOptions = {}): SshRuntime {
  const pool = new ConnectionPool({ pins: workspaceHostKeyPins(db), ...options });
  const sessions = new ShellSessions(pool);
  return {
    pool,
    sessions,
    secrets: options.secrets ?? NO_SECRET_STORE,
    dispose() {
      sessions.dispose();
      pool.dispose();
    },
  };
}

const runtimes = new WeakMap<Db, SshRuntime>();

/** The runtime of a workspace, created with defaults on first use unless one was installed. */
export function sshRuntimeFor(db: Db): SshRuntime {
  let runtime = runtimes.get(db);
  if (!runtime) {
    runtime = createSshRuntime(db);
    runtimes.set(db, runtime);
  }
  return runtime;
}

/** Make `runtime` the one the services use for this workspace (replacing and disposing any other). */
export function installSshRuntime(db: Db, runtime: SshRuntime): void {
  const previous = runtimes.get(db);
  if (previous && previous !== runtime) previous.dispose();
  runtimes.set(db, runtime);
}

/** Dispose the workspace's runtime, if it has one. Call before closing the database. */
export function disposeSshRuntime(db: Db): void {
  runtimes.get(db)?.dispose();
  runtimes.delete(db);
}
