/**
 * Runbooks: the ordered steps that move a service group from one member to another. Steps are
 * manual (a person ticks them) or actions (a built-in, guarded script run on one member). Every
 * parameter that may reach a remote command passes an allowlist validator here, at the point of
 * entry; the engine quotes it again when it builds the script.
 */
import { z } from 'zod';
import {
  AbsolutePath,
  type DataSpec,
  Id,
  InterfaceName,
  IpAddress,
  Port,
  PostgresCluster,
  UnitName,
  UserName,
} from './domain';
import { refineVip } from './logic/vip-rules';

export const ACTION_KINDS = [
  'vip.listen',
  'vip.release',
  'vip.acquire',
  'vip.watch',
  'rsync.sync',
  'postgres.promote',
  'postgres.rebuild',
  'postgres.streaming',
  'service.stop',
  'service.start',
  'service.restart',
  'wait.check',
  'command.run',
  'sync.pause',
  'sync.resume',
] as const;
export const ActionKind = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKind>;

export const RUNBOOK_DIRECTIONS = ['failover', 'switchback'] as const;
export const RunbookDirection = z.enum(RUNBOOK_DIRECTIONS);
export type RunbookDirection = z.infer<typeof RunbookDirection>;
/**
 * What a generated runbook does: move the group (failover, switchback), or re-protect it (rebuild
 * the member left behind as a standby of the primary now). Only moves are saved and edited.
 */
export const RUNBOOK_PURPOSES = [...RUNBOOK_DIRECTIONS, 'reprotect'] as const;
export const RunbookPurpose = z.enum(RUNBOOK_PURPOSES);
export type RunbookPurpose = z.infer<typeof RunbookPurpose>;

const Text = (max: number) =>
  z
    .string()
    .max(max, `${max} characters at most`)
    .refine((v) => !v.includes('\u0000'), 'may not contain NUL');
const Seconds = (min: number, max: number) =>
  z.int(`whole seconds from ${min} to ${max}`).min(min, `at least ${min} seconds`).max(max, `${max} seconds at most`);

/** A path rsync's `-e` can carry unquoted: absolute, plain characters only. */
const SimplePath = AbsolutePath.refine(
  (v) => /^[A-Za-z0-9_./-]+$/.test(v),
  'letters, digits, _ . / - only (it goes into rsync -e)',
);

/** One virtual IP on one interface of the step's server. */
const VipParams = z
  .object({
    address: IpAddress,
    prefix: z.int().default(24),
    interface: InterfaceName,
  })
  .strict()
  .superRefine(refineVip);

export const VipReleaseParams = VipParams;

/**
 * The default duplicate-probe window of vip.acquire (the short window between the release and the
 * acquire, when nobody holds the address): three probes, 5 ms apart, and listening until 15 ms
 * after the first, plus arping's start-up. A host on the same segment answers ARP in well under a
 * millisecond; one lost probe still leaves two. Slower answers are caught by the long listening
 * before the release (vip.listen) and the watch after the acquire (vip.watch), which are outside
 * the window clients feel. Every millisecond here is client-visible downtime.
 */
export const DEFAULT_PROBE_MS = 15;
/** How long vip.listen probes before anything changes (at least 1 s: a slow or lossy answerer is heard). */
export const DEFAULT_LISTEN_MS = 1200;
/** How long vip.watch keeps probing after the acquire (at least 2 s). */
export const DEFAULT_WATCH_MS = 2200;

export const VipAcquireParams = z
  .object({
    address: IpAddress,
    prefix: z.int().default(24),
    interface: InterfaceName,
    /**
     * How long the duplicate probe listens before the address counts as free: three `arping -D`
     * probes spread over its first two thirds, each with proof (sent, no answer) required.
     */
    probeMilliseconds: z.int().min(10, 'at least 10 ms').max(3000, '3000 ms at most').default(DEFAULT_PROBE_MS),
  })
  .strict()
  .superRefine(refineVip);

/**
 * The default cap on the files one rsync --delete may remove: a mirror that lost a directory can
 * otherwise wipe the standby's copy. A runbook raises it (maxDelete) where more is expected.
 */
