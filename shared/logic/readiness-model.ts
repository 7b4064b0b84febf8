/** What readiness is made of: its reason codes and their cost, the evidence it reads, and what it answers. */
import type { Tier } from '../domain';

export const READINESS_CODES = [
  'no_services',
  'no_standby',
  'no_vip',
  'no_redundancy',
  'no_runbook',
  'runbooks_not_set_up',
  'never_drilled',
  'drills_not_set_up',
  'drill_too_old',
  'changed_since_drill',
  'drill_slower_than_rto',
  'health_failing',
  'health_not_monitored',
  'no_health_checks',
  'health_unknown',
  'drift',
  'replication_lag',
  'sync_age',
  'no_contact',
  'no_vendor_phone',
  'no_workaround',
  'dependency_single_point',
  'test_recovery_broken',
  'no_backup',
  'never_restored',
] as const;
export type ReadinessCode = (typeof READINESS_CODES)[number];

/** Points each finding takes off a service's 100. */
export const PENALTY: Record<ReadinessCode, number> = {
  no_services: 100,
  no_standby: 30,
  no_vip: 10,
  /** After a failover the group runs on one member until the one it left is re-protected. */
  no_redundancy: 30,
  no_runbook: 15,
  runbooks_not_set_up: 15,
  never_drilled: 15,
  drills_not_set_up: 15,
  drill_too_old: 10,
  changed_since_drill: 10,
  drill_slower_than_rto: 15,
  health_failing: 20,
  health_not_monitored: 10,
  no_health_checks: 10,
  /** Checks that answer nothing prove nothing: they cost what having none costs. */
  health_unknown: 10,
  drift: 10,
  replication_lag: 15,
  sync_age: 15,
  no_contact: 10,
  no_vendor_phone: 5,
  no_workaround: 10,
  dependency_single_point: 10,
  /** A test recovery found a step that would fail: the failover would halt there. */
  test_recovery_broken: 25,
  no_backup: 15,
  never_restored: 10,
};

/** Codes that describe a missing part of Lifeboat rather than a gap of one service. */
export const SOURCE_CODES: ReadonlySet<ReadinessCode> = new Set([
  'runbooks_not_set_up',
  'drills_not_set_up',
  'health_not_monitored',
]);

/** How much each tier weighs in the overall score. */
export const TIER_WEIGHT: Record<Tier, number> = { critical: 3, important: 2, routine: 1 };
export const DEFAULT_DRILL_MAX_AGE_DAYS = 90;

export interface RunbookFacts {
  groupId: number;
  steps: number;
}
export interface DrillFacts {
  groupId: number;
  /** ISO 8601 time the drill finished. */
  finishedAt: string;
  minutes: number;
  succeeded: boolean;
  /** The group's runbook or members changed since this drill. */
  changedSince: boolean;
}
export interface HealthFacts {
  groupId: number;
  /** Names of the checks that are failing now. */
  failing: string[];
  /** How many checks of the group have a recent known result (ok, warn or fail). */
  known: number;
  /** Names of the checks whose state is unknown (no recent result, or unknown: not read). */
  unknown: string[];
  /** What differs between the primary and a standby (packages, configuration files, units). */
  drift: string[];
  replicationLagMinutes: number | null;
  syncAgeMinutes: number | null;
}

/** The newest test recovery of a group (every step's preconditions read on the real hosts). */
export interface TestRecoveryFacts {
  groupId: number;
  passed: boolean;
  /** The first failed precondition as shown ("unit: crm is disabled on web-b"); null when passed. */
  reason: string | null;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A backup check or a restore test, and the service or group it belongs to. */
export interface BackupFacts {
  kind: 'backup' | 'restore';
  groupId: number | null;
  serviceId: number | null;
  /** Restore tests: when one last passed (ms since the epoch), null when never (in the kept history). */
  passedAt: number | null;
}

/** What the runs recorded about a group: a failover left it running without redundancy until re-protected. */
export interface RedundancyFacts {
  groupId: number;
  /** The member serving now, by name. */
  primary: string;
  redundant: boolean;
  /** What moved it and what is left to do, in one sentence. */
  detail: string;
}

/** Optional evidence; leave a source out while that part of Lifeboat does not exist. */
export interface ReadinessEvidence {
  /** Recorded group states (groups no run moved have none: their configured primary serves). */
  redundancy?: readonly RedundancyFacts[];
  runbooks?: readonly RunbookFacts[];
  drills?: readonly DrillFacts[];
  health?: readonly HealthFacts[];
  testRecoveries?: readonly TestRecoveryFacts[];
  /** Backup checks and restore tests; absent: no backup findings. */
  backups?: readonly BackupFacts[];
  /** Milliseconds since the epoch; drill ages are measured from here. */
  now?: number;
  drillMaxAgeDays?: number;
}

export interface ReadinessReason {
  code: ReadinessCode;
  /** What is wrong, in one sentence. */
  text: string;
  /** What the admin can do about it. */
  fix: string;
  penalty: number;
  /** The group the finding is about, so one fix can count for every service of the group. */
  groupId: number | null;
}

export interface ServiceReadiness {
  serviceId: number;
  name: string;
  tier: Tier;
  costPerHour: number | null;
  score: number;
  reasons: ReadinessReason[];
}

export interface NextAction {
  code: ReadinessCode;
  text: string;
  fix: string;
  /** The services this fix helps, most urgent first. */
  services: string[];
  /** The most urgent tier among them. */
  tier: Tier;
  /** Sum of the known costs of downtime per hour of those services. */
  costPerHour: number;
  /** Points the fix adds across those services. */
  points: number;
}

export interface Readiness {
  /** Tier-weighted mean of the service scores (critical 3, important 2, routine 1); 0 when empty. */
  score: number;
  services: ServiceReadiness[];
  next: NextAction[];
  /** Which evidence sources exist; the plan says so where one does not. */
  sources: { runbooks: boolean; drills: boolean; health: boolean };
}
