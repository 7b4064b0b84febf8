/**
 * What every service function receives: the open workspace, facts about the running app, and the
 * ports it reaches the world through. Built once where the process opens the workspace (`openApp`)
 * and extended by a long-lived host (`startLiveHost`); passed down, never looked up. A leaf: it
 * imports only the other ports, `shared/` and packages, so engines and transports can both depend on it.
 */
import type Database from 'better-sqlite3';
import type { PassphraseRequest } from '../../shared/contract/hosts';
import type { MethodOutput } from '../../shared/contract';
import type { MonitoringStatus } from '../../shared/checks';
import type { OperatorResponse, Waiting } from '../../shared/contract/failover';
import type { AlertSecrets } from './alert-secrets';
import type { RecoveryView } from '../../shared/contract/recovery';
import type { EventSink } from './events';
import type { RemoteRunner } from './remote';

export interface ServiceContext {
  db: Database.Database;
  dbPath: string;
  appVersion: string;
  /**
   * Runs every remote command of this workspace: checks, failovers and host locks (the SSH engine's;
   * a fake in tests). Null where no SSH engine is wired: what would reach a server is refused.
   */
  runner: RemoteRunner | null;
  /** Host-key trust and stored passwords, over the same SSH runtime as the runner. */
  ssh: SshPort;
  /** Carries events to every transport: the dispatcher's emit under a live host, the CLI's printer, else dropped. */
  emit: EventSink;
  /** The whole-company recoveries started in this process, by id (electron/failover/recovery.ts). */
  recoveries: Map<number, RecoveryView>;
  /** The passphrase questions open to the operator; null where no window can answer (the one-shot CLI). */
  prompts: PassphraseQuestions | null;
  /** Background monitoring, where a long-lived host runs it; null elsewhere (the one-shot CLI). */
  monitor: MonitorPort | null;
  /** The failover runs this process drives, by run id (others are seen through the database). */
  runs: LiveRuns;
  /** Where the SMTP password for alert mail is kept: the OS keyring in the app, a file or variable for `serve`. */
  alertSecrets: AlertSecrets;
}

/** What the handlers need of the passphrase prompts (electron/ssh/passphrase-prompts.ts). */
export interface PassphraseQuestions {
  /** The questions still open, oldest first. */
  pending(): PassphraseRequest[];
  /** Answer a question (null declines it); false when it is no longer open. */
  answer(requestId: string, passphrase: string | null): boolean;
}

/** Host-key trust and stored passwords of inventory servers (electron/ssh/runtime.ts). */
export interface SshPort {
  scanKey(serverId: number): Promise<MethodOutput<'hosts.scanKey'>>;
  trustKey(serverId: number, confirmed: { keyType: string; fingerprint: string }): Promise<MethodOutput<'hosts.trust'>>;
  forgetKeys(serverId: number): MethodOutput<'hosts.forget'>;
  setPassword(serverId: number, password: string): Promise<MethodOutput<'hosts.setPassword'>>;
  clearPassword(serverId: number): Promise<MethodOutput<'hosts.clearPassword'>>;
}

/** The background monitor of a workspace (electron/checks/monitor.ts), as the services see it. */
export interface MonitorPort {
  /** Whether its scheduler is running now. */
  readonly running: boolean;
  readonly lastSweep: MonitoringStatus['lastSweep'];
  /** The desktop notification hook, for test alerts; null when headless. */
  readonly notify: ((title: string, body: string) => void) | null;
  /** Start or stop after the setting or the checks changed. */
  refresh(): void;
  /** Run checks now through the scheduler (retries, alerts and events follow). */
  runNow(filter: { groupId?: number; checkIds?: readonly number[] }): Promise<MethodOutput<'checks.runNow'>>;
}

/** A run this process drives (electron/failover/run-controller.ts), as the engine's views see it. */
export interface LiveRun {
  /** The question the run is waiting on, if any. */
  readonly waitingFor: Waiting | null;
  respond(stepIndex: number, action: OperatorResponse, reason?: string): void;
}

/** The runs this process drives, by run id. */
export type LiveRuns = Map<number, LiveRun>;
