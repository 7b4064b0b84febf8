/**
 * How services run scripts on servers, without knowing SSH. The SSH engine (electron/ssh/)
 * provides the real implementation; tests may pass a scripted one.
 */
import type { Server } from '../../shared/domain';

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
 * was sent. `host-key` means the host key is unknown or changed: nothing was sent either.
 */
export type RemoteOutcome =
  | { kind: 'ok'; result: RemoteResult }
  | { kind: 'failed'; result: RemoteResult }
  | { kind: 'indeterminate'; reason: 'timeout' | 'dropped' | 'cancelled' | 'no-exit-status'; detail: string; result?: RemoteResult }
  | {
      kind: 'unreachable';
      detail: string;
      /** The host answered but would not let Lifeboat in (credentials, key, agent): it is up, not unreachable. */
      loginRefused?: true;
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
}
