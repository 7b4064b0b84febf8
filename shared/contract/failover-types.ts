/** The failover contract's shapes: runs, steps, the pre-flight, the plan, attestation, the audit log. */
import { z } from 'zod';
import { Id } from '../domain';
import { PlannedCommand, RunbookPurpose } from '../runbooks';

export const Reason = z
  .string()
  .trim()
  .min(3, 'give a reason (3 characters at least)')
  .max(1000, '1000 characters at most')
  .refine((v) => !v.includes('\u0000'), 'may not contain NUL');

export const RUN_MODES = ['real', 'drill', 'dry-run'] as const;
export const RunMode = z.enum(RUN_MODES);
export type RunMode = z.infer<typeof RunMode>;

export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'aborted', 'interrupted', 'closed'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const STEP_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'no-op',
  'waiting',
  'failed',
  'refused',
  'indeterminate',
  'needs-acknowledgement',
  'skipped',
  'aborted',
] as const;
export const StepStatus = z.enum(STEP_STATUSES);
export type StepStatus = z.infer<typeof StepStatus>;

export const OPERATOR_RESPONSES = ['tick', 'retry', 'skip', 'abort', 'acknowledge'] as const;
export const OperatorResponse = z.enum(OPERATOR_RESPONSES);
export type OperatorResponse = z.infer<typeof OperatorResponse>;

