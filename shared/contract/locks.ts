/**
 * Contract entries for the locks a person may have to recover: the workspace's run lock of a group
 * (held by a process, on some machine, with a heartbeat) and the on-host lock Lifeboat keeps on every
 * member while a run changes it. Breaking either takes a typed confirmation naming the host and the
 * run, and a reason; both go into the audit log.
 */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id } from '../domain';
import { RunView } from './failover';

const Reason = z
  .string()
  .trim()
  .min(3, 'give a reason (3 characters at least)')
  .max(1000, '1000 characters at most')
  .refine((v) => !v.includes('\u0000'), 'may not contain NUL');

const Confirmation = z.string().trim().min(1, 'type the confirmation shown').max(300, '300 characters at most');

export const RunLockView = z.object({
  groupId: Id,
  groupName: z.string(),
  runId: Id,
  runStatus: z.string(),
  operator: z.string(),
  ownerHost: z.string(),
  ownerPid: z.int(),
  /** The owner runs on this machine. */
  local: z.boolean(),
  /** This machine can tell the owner process is alive (false for another machine's: unknown). */
  alive: z.boolean(),
  acquiredAt: z.int(),
  /** Null when the run is marked running but no lock row remains. */
  heartbeatAt: z.int().nullable(),
  /** Null when it may be broken. */
  refusal: z.string().nullable(),
  /** What the operator types to break it: names the owner's host and the run. */
  confirmation: z.string(),
});
export type RunLockView = z.infer<typeof RunLockView>;

export const HostLockRecord = z.object({
  /** Who took it ("alice@laptop") and on which machine. */
  owner: z.string(),
  ownerHost: z.string(),
  runId: Id.nullable(),
  workspaceId: z.string(),
  groupName: z.string(),
  /** ms since the epoch, as written by the taker. */
  at: z.int().nullable(),
  token: z.string(),
});
export type HostLockRecord = z.infer<typeof HostLockRecord>;

export const HostLockView = z.object({
  serverId: Id,
  host: z.string(),
  /** free: no lock; held: a lock with its owner record; unknown: the read did not prove itself. */
  state: z.enum(['free', 'held', 'unknown']),
  detail: z.string(),
  lock: HostLockRecord.nullable(),
  /** Held by a run this process drives now. */
  ours: z.boolean(),
  ageSeconds: z.int().nullable(),
  /** What the operator types to break it (held locks only). */
  confirmation: z.string(),
});
export type HostLockView = z.infer<typeof HostLockView>;

export const lockMethods = {
  'runs.locks': method({
    input: Empty,
    output: z.array(RunLockView),
    summary: 'The run locks of this workspace: owner, machine, heartbeat, whether each may be broken',
    mutates: false,
  }),
  'runs.breakLock': method({
    input: z.object({ runId: Id, confirmation: Confirmation, reason: Reason }).strict(),
    output: RunView,
    summary:
      "Break a run's lock left by another machine or a dead process (typed confirmation, audited); the run becomes interrupted",
    mutates: true,
  }),
  'runs.hostLocks': method({
    input: z.object({ groupId: Id }).strict(),
    output: z.array(HostLockView),
    summary: 'Read the on-host failover lock of the group on every member (owner, run, age)',
    mutates: false,
  }),
  'runs.breakHostLock': method({
    input: z
      .object({
        groupId: Id,
        serverId: Id,
        /** The lock's token as shown: a different lock is not broken. */
        token: z.string().regex(/^[A-Za-z0-9:._-]{1,100}$/, 'the token of the lock shown (runs.hostLocks)'),
        confirmation: Confirmation,
        reason: Reason,
      })
      .strict(),
    output: HostLockView,
    summary: 'Break a stale on-host lock on one member (typed confirmation, audited)',
    mutates: true,
  }),
} as const;