export const DEFAULT_MAX_DELETE = 100;

/** The member that holds the VIP before the move, and the interface whose MAC may answer for it. */
export const VipHolder = z.object({ serverId: Id, interface: InterfaceName }).strict();

/**
 * vip.listen: before anything changes, the step's server (the member failed over to) probes the
 * VIP; the only MAC allowed to answer is the holder's (read from its interface right before).
 */
export const VipListenParams = z
  .object({
    address: IpAddress,
    /** The interface of the step's server the probes go out on. */
    interface: InterfaceName,
    /** Null: no member holds it (or the one that did is attested off), so nobody may answer. */
    holder: VipHolder.nullable(),
    listenMilliseconds: z
      .int()
      .min(1000, 'at least 1000 ms: slow and lossy answerers must be heard')
      .max(10_000, '10000 ms at most')
      .default(DEFAULT_LISTEN_MS),
  })
  .strict();

/** vip.watch: after the acquire, the new holder keeps probing; any other MAC answering is a second holder. */
export const VipWatchParams = z
  .object({
    address: IpAddress,
    interface: InterfaceName,
    watchMilliseconds: z.int().min(2000, 'at least 2000 ms').max(30_000, '30000 ms at most').default(DEFAULT_WATCH_MS),
  })
  .strict();

export const RsyncParams = z
  .object({
    /** The member copied from: it must hold `vipAddress` right before the copy. The step's server receives. */
    sourceServerId: Id,
    vipAddress: IpAddress,
    paths: z.array(AbsolutePath).min(1, 'list at least one path').max(64),
    excludes: z
      .array(
        Text(200)
          .refine((v) => !/[\n\r]/.test(v), 'one pattern per line, no newlines')
          .refine((v) => v.length > 0, 'an empty pattern'),
      )
      .max(64)
      .default([]),
    /** Delete files on the receiver that the source no longer has (shown with a dry run first). */
    delete: z.boolean().default(false),
    /**
     * With delete: more deletions than this refuse the step before anything is copied, and the
     * copy runs with rsync --max-delete. Raise it in the runbook where a bigger clean-up is expected.
     */
    maxDelete: z
      .int('a whole number of files')
      .min(1, 'at least 1')
      .max(1_000_000, '1000000 at most')
      .default(DEFAULT_MAX_DELETE),
    /**
     * Before copying, a dry run lists what the copy would overwrite (files that differ on the
     * receiver) and delete there: the member coming back may have been written to while it was
     * down. A non-empty list needs the operator's acknowledgement, bound to its count and sha256.
     * Optional (absent = false), so runbooks saved before it keep their definition hash.
     */
    previewOverwrites: z.boolean().optional(),
    /** SSH user the source uses to reach the receiver. */
    sshUser: UserName.default('root'),
    /** Key and known-hosts files on the source for reaching the receiver ("" = ssh's defaults). */
    identityFile: z.union([z.literal(''), SimplePath]).default(''),
    knownHostsFile: z.union([z.literal(''), SimplePath]).default(''),
  })
  .strict();

/** How the old primary is fenced before the standby is promoted. */
export const PostgresFence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pg_ctl') }).strict(),
  z.object({ kind: z.literal('service'), unit: UnitName }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);

export const PostgresPromoteParams = z
  .object({
    ...PostgresCluster,
    /**
     * Directory of pg_ctl and psql (Debian: /usr/lib/postgresql/15/bin). Empty: found on the host
     * (pg_config --bindir, pg_lsclusters, /usr/lib/postgresql/<version>/bin, /usr/local/pgsql/bin, PATH),
     * the one whose version matches the cluster's PG_VERSION.
     */
    binDir: z.union([z.literal(''), AbsolutePath]).default(''),
    /** The old primary, stopped first where it is reachable; null when there is none to fence. */
    fenceServerId: Id.nullable().default(null),
    fence: PostgresFence.default({ kind: 'pg_ctl' }),
    /** The data-loss budget the replay lag is compared with; null takes the group's RPO. */
    rpoMinutes: z.int().min(0).max(525600).nullable().default(null),
  })
  .strict();

