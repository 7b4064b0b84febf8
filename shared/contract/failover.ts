/**
 * Contract entries for failover: runbooks, pre-flight, the plan, runs and their steps, the audit
 * log and drills. A run is started here and then streams `run.*` events; halted steps wait for
 * `failover.respond`.
 */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id } from '../domain';
import { Runbook, RunbookDraft } from '../runbooks';
import {
  Reason,
  DrillStatus,
  Plan,
  Preflight,
  RunView,
  StartInput,
  StartResult,
  AuditEntry,
  AuditVerification,
  OperatorResponse,
  StepState,
  Waiting,
  RunStatus,
} from './failover-types';

export * from './failover-types';

const RunbookKey = z.object({ groupId: Id, targetServerId: Id }).strict();
const RunRef = z.object({ runId: Id }).strict();

export const failoverMethods = {
  'runbooks.list': method({
    input: z.object({ groupId: Id }).strict(),
    output: z.array(Runbook),
    summary: 'The saved runbooks of a service group',
    mutates: false,
  }),
  'runbooks.get': method({
    input: RunbookKey,
    output: Runbook,
    summary: 'The runbook that moves a group to a member (the generated default when none is saved)',
    mutates: false,
  }),
  'runbooks.generate': method({
    input: RunbookKey,
    output: Runbook,
    summary: "Generate (without saving) the default runbook from the group's definition",
    mutates: false,
  }),
  'runbooks.save': method({
    input: RunbookDraft,
    output: Runbook,
    summary: 'Save an edited runbook after checking every step against the group',
    mutates: true,
  }),
  'failover.preflight': method({
    input: RunbookKey,
    output: Preflight,
    summary: 'Read the live state: VIP holders, reachability, replication lag, drills',
    mutates: false,
  }),
  'failover.plan': method({
    input: RunbookKey,
    output: Plan,
    summary: 'Every step with the exact commands per host, without running anything',
    mutates: false,
  }),
  'failover.start': method({
    input: StartInput,
    output: StartResult,
    summary: 'Start a failover or drill (or a dry run: pre-flight and plan only)',
    mutates: true,
  }),
  'failover.respond': method({
    input: z
      .object({ runId: Id, stepIndex: z.int().min(0), action: OperatorResponse, reason: Reason.optional() })
      .strict(),
    output: RunView,
    summary: 'Answer a halted step: tick, retry, skip (with a reason), acknowledge or abort',
    mutates: true,
  }),
  'runs.list': method({
    input: z.object({ groupId: Id.optional(), limit: z.int().min(1).max(1000).default(50) }).strict(),
    output: z.array(RunView),
    summary: 'Failover runs and drills, newest first (interrupted ones marked)',
    mutates: false,
  }),
  'runs.get': method({
    input: RunRef,
    output: RunView,
    summary: 'One run with its steps and where it stopped',
    mutates: false,
  }),
  'runs.close': method({
    input: z.object({ runId: Id, note: Reason }).strict(),
    output: RunView,
    summary: 'Close an interrupted or failed run with a note',
    mutates: true,
  }),
  'audit.list': method({
    input: z
      .object({ runId: Id.optional(), beforeId: Id.optional(), limit: z.int().min(1).max(5000).default(200) })
      .strict(),
    output: z.array(AuditEntry),
    summary: 'Audit rows, newest first',
    mutates: false,
  }),
  'audit.export': method({
    input: z.object({ format: z.enum(['csv', 'json']), runId: Id.optional() }).strict(),
    output: z.object({ format: z.enum(['csv', 'json']), text: z.string(), rows: z.int() }),
    summary: 'The audit log as CSV or JSON',
    mutates: false,
  }),
  'audit.verify': method({
    input: Empty,
    output: AuditVerification,
    summary: "Check the audit log's hash chain and report the first broken row",
    mutates: false,
  }),
  'drills.status': method({
    input: z.object({ groupId: Id.optional() }).strict(),
    output: z.array(DrillStatus),
    summary: 'Per group: last good drill and whether it needs verification',
    mutates: false,
  }),
  'drills.setMaxAge': method({
    input: z.object({ days: z.int().min(1).max(3650) }).strict(),
    output: z.object({ days: z.int() }),
    summary: 'After how many days a good drill no longer counts',
    mutates: true,
  }),
} as const;

export const RunOutput = z.object({
  runId: Id,
  /** -1 for the pre-flight and the final verification. */
  stepIndex: z.int(),
  host: z.string(),
  stream: z.enum(['command', 'stdout', 'stderr', 'info', 'alarm']),
  text: z.string(),
  at: z.int(),
});
export type RunOutput = z.infer<typeof RunOutput>;

export const RunStepEvent = z.object({ runId: Id, groupId: Id, step: StepState, waiting: Waiting.nullable() });
export type RunStepEvent = z.infer<typeof RunStepEvent>;

export const RunFinished = z.object({
  runId: Id,
  groupId: Id,
  status: RunStatus,
  elapsedMs: z.int(),
  rtoMinutes: z.int().nullable(),
  summary: z.string(),
});
export type RunFinished = z.infer<typeof RunFinished>;

/** Events of this area: each step change, each command's output, and the end of a run. */
export const failoverEvents = {
  'run.step': RunStepEvent,
  'run.output': RunOutput,
  'run.finished': RunFinished,
} as const;
