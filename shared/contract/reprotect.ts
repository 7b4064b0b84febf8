/**
 * Contract entries for re-protecting a group after a failover: which member is primary now and
 * whether the group runs without redundancy (recorded by the runs that move or re-protect it), and
 * the re-protect plan, with a read-only preview of what the reverse sync would overwrite or delete
 * on the member that comes back. A re-protect is started with `failover.start` (purpose reprotect).
 */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id } from '../domain';
import { Plan, Preflight } from './failover-types';

export const REDUNDANCY_STATES = ['redundant', 'without-redundancy'] as const;

/** What the runs recorded about a group: its primary now, and whether the other member is its standby again. */
export const GroupState = z.object({
  groupId: Id,
  /** The member that serves now (the target of the last successful failover or switchback). */
  primaryServerId: Id,
  redundancy: z.enum(REDUNDANCY_STATES),
  /** When the state was recorded, and by which run. */
  since: z.int(),
  runId: Id.nullable(),
  detail: z.string(),
});
export type GroupState = z.infer<typeof GroupState>;

/** What the reverse sync would overwrite or delete on the member that comes back (an rsync dry run). */
export const OverwritePreview = z.object({
  stepIndex: z.int(),
  host: z.string(),
  /** The itemized lines at risk: files that differ there (overwritten) and `*deleting` lines. */
  lines: z.array(z.string()),
  count: z.int(),
  sha256: z.string(),
});
export type OverwritePreview = z.infer<typeof OverwritePreview>;

export const ReprotectPreview = z.object({
  plan: Plan,
  state: GroupState.nullable(),
  /** The live pre-flight (dry run only; null for the plan alone). */
  preflight: Preflight.nullable(),
  /** Per rsync step that previews: what it would overwrite or delete (dry run only). */
  overwrites: z.array(OverwritePreview),
  /** Why a preview could not be read (the preview proves nothing then). */
  previewProblems: z.array(z.string()),
});
export type ReprotectPreview = z.infer<typeof ReprotectPreview>;

const GroupRef = z.object({ groupId: Id }).strict();

export const reprotectMethods = {
  'groups.state': method({
    input: Empty,
    output: z.array(GroupState),
    summary: 'Per group: the member that is primary now, and whether it runs without redundancy',
    mutates: false,
  }),
  'reprotect.plan': method({
    input: GroupRef,
    output: ReprotectPreview,
    summary: 'The re-protect runbook of a group with the exact commands per host, touching no host',
    mutates: false,
  }),
  'reprotect.preview': method({
    input: GroupRef,
    output: ReprotectPreview,
    summary: 'Re-protect dry run: the plan, the live pre-flight and what the reverse sync would overwrite (read only)',
    mutates: false,
  }),
} as const;
