/**
 * The whole state of the console: one store composed of the slices, one per area. The slices'
 * shapes are declared here and their behaviour in the *-slice.ts files, so the state's type does
 * not import the slices that import it (no import cycle, type-only included).
 */
import type { StoreApi } from 'zustand/vanilla';
import type { Api } from '../../../shared/api-client';
import type { Alert, AlertSettings, CheckResult, CheckView, MonitoringStatus } from '../../../shared/checks';
import type { Incident, MaintenanceWindow } from '../../../shared/alerting';
import type { EscalationView } from '../../../shared/contract/alerts';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/index';
import type { AuditEntry, DrillStatus, Plan, RunOutput, RunView } from '../../../shared/contract/failover';
import type { RunLockView } from '../../../shared/contract/locks';
import type { RecoveryPlan, RecoveryView } from '../../../shared/contract/recovery';
import type { GroupState } from '../../../shared/contract/reprotect';
import type { Snapshot } from '../../../shared/domain';
import type { Runbook } from '../../../shared/runbooks';
import type { ConnectionState } from '../api/console-transport';
import type { Theme } from './themes';

export type AppState = WorkspaceSlice &
  UiSlice &
  HealthSlice &
  AlertingSlice &
  FailoverSlice &
  RunbooksSlice &
  DrillsSlice &
  AuditSlice &
  RecoverySlice;

export type AppStoreApi = StoreApi<AppState>;

export interface AuditSlice {
  auditRows: AuditEntry[];
  /** Whether older rows than the last one loaded may exist. */
  auditHasOlder: boolean;
  auditError: string | null;
  refreshAudit(): Promise<void>;
  loadOlderAudit(): Promise<void>;
}

export interface DrillsSlice {
  drillStatuses: DrillStatus[];
  drillsError: string | null;
  refreshDrills(): Promise<void>;
}

export interface FailoverChoice {
  groupId: number;
  /** Null until a member is chosen; the plan is read once there is one. */
  targetServerId: number | null;
}

export interface FailoverSlice {
  runs: RunView[];
  runsError: string | null;
  refreshRuns(): Promise<void>;
  /** The workspace's run locks (owner, machine, heartbeat), read with the runs. */
  runLocks: RunLockView[];
  /** The run shown live, its latest view, and its output by step (-1: pre-flight and verification). */
  followedRunId: number | null;
  followedRun: RunView | null;
  followedOutput: Record<number, RunOutput[]>;
  followedError: string | null;
  followRun(runId: number | null): void;
  refreshFollowedRun(): Promise<void>;
  appendOutput(line: RunOutput): void;
  /** The group and target chosen on the Failover screen, and their plan (kept current). */
  failoverChoice: FailoverChoice | null;
  plan: Plan | null;
  planError: string | null;
  chooseFailover(choice: FailoverChoice | null): Promise<void>;
  refreshPlan(): Promise<void>;
  /** What the runs recorded per group: the primary now, and whether it runs without redundancy. */
  groupStates: GroupState[];
  groupStatesError: string | null;
  refreshGroupStates(): Promise<void>;
}

export interface RecoverySlice {
  /** Whether the Failover screen shows the "Recover the company" flow. */
  recoveryOpen: boolean;
  /** The groups chosen for the recovery (null: every group), and their recovery plan (kept current). */
  recoveryGroupIds: number[] | null;
  recoveryPlan: RecoveryPlan | null;
  recoveryPlanError: string | null;
  /** This session's recoveries, newest first. */
  recoveries: RecoveryView[];
  recoveriesError: string | null;
  /** The latest output of each group's run while a recovery runs, by run id. */
  recoveryOutput: Record<number, RunOutput[]>;
  openRecovery(open: boolean): Promise<void>;
  chooseRecoveryGroups(groupIds: number[] | null): Promise<void>;
  refreshRecoveryPlan(): Promise<void>;
  refreshRecoveries(): Promise<void>;
  applyRecovery(view: RecoveryView): void;
  appendRecoveryOutput(line: RunOutput): void;
}

export interface HealthSlice {
  checkViews: CheckView[];
  monitoring: MonitoringStatus | null;
  alerts: Alert[];
  /** Bumped on every result, so open history charts reload. */
  resultsRevision: number;
  healthLoaded: boolean;
  healthError: string | null;
  refreshHealth(): Promise<void>;
  /** Read monitoring's status again: a sweep records itself before it sends its results. */
  refreshMonitoring(): Promise<void>;
  /** A result arrived (event or `checks.runNow`): it becomes its check's latest. */
  applyResult(result: CheckResult): void;
  applyAlert(alert: Alert): void;
}

export interface AlertingSlice {
  alertSettings: AlertSettings | null;
  escalation: EscalationView | null;
  maintenance: MaintenanceWindow[];
  /** Incidents with their timelines, unresolved first. */
  incidents: Incident[];
  alertingError: string | null;
  refreshAlerting(): Promise<void>;
  /** Read the incidents again (an alert raised, escalated or delivered). */
  refreshIncidents(): Promise<void>;
}

export interface RunbookKey {
  groupId: number;
  targetServerId: number;
}

export interface RunbooksSlice {
  runbookKey: RunbookKey | null;
  /** What `runbooks.get` answers for the key: the saved runbook, or the generated one (id null). */
  runbook: Runbook | null;
  /** What `runbooks.generate` answers: the default the editor's diff compares with. */
  generatedRunbook: Runbook | null;
  runbookError: string | null;
  openRunbook(key: RunbookKey | null): Promise<void>;
  refreshRunbook(): Promise<void>;
}

export type NoticeTone = 'success' | 'error' | 'info';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  /** Extra lines, e.g. the line-numbered problems of a refused plan file. */
  details: string[];
}

export interface UiSlice {
  /** Id of the screen in the navigation list; unknown ids show the Dashboard. */
  screen: string;
  theme: Theme;
  notices: Notice[];
  connection: ConnectionState;
  navigate(screen: string): void;
  setTheme(theme: Theme): void;
  /** Show a notice; returns its id. The same text is not shown twice at once. */
  notify(tone: NoticeTone, text: string, details?: string[]): number;
  dismiss(id: number): void;
}

export type WorkspaceInfo = MethodOutput<'workspace.info'>;

export interface WorkspaceSlice {
  /** The API client, for calls whose answer a screen shows once (a pre-flight, a history chart); events are followed by the store. */
  api: Api;
  info: WorkspaceInfo | null;
  snapshot: Snapshot | null;
  /** "failed" only when nothing could be loaded at all; later refresh failures become notices. */
  loadState: 'loading' | 'ready' | 'failed';
  loadError: string | null;
  /** Fetch info and snapshot again; overlapping requests are coalesced. */
  refresh(): Promise<void>;
  /** Call any contract method; after a change, every area is fetched again. Throws ApiError. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}
