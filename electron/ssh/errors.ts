/**
 * The expected errors of the SSH engine, each with a string code the UI and the runbook engine can
 * switch on exhaustively. Anything else thrown from electron/ssh is a bug (docs/architecture.md, "The one door").
 */
import { LifeboatError, type ErrorCode } from '../../shared/errors';

/** Why a connection could not be used. */
export const SSH_PROBLEMS = [
  'host_key_unknown',
  'host_key_changed',
  'unreachable',
  'connect_timeout',
  'handshake_timeout',
  'handshake_failed',
  'disconnected',
  'auth_failed',
  'key_unreadable',
  'key_malformed',
  'key_is_public',
  'passphrase_required',
  'wrong_passphrase',
  'agent_unavailable',
  'password_missing',
  'no_keyring',
  'channel_refused',
  'channel_timeout',
  'cancelled',
  'closed',
] as const;
export type SshProblem = (typeof SSH_PROBLEMS)[number];

const CODE_OF: Record<SshProblem, ErrorCode> = {
  host_key_unknown: 'unauthorized',
  host_key_changed: 'conflict',
  unreachable: 'unavailable',
  connect_timeout: 'unavailable',
  handshake_timeout: 'unavailable',
  handshake_failed: 'unavailable',
  disconnected: 'unavailable',
  auth_failed: 'unauthorized',
  key_unreadable: 'invalid_input',
  key_malformed: 'invalid_input',
  key_is_public: 'invalid_input',
  passphrase_required: 'unauthorized',
  wrong_passphrase: 'unauthorized',
  agent_unavailable: 'unavailable',
  password_missing: 'unauthorized',
  no_keyring: 'unavailable',
  channel_refused: 'unavailable',
  channel_timeout: 'unavailable',
  cancelled: 'unavailable',
  closed: 'unavailable',
};

/** A connection-level problem: nothing was run because of it. */
export class SshError extends LifeboatError {
  constructor(
    readonly problem: SshProblem,
    message: string,
  ) {
    super(CODE_OF[problem], message);
    this.name = 'SshError';
  }
}

/** First contact: the key is shown for the operator to confirm; nothing was sent to the host. */
export class HostKeyUnknown extends SshError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly fingerprint: string,
  ) {
    super(
      'host_key_unknown',
      `${host}:${port} is not trusted yet: it presents the ${keyType} key ${fingerprint}. ` +
        "Check it with the host's administrator (ssh-keygen -lf on the host) and trust it explicitly.",
    );
    this.name = 'HostKeyUnknown';
  }
}

/** The host presents a key other than the pinned one. Refused before any credential was sent. */
export class HostKeyChanged extends SshError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly keyType: string,
    readonly pinnedFingerprint: string,
    readonly presentedFingerprint: string,
    readonly pinnedKeyType: string = keyType,
  ) {
    super(
      'host_key_changed',
      `HOST KEY CHANGED for ${host}:${port}: pinned ${pinnedKeyType} ${pinnedFingerprint}, ` +
        `now presented ${keyType} ${presentedFingerprint}. Someone may be intercepting the connection, ` +
        'or the host was reinstalled. Nothing was sent. Verify out of band; if the change is expected, forget the old pin and trust the new key.',
    );
    this.name = 'HostKeyChanged';
  }
}

/** How a command ended. Only `ok` is success; timeout, dropped and cancelled are unknown. */
export type ExecOutcome = 'ok' | 'failed' | 'timeout' | 'dropped' | 'cancelled';
/** The outcomes whose effect on the host is unknown (docs/safety.md, invariant 3). */
export type IndeterminateOutcome = Extract<ExecOutcome, 'timeout' | 'dropped' | 'cancelled'>;

/** What a command left behind. */
export interface ExecResult {
  /** The exit status, or null when none arrived. */
  code: number | null;
  /** The signal that ended the remote process, when it was one. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when either stream was cut at the output limit. */
  truncated: boolean;
  durationMs: number;
}

/** The command ran to the end and exited with a status outside the accepted ones. */
export class CommandFailed extends LifeboatError {
  readonly outcome = 'failed' as const;
  constructor(
    readonly result: ExecResult,
    readonly host: string,
  ) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ').slice(0, 300);
    super('conflict', `the command on ${host} exited with status ${result.code}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandFailed';
  }
}

/**
 * We do not know what happened on the host: re-observe its state before doing anything else, and
 * never retry blindly. `scriptSent` says whether any byte of the script may have reached it.
 */
export class Indeterminate extends LifeboatError {
  constructor(
    readonly outcome: IndeterminateOutcome,
    readonly result: ExecResult,
    readonly host: string,
    readonly scriptSent: boolean,
    reason: string,
  ) {
    super(
      'unavailable',
      `the outcome on ${host} is unknown (${outcome}: ${reason}); re-check the host's state before going on`,
    );
    this.name = 'Indeterminate';
  }
}

/** True for the errors the engine expects and people should see; false for bugs. */
export function isExpectedSshError(error: unknown): error is SshError | CommandFailed | Indeterminate {
  return error instanceof SshError || error instanceof CommandFailed || error instanceof Indeterminate;
}
