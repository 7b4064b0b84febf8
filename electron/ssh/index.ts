/**
 * The SSH engine's public surface: the pool and its connections, the one `exec`, persistent
 * shells for sweeps, host-key trust, quoting, and the runtime a workspace owns.
 */
export { ConnectionPool, SshConnection, type PoolOptions } from './pool';
export { exec, REMOTE_SHELL, type ExecOptions } from './exec';
export { ShellSession, ShellSessions } from './session';
export {
  CommandFailed,
  HostKeyChanged,
  HostKeyUnknown,
  Indeterminate,
  SshError,
  isExpectedSshError,
  type ExecOutcome,
  type ExecResult,
  type IndeterminateOutcome,
  type SshProblem,
} from './errors';
export { endpointForServer, endpointKey, passwordAccount, type Endpoint } from './endpoint';
export { MemorySecretStore, NO_SECRET_STORE, type PassphraseProvider, type SecretStore } from './credentials';
export { MemoryHostKeyPins, classifyHostKey, sha256Fingerprint, type HostKeyPins, type HostKeyStatus, type PresentedHostKey } from './host-keys';
export { scanHostKeyOf, trustHostKey } from './trust';
export { createSshRunner, toRemoteOutcome } from './runner';
export { createSshRuntime, disposeSshRuntime, installSshRuntime, sshRuntimeFor, type SshRuntime, type SshRuntimeOptions } from './registry';
export { DEFAULT_TIMEOUTS, type SshTimeouts } from './transport';
export { Script, ShellWord, command, lines, sh, shellQuote, word } from './quote';
