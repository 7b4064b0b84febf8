/**
 * How services run scripts on servers, without knowing SSH. The SSH engine (electron/ssh/)
 * provides the real implementation; tests may pass a scripted one.
 */
import type { Server } from '../../shared/domain';
import type { SshFailureCause } from '../../shared/ssh-status';

export interface RemoteResult {
  /** Exit status; null when the command ended without one. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Output was cut at the cap; the text ends with a marker. */
  truncated: boolean;
  durationMs: number;
}

/**
 * What happened, as the safety rules need it: `indeterminate` (timeout, dropped connection, no exit
 * status) is neither success nor failure — state must be re-observed. `unreachable` means nothing
 * was run (its `cause` says whether the host was reached at all). `host-key` means the host key is unknown or changed: nothing was sent either.
 */
export type RemoteOutcome =
  | { kind: 'ok'; result: RemoteResult }
  | { kind: 'failed'; result: RemoteResult }
  | {
      kind: 'indeterminate';
      reason: 'timeout' | 'dropped' | 'cancelled' | 'no-exit-status';
      detail: string;
      result?: RemoteResult;
    }
  | {
      kind: 'unreachable';
      detail: string;
      /**
       * Why (shared/ssh-status.ts): `local` — Lifeboat cannot log in (no agent, no key, passphrase
       * needed), nothing says the host is up or down; `refused` — it answered and refused the
       * login (it is up); `network` — it cannot be reached; `unknown` — the connection broke first.
       */
      cause: SshFailureCause;
    }
  | { kind: 'host-key'; status: 'unknown' | 'changed'; detail: string; fingerprint: string; pinned?: string };

export interface RunOptions {
  timeoutMs: number;
  okCodes?: readonly number[];
  signal?: AbortSignal;
  maxOutputBytes?: number;
  /** Output as it arrives (`run` only; a batch answers whole), within the same cap as the result. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** `batch` only: whose persistent shell to use ("checks" by default; failovers use their own). */
  lane?: 'checks' | 'failover';
}

export interface RemoteRunner {
  /** Run one script (sent on stdin to `env LC_ALL=C /bin/sh -s`) on a server. */
  run(server: Server, script: string, options: RunOptions): Promise<RemoteOutcome>;
  /** Run several scripts on one server in one round trip where possible; results in order. */
  batch(server: Server, scripts: readonly string[], options: RunOptions): Promise<RemoteOutcome[]>;
  /** Close every connection. */
  dispose(): Promise<void>;
  /**
   * Whether sshd answers a new connection with its banner right now, apart from any pooled
   * connection (a test recovery's login check). Optional: a runner without it is not asked; null
   * where it cannot be read from here (behind a jump host).
   */
  sshBanner?(server: Server): Promise<{ ok: true; banner: string } | { ok: false; why: string } | null>;
}
