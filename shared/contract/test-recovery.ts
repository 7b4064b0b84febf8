/**
 * Contract entries for the test recovery: every group and direction's step preconditions read on
 * the real hosts, read-only (nothing is released, stopped, promoted or copied), with each step's
 * expected time from drill history. A group whose test failed is "broken" until a test passes.
 */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id } from '../domain';

/** What a test recovery checks, each named so a failure says exactly which precondition broke. */
export const PRECONDITIONS = [
  'runbook',
  'login',
  'unit',
  'interface',
  'vip-holder',
  'postgres',
  'replication',
  'rsync',
  'disk',
  'clock',
] as const;
export const Precondition = z.enum(PRECONDITIONS);
export type Precondition = z.infer<typeof Precondition>;

/** What each precondition means, in the words shown beside it. */
export const PRECONDITION_WORDS: Record<Precondition, string> = {
  runbook: 'the runbook fits the group',
  login: 'the host answers and Lifeboat can log in',
  unit: 'the units exist (and are enabled on the target)',
  interface: "the VIP's interface is up",
  'vip-holder': "the VIP is answered only by its holder's MAC",
  postgres: 'pg_ctl and the data directory are found',
  replication: 'replication is streaming, lag within the RPO',
  rsync: 'the rsync dry run from the holder shows what would move',
  disk: 'the receiver has the disk space',
  clock: "the host's clock is within tolerance",
};

/** ok: proven; failed: proven wrong; unknown: could not be read (a failure: unknown is not success); skipped: not tested, with why. */
export const CheckOutcome = z.enum(['ok', 'failed', 'unknown', 'skipped']);
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export const TestRecoveryCheck = z.object({
  precondition: Precondition,
  /** The host (or "VIP on host") the check is about. */
  subject: z.string(),
  status: CheckOutcome,
  detail: z.string(),
});
export type TestRecoveryCheck = z.infer<typeof TestRecoveryCheck>;

export const TestRecoveryStep = z.object({
  index: z.int(),
  title: z.string(),
  /** The action kind, or "manual". */
  kind: z.string(),
  /** From the last good drill to the same member (manual steps: their expected minutes); null when never measured. */
  expectedSeconds: z.number().nullable(),
  /** Where the expected time comes from. */
  expectedFrom: z.enum(['drill', 'manual estimate', 'none']),
  /** The preconditions this step relies on. */
  preconditions: z.array(Precondition),
});
export type TestRecoveryStep = z.infer<typeof TestRecoveryStep>;

export const TestRecoveryDirection = z.object({
  direction: z.enum(['failover', 'switchback', 'in place']),
  sourceServerId: Id,
  targetServerId: Id,
  source: z.string(),
  target: z.string(),
  /** Tested from the member that runs the group now (the move that would happen on an outage). */
  live: z.boolean(),
  steps: z.array(TestRecoveryStep),
  /** Sum of the steps' expected times; null when any step was never measured. */
  expectedSeconds: z.number().nullable(),
  checks: z.array(TestRecoveryCheck),
  passed: z.boolean(),
});
export type TestRecoveryDirection = z.infer<typeof TestRecoveryDirection>;

export const TestRecoveryGroup = z.object({
  id: Id.nullable(),
  groupId: Id,
  groupName: z.string(),
  at: z.int(),
  durationMs: z.int(),
  trigger: z.enum(['operator', 'schedule']),
  actor: z.string(),
  passed: z.boolean(),
  /** The first failed precondition as shown ("unit: crm is disabled on web-b"); null when passed. */
  reason: z.string().nullable(),
  /** Every failed or unknown precondition of the group, by name. */
  failed: z.array(Precondition),
  directions: z.array(TestRecoveryDirection),
});
export type TestRecoveryGroup = z.infer<typeof TestRecoveryGroup>;

export const TestRecoveryReport = z.object({
  at: z.int(),
  durationMs: z.int(),
  passed: z.boolean(),
  groups: z.array(TestRecoveryGroup),
});
export type TestRecoveryReport = z.infer<typeof TestRecoveryReport>;

export const TestRecoverySettings = z
  .object({
    /** Days between scheduled test recoveries while monitoring is on (7 unless set). */
    intervalDays: z.int('whole days from 1 to 90').min(1, 'at least 1 day').max(90, '90 days at most'),
    /** How far a host's clock may be from Lifeboat's (ms). */
    clockToleranceMs: z.int('whole milliseconds').min(50, 'at least 50 ms').max(600_000, '600000 ms at most'),
  })
  .strict();
export type TestRecoverySettings = z.infer<typeof TestRecoverySettings>;

export const testRecoveryMethods = {
  'recovery.test': method({
    input: z.object({ groupIds: z.array(Id).max(200).optional() }).strict(),
    output: TestRecoveryReport,
    summary: "Test recovery: read every step's preconditions on the real hosts, changing nothing",
    mutates: true,
  }),
  'recovery.testResults': method({
    input: Empty,
    output: z.array(TestRecoveryGroup),
    summary: 'The latest test recovery of each group',
    mutates: false,
  }),
  'recovery.testSettings': method({
    input: Empty,
    output: TestRecoverySettings,
    summary: 'How often the test recovery runs by itself, and the clock tolerance',
    mutates: false,
  }),
  'recovery.setTestSettings': method({
    input: TestRecoverySettings,
    output: TestRecoverySettings,
    summary: 'Set how often the test recovery runs by itself, and the clock tolerance',
    mutates: true,
  }),
};