/** How PostgreSQL is stopped and started on a member: its service unit, or pg_ctl. */
export const PostgresControl = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pg_ctl') }).strict(),
  z.object({ kind: z.literal('service'), unit: UnitName }).strict(),
]);

/** A group's PostgreSQL data spec as a step's access parameters (pg_ctl found on the host: binDir ""). */
export function postgresAccessFrom(data: Extract<DataSpec, { kind: 'postgres' }>) {
  const { port, dataDir, osUser, database, socketDir, host } = data;
  return { port, dataDir, osUser, database, socketDir, host, binDir: '' };
}

/** Reaching PostgreSQL on the members (the same cluster layout on each), and where pg_ctl is (as in promote). */
const postgresAccessShape = {
  ...PostgresCluster,
  binDir: z.union([z.literal(''), AbsolutePath]).default(''),
};

/**
 * postgres.rebuild: make the step's server (the old primary) a standby of `primaryServerId` (the
 * primary now): pg_rewind where the cluster allows it (data checksums or wal_log_hints on, and
 * full_page_writes on the primary), else pg_basebackup (the old data directory is kept aside);
 * then standby.signal and primary_conninfo, and start.
 */
export const PostgresRebuildParams = z
  .object({
    ...postgresAccessShape,
    primaryServerId: Id,
    /** The primary must hold it and the step's server must not (null: the group has no VIP). */
    vipAddress: IpAddress.nullable().default(null),
    /** The role the standby streams as (primary_conninfo user=; pg_basebackup -U). */
    replicationUser: UserName.default('replicator'),
    control: PostgresControl.default({ kind: 'pg_ctl' }),
    /** auto: pg_rewind when the cluster allows it, else pg_basebackup; basebackup: always a full copy. */
    method: z.enum(['auto', 'basebackup']).default('auto'),
  })
  .strict();

/** postgres.streaming: wait until the step's server streams from the primary, proven at both ends. */
export const PostgresStreamingParams = z
  .object({
    ...postgresAccessShape,
    primaryServerId: Id,
    deadlineSeconds: Seconds(1, 3600).default(120),
    intervalSeconds: Seconds(1, 60).default(1),
  })
  .strict();

export const ServiceParams = z.object({ unit: UnitName }).strict();

export const WaitProbe = z.discriminatedUnion('probe', [
  z.object({ probe: z.literal('service-active'), unit: UnitName }).strict(),
  z.object({ probe: z.literal('tcp-listening'), port: Port }).strict(),
  z.object({ probe: z.literal('postgres-ready'), port: Port.default(5432) }).strict(),
  z.object({ probe: z.literal('vip-held'), address: IpAddress }).strict(),
]);
export const WaitCheckParams = z
  .object({
    check: WaitProbe,
    deadlineSeconds: Seconds(1, 3600).default(60),
    intervalSeconds: Seconds(1, 60).default(2),
  })
  .strict();

export const CommandParams = z
  .object({
    /** A POSIX sh script written by the runbook's author; shown verbatim in the plan and audited. */
    script: Text(8000).refine((v) => v.trim().length > 0, 'the script is empty'),
    expectedExitCodes: z.array(z.int().min(0).max(255)).min(1, 'at least one exit code').max(16).default([0]),
  })
  .strict();

/**
 * sync.pause: the group's scheduled sync stops copying on the step's server (a marker its script
 * reads), and a run in progress is waited for (at most waitSeconds), so no sync runs mid-move.
 * sync.resume removes the marker. Both act on the group's own sync (its name), nothing else.
 */
export const SyncPauseParams = z.object({ waitSeconds: Seconds(1, 600).default(120) }).strict();
export const SyncResumeParams = z.object({}).strict();

