/**
 * Contract entries for recovering the whole company in one run: the recovery plan (every group in
 * the computed recovery order, each with its own failover plan), one pre-flight over every group,
 * and the start, confirmed once by typing the company's name and bound to the recovery plan's hash.
 * Each group then runs as an ordinary failover run (its `run.*` events, answers by
 * `failover.respond`); the recovery as a whole streams `recovery.changed`.
 */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id } from '../domain';
import { RunbookDirection } from '../runbooks';
import { Attestation, Plan, Preflight, RunStatus, Waiting } from './failover-types';

const GroupIds = z.array(Id).min(1, 'choose at least one group').max(100).optional();

/** A manual step of a group's runbook with who does it and how to reach them. */
export const RecoveryManualStep = z.object({
  stepIndex: z.int(),
  title: z.string(),
  role: z.string(),
  owner: z.string(),
  phone: z.string(),
});
export type RecoveryManualStep = z.infer<typeof RecoveryManualStep>;

export const RecoveryPlanGroup = z.object({
  groupId: Id,
  groupName: z.string(),
  priority: z.int().min(1),
  /** Names of the groups of this recovery that must be back before this one changes anything. */
  needs: z.array(z.string()),
  /** Names of groups it needs that this recovery leaves out (assumed running). */
  assumedRunning: z.array(z.string()),
  sourceServerId: Id,
  sourceName: z.string(),
  targetServerId: Id,
  targetName: z.string(),
  direction: RunbookDirection,
  rtoMinutes: z.int().nullable(),
  services: z.array(z.object({ name: z.string(), rtoMinutes: z.int() })),
  manual: z.array(RecoveryManualStep),
  plan: Plan,
});
export type RecoveryPlanGroup = z.infer<typeof RecoveryPlanGroup>;

export const RecoveryPlan = z.object({
  companyName: z.string(),
  /** What the operator types to confirm: the company's name ("recover" when it has none). */
  confirmationWord: z.string(),
  targetMinutes: z.int().nullable(),
  groups: z.array(RecoveryPlanGroup),
  /** sha256 of the order and every group's planHash: what the one confirmation is bound to. */
  planHash: z.string(),
});
export type RecoveryPlan = z.infer<typeof RecoveryPlan>;

export const RecoveryPreflight = z.object({
  groups: z.array(Preflight),
  /** No check blocks in any group. */
  passed: z.boolean(),
  durationMs: z.int(),
});
export type RecoveryPreflight = z.infer<typeof RecoveryPreflight>;

export const RecoveryStartInput = z
  .object({
    /** The groups to recover (default: every group). */
    groupIds: GroupIds,
    /** The company's name as typed by the operator (the plan's confirmationWord). */
    confirmation: z.string().max(200).default(''),
    planHash: z.string().regex(/^[0-9a-f]{64}$/, 'the planHash of the recovery plan you reviewed (recovery.plan)'),
    /** Per group: members the pre-flight cannot reach, attested powered off or isolated. */
    attestations: z
      .array(z.object({ groupId: Id, attestation: Attestation }).strict())
      .max(100)
      .default([]),
    /** Per group: the replay lag shown and accepted (null: shown as unknown). */
    acknowledgeLag: z
      .array(z.object({ groupId: Id, lagSeconds: z.number().min(0).max(1e9).nullable() }).strict())
      .max(100)
      .default([]),
    /** Bound on each group's run in minutes (default: the workspace's setting, 240). */
    deadlineMinutes: z.int().min(1, 'at least 1 minute').max(1440, '1440 minutes at most').optional(),
  })
  .strict();
export type RecoveryStartInput = z.input<typeof RecoveryStartInput>;

/**
 * Where a group is in a recovery: waiting (for its pre-flight, the whole pre-flight or the groups
 * it needs), running, back (its clients reach it; read-only watching may go on), then how its run
 * ended; held: it changed nothing because a group it needs did not come back, or the pre-flight
 * of another group refused the recovery.
 */
export const RECOVERY_GROUP_STATES = ['waiting', 'running', 'back', 'succeeded', 'failed', 'aborted', 'held'] as const;
export const RecoveryGroupState = z.enum(RECOVERY_GROUP_STATES);
export type RecoveryGroupState = z.infer<typeof RecoveryGroupState>;

export const RecoveryGroupView = z.object({
  groupId: Id,
  groupName: z.string(),
  priority: z.int(),
  needs: z.array(z.string()),
  targetName: z.string(),
  runId: Id.nullable(),
  runStatus: RunStatus.nullable(),
  state: RecoveryGroupState,
  detail: z.string(),
  /** The question its run waits on (a manual step, a halt), answered with failover.respond. */
  waiting: Waiting.nullable(),
  /** Milliseconds from the recovery's start until its clients reached it again. */
  backAfterMs: z.int().nullable(),
  /** Milliseconds from the recovery's start until its run ended. */
  endedAfterMs: z.int().nullable(),
  rtoMinutes: z.int().nullable(),
  services: z.array(
    z.object({
      name: z.string(),
      rtoMinutes: z.int(),
      /** Whether it came back within its RTO (null while it is not back, or never came back). */
      withinRto: z.boolean().nullable(),
    }),
  ),
  manual: z.array(RecoveryManualStep),
});
export type RecoveryGroupView = z.infer<typeof RecoveryGroupView>;

export const RecoveryView = z.object({
  id: Id,
  status: z.enum(['running', 'succeeded', 'failed', 'refused']),
  actor: z.string(),
  companyName: z.string(),
  targetMinutes: z.int().nullable(),
  planHash: z.string(),
  startedAt: z.int(),
  finishedAt: z.int().nullable(),
  groups: z.array(RecoveryGroupView),
  /** Every group back within the company's target (null while running or without a target). */
  withinTarget: z.boolean().nullable(),
  summary: z.string(),
});
export type RecoveryView = z.infer<typeof RecoveryView>;

export const recoveryMethods = {
  'recovery.plan': method({
    input: z.object({ groupIds: GroupIds }).strict(),
    output: RecoveryPlan,
    summary: 'The whole-company recovery: every group (or those chosen) in recovery order, with its plan',
    mutates: false,
  }),
  'recovery.preflight': method({
    input: z.object({ groupIds: GroupIds }).strict(),
    output: RecoveryPreflight,
    summary: 'One pre-flight over every group of the recovery (live reads, nothing changed)',
    mutates: false,
  }),
  'recovery.start': method({
    input: RecoveryStartInput,
    output: RecoveryView,
    summary: "Recover the company in one run, confirmed once by the company's name",
    mutates: true,
  }),
  'recovery.get': method({
    input: z.object({ recoveryId: Id }).strict(),
    output: RecoveryView,
    summary: 'One recovery run of this session: each group, its clocks and the summary',
    mutates: false,
  }),
  'recovery.list': method({
    input: Empty,
    output: z.array(RecoveryView),
    summary: 'The recovery runs of this session, newest first',
    mutates: false,
  }),
} as const;

/** The recovery's own event: every change of a group's state, and its end. */
export const recoveryEvents = {
  'recovery.changed': RecoveryView,
} as const;
