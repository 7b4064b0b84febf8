/**
 * The SSH engine behind the services' RemoteRunner (electron/ports/remote.ts): single commands
 * go through `exec` on a fresh channel (runbook steps), batches through the persistent shell
 * (checks). Expected errors become outcomes; bugs still throw.
 */
import { readSshBanner } from './banner';
import type { Server } from '../../shared/domain';
import type { Db } from '../db/connection';
import type { RemoteOutcome, RemoteResult, RemoteRunner, RunOptions } from '../ports/remote';
import { endpointForServer, type Endpoint } from './endpoint';
import {
  CommandFailed,
  HostKeyChanged,
  HostKeyUnknown,
  Indeterminate,
  SshError,
  type ExecResult,
  type SshProblem,
} from './errors';
import { exec } from './exec';
import type { SshRuntime } from './runtime';
import type { SshFailureCause } from '../../shared/ssh-status';

function remoteResult(result: ExecResult): RemoteResult {
  const { code, stdout, stderr, truncated, durationMs } = result;
  return { code, stdout, stderr, truncated, durationMs };
}

/**
 * What each connection problem says about the host (shared/ssh-status.ts). A local problem
 * (credentials Lifeboat does not have) says nothing about the host; only `auth_failed` and a refused
 * channel mean the host answered and refused; a connect that failed or timed out means it cannot be
 * reached; a handshake or connection that broke midway is unknown.
 */
const CAUSE_OF: Record<Exclude<SshProblem, 'host_key_unknown' | 'host_key_changed'>, SshFailureCause> = {
  key_unreadable: 'local',
  key_malformed: 'local',
  key_is_public: 'local',
  passphrase_required: 'local',
  wrong_passphrase: 'local',
  agent_unavailable: 'local',
  password_missing: 'local',
  no_keyring: 'local',
  auth_failed: 'refused',
  channel_refused: 'refused',
  unreachable: 'network',
  connect_timeout: 'network',
  handshake_timeout: 'unknown',
  handshake_failed: 'unknown',
  disconnected: 'unknown',
  channel_timeout: 'unknown',
  cancelled: 'unknown',
  closed: 'unknown',
};

/** Translate what exec or a session answered into the outcome the services switch on. */
export function toRemoteOutcome(settled: PromiseSettledResult<ExecResult>): RemoteOutcome {
  if (settled.status === 'fulfilled') return { kind: 'ok', result: remoteResult(settled.value) };
  const error: unknown = settled.reason;
  if (error instanceof CommandFailed) return { kind: 'failed', result: remoteResult(error.result) };
  if (error instanceof Indeterminate) {
    const reason = error.outcome === 'dropped' && error.result.signal !== null ? 'no-exit-status' : error.outcome;
    return { kind: 'indeterminate', reason, detail: error.message, result: remoteResult(error.result) };
  }
  if (error instanceof HostKeyUnknown)
    return { kind: 'host-key', status: 'unknown', detail: error.message, fingerprint: error.fingerprint };
  if (error instanceof HostKeyChanged) {
    return {
      kind: 'host-key',
      status: 'changed',
      detail: error.message,
      fingerprint: error.presentedFingerprint,
      pinned: error.pinnedFingerprint,
    };
  }
  // Every other SshError happens before a script is sent: connect, handshake, credentials.
  if (error instanceof SshError) {
    const cause =
      error.problem === 'host_key_unknown' || error.problem === 'host_key_changed'
        ? 'unknown'
        : CAUSE_OF[error.problem];
    return { kind: 'unreachable', detail: error.message, cause };
  }
  throw error;
}

/** The endpoint of an inventory server as given, its jump servers read from the workspace. */
function endpointOf(db: Db, server: Server): Endpoint {
  const { host, port, user, auth, jumpServerId } = server.ssh;
  return { host, port, user, auth, jump: jumpServerId === null ? null : endpointForServer(db, jumpServerId) };
}

/** A RemoteRunner over the workspace's SSH runtime. Disposing it closes the runtime's connections. */
export function createSshRunner(db: Db, runtime: SshRuntime): RemoteRunner {
  const settle = <T>(promise: Promise<T>) =>
    promise.then(
      (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
    );
  return {
    async run(server: Server, script: string, options: RunOptions): Promise<RemoteOutcome> {
      const endpoint = endpointOf(db, server);
      return toRemoteOutcome(
        await settle(
          runtime.pool
            .acquire(endpoint, { signal: options.signal })
            .then((connection) => exec(connection, script, options)),
        ),
      );
    },
    async batch(server: Server, scripts: readonly string[], options: RunOptions): Promise<RemoteOutcome[]> {
      const results = await runtime.sessions.runBatch(endpointOf(db, server), scripts, options);
      return results.map(toRemoteOutcome);
    },
    sshBanner: (server: Server) => readSshBanner(server),
    async dispose(): Promise<void> {
      runtime.dispose();
    },
  };
}
