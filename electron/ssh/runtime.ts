/**
 * The SSH runtime of an open workspace: its connection pool and persistent shells, with one owner
 * that disposes them. `openApp` builds one (no secret store, no passphrase prompt) and a long-lived
 * host builds one with the real SecretStore and prompts; the ServiceContext carries what the
 * services need of it (its runner, and `sshPortOf` for host-key trust and passwords).
 */
import type { Db } from '../db/connection';
import { hostKeyPinsFor } from '../db/repositories/host-keys';
import type { SshPort } from '../ports/context';
import { NO_SECRET_STORE, type PassphraseProvider, type SecretStore } from './credentials';
import type { HostKeyPins } from './host-keys';
import { clearServerPassword, setServerPassword } from './passwords';
import { ConnectionPool } from './pool';
import { ShellSessions } from './session';
import type { SshTimeouts } from './transport';
import { forgetServerKeys, scanServerKey, trustServerKey } from './trust';

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

/** Host-key trust and stored passwords of the workspace's servers, over `runtime`. */
export function sshPortOf(db: Db, runtime: SshRuntime): SshPort {
  return {
    scanKey: (serverId) => scanServerKey(db, runtime.pool, serverId),
    trustKey: (serverId, confirmed) => trustServerKey(db, runtime.pool, serverId, confirmed),
    forgetKeys: (serverId) => forgetServerKeys(db, runtime.pool, serverId),
    setPassword: (serverId, password) => setServerPassword(db, runtime.secrets, serverId, password),
    clearPassword: (serverId) => clearServerPassword(db, runtime.secrets, serverId),
  };
}
