/**
 * What a scheduled sync reports: the stamp every run of the VIP holder writes on both members, and
 * the timer's state on each member as Lifeboat read it. Stamps are remote output: every field is
 * parsed as data, and a stamp that does not parse is no stamp (docs/safety.md, invariant 9).
 */
import { z } from 'zod';
import { Id } from './domain';

/** How a run ended: ok, or why nothing (or not everything) was copied. */
export const SYNC_RUN_STATUSES = [
  'ok',
  'failed',
  'max-delete',
  'paused',
  'holder-unknown',
  'peer-holds-vip',
  'peer-unknown',
] as const;
export const SyncRunStatus = z.enum(SYNC_RUN_STATUSES);
export type SyncRunStatus = z.infer<typeof SyncRunStatus>;

/** One run's stamp. Times in seconds since the epoch (the member's clock). */
export const SyncStamp = z.object({
  start: z.int(),
  end: z.int(),
  bytes: z.int(),
  exit: z.int(),
  status: SyncRunStatus,
  holder: z.string(),
  to: z.string(),
  intervalSeconds: z.int(),
});
export type SyncStamp = z.infer<typeof SyncStamp>;

/** What a run's status means, in words. */
export const SYNC_STATUS_WORDS: Record<SyncRunStatus, string> = {
  ok: 'copied',
  failed: 'rsync failed',
  'max-delete': '--max-delete stopped a mass deletion',
  paused: 'paused (a failover or switchback is moving the group)',
  'holder-unknown': 'could not tell whether it holds the VIP: copied nothing',
  'peer-holds-vip': 'the other member holds the VIP too: copied nothing',
  'peer-unknown': "could not read the other member's addresses: copied nothing",
};

const clean = (value: string) => value.replace(/[^A-Za-z0-9@._:\- ]/g, '').slice(0, 120);

/**
 * A stamp from `key=value` lines (with an optional key prefix, e.g. "last."), or null when a field
 * is missing or not what it should be.
 */
export function parseStamp(fields: ReadonlyMap<string, string>, prefix = ''): SyncStamp | null {
  const get = (key: string) => fields.get(`${prefix}${key}`);
  const int = (key: string) => {
    const value = get(key);
    return value !== undefined && /^-?[0-9]{1,15}$/.test(value) ? Number(value) : null;
  };
  const [start, end, bytes, exit, interval] = ['start', 'end', 'bytes', 'exit', 'interval'].map(int);
  const status = SyncRunStatus.safeParse(get('status'));
  if (start === null || end === null || bytes === null || exit === null || interval === null || !status.success)
    return null;
  return {
    start,
    end,
    bytes,
    exit,
    status: status.data,
    holder: clean(get('holder') ?? ''),
    to: clean(get('to') ?? ''),
    intervalSeconds: interval,
  };
}

/** `key=value` lines into a map (the first value of a key wins; other lines are ignored). */
export function stampFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n').slice(0, 200)) {
    const match = /^([a-z][a-z0-9_.-]{0,40})=(.{0,300})$/.exec(line.trimEnd());
    if (match && !fields.has(match[1])) fields.set(match[1], match[2]);
  }
  return fields;
}

/** The timer on one member, as read. `unknown`: the read did not prove itself. */
export const SyncMemberState = z.enum(['installed', 'differs', 'partial', 'absent', 'unknown']);
export type SyncMemberState = z.infer<typeof SyncMemberState>;

export const SyncMemberStatus = z.object({
  serverId: Id,
  server: z.string(),
  state: SyncMemberState,
  /** What was read, or why nothing could be. */
  detail: z.string(),
  /** The scheduler's own words: systemd's timer state, or whether the crontab line is there. */
  scheduler: z.string().nullable(),
  /** When the timer fires next, as systemd says it (null on cron or when not read). */
  next: z.string().nullable(),
  paused: z.boolean().nullable(),
  last: SyncStamp.nullable(),
  good: SyncStamp.nullable(),
  /** The member's clock when read (seconds), for ages. */
  now: z.int().nullable(),
});
export type SyncMemberStatus = z.infer<typeof SyncMemberStatus>;

export const SyncTimerStatus = z.object({
  groupId: Id,
  group: z.string(),
  members: z.array(SyncMemberStatus),
  /** now − the start of the newest good run on any member, in minutes; null when there is none. */
  actualRpoMinutes: z.number().nullable(),
  /** The most demanding RPO of the group's services. */
  rpoMinutes: z.number().nullable(),
});
export type SyncTimerStatus = z.infer<typeof SyncTimerStatus>;

/** Actual RPO from the members' reads: the newest good run's start against each member's own clock. */
export function actualRpoMinutes(members: readonly SyncMemberStatus[]): number | null {
  let best: number | null = null;
  for (const m of members) {
    if (!m.good || m.now === null) continue;
    const minutes = Math.max(0, m.now - m.good.start) / 60;
    best = best === null ? minutes : Math.min(best, minutes);
  }
  return best === null ? null : Math.round(best * 10) / 10;
}