/** Parameters by kind, for forms and for the engine. */
export const ACTION_PARAMS = {
  'vip.listen': VipListenParams,
  'vip.release': VipReleaseParams,
  'vip.acquire': VipAcquireParams,
  'vip.watch': VipWatchParams,
  'rsync.sync': RsyncParams,
  'postgres.promote': PostgresPromoteParams,
  'postgres.rebuild': PostgresRebuildParams,
  'postgres.streaming': PostgresStreamingParams,
  'service.stop': ServiceParams,
  'service.start': ServiceParams,
  'service.restart': ServiceParams,
  'wait.check': WaitCheckParams,
  'command.run': CommandParams,
  'sync.pause': SyncPauseParams,
  'sync.resume': SyncResumeParams,
} as const;
export type ActionParams<K extends ActionKind> = z.output<(typeof ACTION_PARAMS)[K]>;

const actionOf = <K extends ActionKind>(kind: K) =>
  z.object({ kind: z.literal(kind), params: ACTION_PARAMS[kind] }).strict();
export const Action = z.discriminatedUnion('kind', [
  actionOf('vip.listen'),
  actionOf('vip.release'),
  actionOf('vip.acquire'),
  actionOf('vip.watch'),
  actionOf('rsync.sync'),
  actionOf('postgres.promote'),
  actionOf('postgres.rebuild'),
  actionOf('postgres.streaming'),
  actionOf('service.stop'),
  actionOf('service.start'),
  actionOf('service.restart'),
  actionOf('wait.check'),
  actionOf('command.run'),
  actionOf('sync.pause'),
  actionOf('sync.resume'),
]);
export type Action = z.infer<typeof Action>;
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

const StepTitle = Text(200)
  .refine((v) => v.trim().length > 0, 'a title is required')
  .refine((v) => !/[\n\r]/.test(v), 'one line');

export const ManualStep = z
  .object({
    type: z.literal('manual'),
    title: StepTitle,
    instruction: Text(4000).default(''),
    role: Text(120).default(''),
    expectedMinutes: z.int().min(0).max(1440).default(5),
  })
  .strict();
export type ManualStep = z.infer<typeof ManualStep>;

/** What to do with a step whose server cannot be reached (only with the operator's attestation). */
export const UNREACHABLE_POLICIES = ['halt', 'skip-when-attested'] as const;

export const ActionStep = z
  .object({
    type: z.literal('action'),
    title: StepTitle,
    /** The member the action runs on. */
    serverId: Id,
    action: Action,
    timeoutSeconds: Seconds(1, 3600).default(60),
    whenUnreachable: z.enum(UNREACHABLE_POLICIES).default('halt'),
  })
  .strict();
export type ActionStep = z.infer<typeof ActionStep>;

export const RunbookStep = z.discriminatedUnion('type', [ManualStep, ActionStep]);
export type RunbookStep = z.infer<typeof RunbookStep>;

export const Runbook = z.object({
  /** Null for a generated runbook that was never saved. */
  id: Id.nullable(),
  groupId: Id,
  direction: RunbookPurpose,
  sourceServerId: Id,
  targetServerId: Id,
  steps: z.array(RunbookStep).max(100),
  updatedAt: z.int().nullable(),
  /**
   * A saved runbook that no longer fits its group (a VIP changed or moved, a member removed, an
   * interface changed, steps that no longer validate): what changed, by step. Plan and start
   * refuse it until it is regenerated or edited.
   */
  problems: z.array(z.object({ path: z.array(z.union([z.string(), z.int()])), message: z.string() })).default([]),
});
export type Runbook = z.infer<typeof Runbook>;

/** What the editor sends: the steps of one (group, target) runbook. */
export const RunbookDraft = z
  .object({
    groupId: Id,
    direction: RunbookDirection,
    sourceServerId: Id,
    targetServerId: Id,
    steps: z.array(RunbookStep).min(1, 'a runbook needs at least one step').max(100, '100 steps at most'),
  })
  // Source and target differ except for a single-member group: checked against the group (runbookIssues).
  .strict();
export type RunbookDraft = z.input<typeof RunbookDraft>;

/** One remote command the plan shows: which host, why, and the exact script text. */
export const PlannedCommand = z.object({
  serverId: Id,
  host: z.string(),
  purpose: z.string(),
  script: z.string(),
  /** Reads state only (observation, verification) as opposed to changing it. */
  readOnly: z.boolean(),
});
export type PlannedCommand = z.infer<typeof PlannedCommand>;
