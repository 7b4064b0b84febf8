/**
 * What every action kind shares: the environment a step runs in, the result it reports, and
 * helpers to read the state a step changes. One file per kind implements `ActionModule`.
 */
import { sshFailureWords } from '../../../shared/ssh-status';
import type { Server, ServiceGroup } from '../../../shared/domain';
import type { ActionKind, ActionParams, PlannedCommand } from '../../../shared/runbooks';
import type { StepStatus } from '../../../shared/contract/failover';
import { shellQuote, word, type Script } from '../../ssh/quote';
import type { RemoteOutcome, RemoteResult } from '../../ports/remote';

/** What an action knows without touching a host (describing itself, listing its commands). */
export interface PlanEnvironment {
  servers: ReadonlyMap<number, Server>;
  group: ServiceGroup;
  /** The server the step runs on. */
  server: Server;
}

export interface ExecOptions {
  timeoutMs?: number;
  okCodes?: readonly number[];
  /** Reads state only; changes nothing. */
  readOnly: boolean;
  /** A short script for the host's persistent shell (see AuditedExecOptions.quick). */
  quick?: boolean;
}

/** What an action may do while it runs: every command goes through the audit log. */
export interface StepEnvironment extends PlanEnvironment {
  /** RPO of the group's services in minutes (the most demanding), null when none. */
  rpoMinutes: number | null;
  /** The deletion list the operator acknowledged for this step (its count and sha256), if any. */
  acknowledgedDeletions: DeletionAcknowledgement | null;
  /** The replay lag the operator accepted (named as shown, and when it was read), if any. */
  acknowledgedLag: { lagSeconds: number | null; at: number } | null;
  /** Whether the pre-flight reached a server. */
  reachable(serverId: number): boolean;
  /** Run a script on a server: intent row, command, outcome row, output streamed. */
  exec(server: Server, purpose: string, script: string, options: ExecOptions): Promise<RemoteOutcome>;
  /** A line for the operator, streamed with the step's output. */
  info(text: string): void;
  /** Milliseconds left before the step's deadline. */
  remainingMs(): number;
  /** Wait (bounded by the caller) without blocking the process. */
  sleep(ms: number): Promise<void>;
}

/** What an acknowledgement of rsync deletions is bound to: the list shown, by count and sha256. */
export interface DeletionAcknowledgement {
  count: number;
  sha256: string;
}

export type ActionStatus = Extract<
  StepStatus,
  'succeeded' | 'no-op' | 'failed' | 'refused' | 'indeterminate' | 'needs-acknowledgement'
>;

export interface ActionResult {
  status: ActionStatus;
  message: string;
  /** The state as re-read (shown after a failure or an indeterminate outcome). */
  observed?: string;
  /** For needs-acknowledgement about lag: the value the operator is asked to accept. */
  lag?: { lagSeconds: number | null; at: number };
  /** For needs-acknowledgement about deletions: the list the operator is asked to accept. */
  deletions?: DeletionAcknowledgement;
  /** Something a person must act on now (two holders seen): written to the audit log as an alarm. */
  alarm?: string;
}

/** Thrown inside an action to end the step with `result` (an indeterminate or failed command). */
export class StepStop extends Error {
  constructor(readonly result: ActionResult) {
    super(result.message);
  }
}

/** One file per action kind implements this. */
export interface ActionModule<K extends ActionKind> {
  kind: K;
  /** One sentence for the plan and the audit log. */
  describe(params: ActionParams<K>, env: PlanEnvironment): string;
  /** Every command it may run, on which host, in order (the exact script text). */
  commands(params: ActionParams<K>, env: PlanEnvironment): PlannedCommand[];
  /** The servers it reads or changes (its own first). */
  servers(params: ActionParams<K>, env: PlanEnvironment): Server[];
  /** Check preconditions, change, and verify by re-reading state. Idempotent or guarded. */
  execute(params: ActionParams<K>, env: StepEnvironment): Promise<ActionResult>;
  /** Re-read the state the action changes (after an indeterminate command). */
  observe(params: ActionParams<K>, env: StepEnvironment): Promise<string>;
  /**
   * It only watches after the clients moved (a second holder of a VIP): a whole-company recovery
   * counts the group back before such trailing steps, so the groups that need it go on meanwhile.
   */
  aftercare?: true;
}

/** Describe what happened to a command that did not succeed. */
export function outcomeText(outcome: RemoteOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return 'ok';
    case 'failed':
      return `exit status ${outcome.result.code}${outcome.result.stderr ? `: ${outcome.result.stderr.trim().slice(0, 300)}` : ''}`;
    case 'indeterminate':
      return `outcome unknown (${outcome.reason}): ${outcome.detail}`;
    case 'unreachable':
      return `${sshFailureWords(outcome.cause, 'the host')}; nothing was run: ${outcome.detail}`;
    case 'host-key':
      return `host key ${outcome.status} (${outcome.fingerprint}): nothing was sent`;
  }
}

/** The result of a command that must succeed; otherwise the step stops (indeterminate stays indeterminate). */
export function requireOk(outcome: RemoteOutcome, what: string): RemoteResult {
  if (outcome.kind === 'ok') return outcome.result;
  if (outcome.kind === 'indeterminate')
    throw new StepStop({ status: 'indeterminate', message: `${what}: ${outcomeText(outcome)}` });
  throw new StepStop({ status: 'failed', message: `${what}: ${outcomeText(outcome)}` });
}

/** The output of a command whose exit status is judged by the caller (ok or failed both carry output). */
export function requireAnswer(outcome: RemoteOutcome, what: string): RemoteResult {
  if (outcome.kind === 'ok' || outcome.kind === 'failed') return outcome.result;
  return requireOk(outcome, what);
}

/** A planned command line. */
export function planned(server: Server, purpose: string, script: string, readOnly: boolean): PlannedCommand {
  return { serverId: server.id, host: server.name, purpose, script, readOnly };
}

/** Look a server up or fail with a clear message. */
export function serverOf(servers: ReadonlyMap<number, Server>, id: number): Server {
  const server = servers.get(id);
  if (!server) throw new StepStop({ status: 'refused', message: `server ${id} is not in the inventory` });
  return server;
}

/** Run `inner` (one simple command built from quoted words) as another OS user. */
export function asUser(os: Server['os'], user: string, inner: string): string {
  if (os === 'openbsd') return `su -s /bin/sh ${word.user(user).quoted} -c ${shellQuote(inner)}`;
  return `runuser -u ${word.user(user).quoted} -- ${inner}`;
}

/** Join script lines. */
export const script = (...parts: (string | Script)[]): string =>
  parts.map((p) => (typeof p === 'string' ? p : p.text)).join('\n');
