/** What a run is given: its dependencies, its bounds, the runbook and group it runs, and fresh step states. */
import type { Db } from '../db/connection';
import type { EventSink } from '../ports/events';
import type { StepState } from '../../shared/contract/failover';
import type { Runbook } from '../../shared/runbooks';
import type { RemoteRunner } from '../ports/remote';
import type { RunOwner } from '../db/repositories/runs';
import type { LagAcknowledgement } from './actions/postgres-promote';
import type { GroupContext } from './definition';

export interface RunDeps {
  db: Db;
  runner: RemoteRunner;
  emit: EventSink;
  actor: string;
}

/** Bounds of a run (docs/safety.md, invariant 8). */
export interface RunLimits {
  /** How long a person has to answer a halted or manual step. */
  operatorWaitMs: number;
  /** Attempts of one step (the first and its retries) before only skip or abort remain. */
  maxAttempts: number;
}

/** A person has this long to answer a halted or manual step before the run is aborted. */
export const OPERATOR_WAIT_MS = 8 * 3600_000;
/** The first try and two retries. */
export const MAX_STEP_ATTEMPTS = 3;
export const DEFAULT_LIMITS: RunLimits = { operatorWaitMs: OPERATOR_WAIT_MS, maxAttempts: MAX_STEP_ATTEMPTS };

export interface RunSetup {
  runId: number;
  owner: RunOwner;
  mode: 'real' | 'drill';
  context: GroupContext;
  runbook: Runbook;
  steps: StepState[];
  /** Members the pre-flight could not reach. */
  unreachable: ReadonlySet<number>;
  /** Members the operator attested powered off or isolated (each named, bound to the pre-flight). */
  attested: ReadonlySet<number>;
  /** The replay lag the operator accepted at the start, as shown. */
  acknowledgedLag: LagAcknowledgement | null;
  startedAt: number;
  /** When the whole run must be over: waits and steps are cut to it, and past it the run aborts. */
  deadlineAt: number;
  /** The step a resumed run was caught in: re-observed and asked about before anything runs. */
  resumeIndex: number | null;
  limits?: Partial<RunLimits>;
  /**
   * Before each step that is not done yet: null to go on, or why the run must stop here (the step
   * is marked aborted). A whole-company recovery holds a group here until the groups it needs are
   * back; bounded by the caller with `remainingMs`, the time left before the run's deadline.
   */
  beforeStep?: (index: number, remainingMs: number) => Promise<string | null>;
  /** Before the run's lock is given back: release the on-host lock; returns what could not be released. */
  onEnd?: () => Promise<string[]>;
}

/** A fresh state for every step. */
export function pendingSteps(runbook: Runbook): StepState[] {
  return runbook.steps.map((step, index) => ({
    index,
    title: step.title,
    status: 'pending',
    message: '',
    observed: '',
    startedAt: null,
    endedAt: null,
    elapsedMs: null,
    attempts: 0,
  }));
}