export const AUDIT_KINDS = [
  'intent',
  'outcome',
  'run',
  'confirmation',
  'attestation',
  'acknowledgement',
  'tick',
  'retry',
  'skip',
  'abort',
  'alarm',
  'refusal',
  'note',
  /** A person broke a lock (run lock or on-host lock), or Lifeboat took or gave back an on-host lock. */
  'lock',
  /** A change to the workspace outside a run: inventory, runbooks, imports, host keys, passwords, settings. */
  'change',
] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditEntry = z.object({
  id: Id,
  at: z.int(),
  kind: AuditKind,
  actor: z.string(),
  runId: Id.nullable(),
  groupId: Id.nullable(),
  stepIndex: z.int().nullable(),
  serverId: Id.nullable(),
  host: z.string(),
  command: z.string(),
  /** For an outcome row: the intent row it closes. */
  intentId: Id.nullable(),
  startedAt: z.int().nullable(),
  endedAt: z.int().nullable(),
  exitCode: z.int().nullable(),
  outcome: z.string(),
  output: z.string(),
  detail: z.string(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const MemberState = z.object({
  serverId: Id,
  host: z.string(),
  role: z.enum(['primary', 'standby']),
  /**
   * login-refused: it answered but would not let Lifeboat in (so it is up); cannot-login: Lifeboat
   * has no way to log in (no agent, no key, passphrase needed: a local problem, nothing exchanged,
   * up or down unknown); unreachable: it cannot be reached; unknown: the read was indeterminate.
   */
  reachability: z.enum(['reachable', 'unreachable', 'host-key', 'login-refused', 'cannot-login', 'unknown']),
  detail: z.string(),
  /** PostgreSQL groups: whether the server is a standby (null when unknown or not applicable). */
  inRecovery: z.boolean().nullable(),
  replayLagSeconds: z.number().nullable(),
});
export type MemberState = z.infer<typeof MemberState>;

/** Only a member that did not answer (or whose read timed out) may be attested powered off or isolated. */
export const ATTESTABLE_REACHABILITY: readonly MemberState['reachability'][] = ['unreachable', 'unknown'];

/** The members of a pre-flight that only an attestation can vouch for (none without a pre-flight). */
export function attestableMembers(preflight: { members: readonly MemberState[] } | null): MemberState[] {
  return preflight?.members.filter((m) => ATTESTABLE_REACHABILITY.includes(m.reachability)) ?? [];
}

export const VipHolding = z.object({
  address: z.string(),
  holders: z.array(z.object({ serverId: Id, host: z.string(), interface: z.string(), prefix: z.int() })),
  /** Members whose state could not be read: the VIP may be there. */
  unknown: z.array(z.object({ serverId: Id, host: z.string() })),
});
export type VipHolding = z.infer<typeof VipHolding>;

export const PREFLIGHT_STATUSES = ['ok', 'warn', 'block', 'needs-attestation', 'needs-acknowledgement'] as const;
export const PreflightCheck = z.object({ name: z.string(), status: z.enum(PREFLIGHT_STATUSES), detail: z.string() });
export type PreflightCheck = z.infer<typeof PreflightCheck>;

export const Preflight = z.object({
  groupId: Id,
  groupName: z.string(),
  sourceServerId: Id,
  targetServerId: Id,
  at: z.int(),
  durationMs: z.int(),
  members: z.array(MemberState),
  vips: z.array(VipHolding),
  checks: z.array(PreflightCheck),
  /** No check blocks (attestation and acknowledgement may still be needed). */
  passed: z.boolean(),
  needsAttestation: z.boolean(),
  /**
   * sha256 of the group, the two ends and the members it could not reach (unreachable or unknown):
   * an attestation names it, so one made against another pre-flight is refused.
   */
  attestationKey: z.string(),
  needsAcknowledgement: z.boolean(),
  rtoMinutes: z.int().nullable(),
  rpoMinutes: z.int().nullable(),
});
export type Preflight = z.infer<typeof Preflight>;

export const PlanStep = z.object({
  index: z.int(),
  type: z.enum(['manual', 'action']),
  title: z.string(),
  kind: z.string(),
  serverId: Id.nullable(),
  host: z.string(),
  description: z.string(),
  commands: z.array(PlannedCommand),
  role: z.string(),
  expectedMinutes: z.int().nullable(),
});
export type PlanStep = z.infer<typeof PlanStep>;

export const Plan = z.object({
  groupId: Id,
  groupName: z.string(),
  direction: RunbookPurpose,
  sourceServerId: Id,
  targetServerId: Id,
  runbookSaved: z.boolean(),
  definitionHash: z.string(),
  /** sha256 of the definition and every step's exact per-host commands: what the operator confirms. */
  planHash: z.string(),
  steps: z.array(PlanStep),
});
export type Plan = z.infer<typeof Plan>;

export const StepState = z.object({
  index: z.int(),
  title: z.string(),
  status: StepStatus,
  message: z.string(),
  /** State re-read after an indeterminate or failed step. */
  observed: z.string(),
  startedAt: z.int().nullable(),
  endedAt: z.int().nullable(),
  elapsedMs: z.int().nullable(),
  attempts: z.int(),
});
export type StepState = z.infer<typeof StepState>;

export const Waiting = z.object({ stepIndex: z.int(), options: z.array(OperatorResponse), prompt: z.string() });
export type Waiting = z.infer<typeof Waiting>;

export const RunView = z.object({
  id: Id,
  groupId: Id,
  groupName: z.string(),
  sourceServerId: Id,
  targetServerId: Id,
  mode: z.enum(['real', 'drill']),
  status: RunStatus,
  operator: z.string(),
  owner: z.object({ pid: z.int(), host: z.string(), alive: z.boolean() }),
  startedAt: z.int(),
  finishedAt: z.int().nullable(),
  elapsedMs: z.int().nullable(),
  rtoMinutes: z.int().nullable(),
  definitionHash: z.string(),
  steps: z.array(StepState),
  waiting: Waiting.nullable(),
  summary: z.string(),
  note: z.string(),
  /** Where an interrupted run stopped: its last intent and outcome rows. */
  lastIntent: AuditEntry.nullable(),
  lastOutcome: AuditEntry.nullable(),
});
export type RunView = z.infer<typeof RunView>;

const ATTESTATION_SHAPE =
  'an attestation names the pre-flight and each server: { preflightKey, servers: [{ serverId, reason }] } (free text alone is refused)';
export const Attestation = z
  .object(
    {
      preflightKey: z
        .string({ error: ATTESTATION_SHAPE })
        .regex(/^[0-9a-f]{64}$/, 'the attestationKey of the pre-flight you saw (failover.preflight)'),
      servers: z
        .array(
          z
            .object({
              serverId: Id,
              reason: Reason.refine((v) => v.length >= 10, 'describe how you know (10 characters at least)'),
            })
            .strict(),
          { error: ATTESTATION_SHAPE },
        )
        .min(1, 'name the server(s) you attest are powered off or isolated')
        .max(16),
    },
    { error: ATTESTATION_SHAPE },
  )
  .strict();
export type Attestation = z.infer<typeof Attestation>;

export const StartInput = z
  .object({
    groupId: Id,
    targetServerId: Id,
    mode: RunMode,
    /** The group's name typed by the operator (real runs and drills). */
    confirmation: z.string().max(200).default(''),
    /**
     * Required when the member being left cannot be reached: each server the operator says is
     * powered off or isolated, with how they know, bound to the pre-flight they saw (its
     * attestationKey). Free text alone is refused; so is a server the pre-flight at start reaches.
     */
    attestation: Attestation.optional(),
    /** The plan's hash as shown to the operator (failover.plan): a run of anything else is refused. */
    planHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'the planHash of the plan you reviewed (failover.plan)')
      .optional(),
    /**
     * The standby's replay lag is above the RPO and the operator accepts the loss, naming the lag
     * that was shown (null: shown as unknown). More lag at promotion time halts and asks again.
     */
    acknowledgeLag: z
      .object({ lagSeconds: z.number().min(0).max(1e9).nullable() })
      .strict()
      .optional(),
    /** Bound on the whole run in minutes (default: the workspace's setting, 240). */
    deadlineMinutes: z.int().min(1, 'at least 1 minute').max(1440, '1440 minutes at most').optional(),
    /** Resume an interrupted run of the same group from a fresh pre-flight (its mode is kept). */
    resumeRunId: Id.optional(),
    /**
     * reprotect: run the group's re-protect runbook (reprotect.plan; its target is the member
     * rebuilt) instead of the move to targetServerId. Real runs only.
     */
    purpose: z.enum(['move', 'reprotect']).optional(),
  })
  .strict();
export type StartInput = z.input<typeof StartInput>;

export const StartResult = z.object({
  runId: Id.nullable(),
  preflight: Preflight,
  plan: Plan,
  /** Why nothing was started, when nothing was. */
  refused: z.string().nullable(),
});
export type StartResult = z.infer<typeof StartResult>;

export const DrillStatus = z.object({
  groupId: Id,
  groupName: z.string(),
  status: z.enum(['never', 'good', 'needs-verification']),
  reasons: z.array(z.string()),
  lastGoodDrill: z
    .object({ runId: Id, at: z.int(), elapsedMs: z.int().nullable(), rtoMinutes: z.int().nullable() })
    .nullable(),
  maxAgeDays: z.int(),
});
export type DrillStatus = z.infer<typeof DrillStatus>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  rows: z.int(),
  firstBroken: z.object({ id: Id, reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;
