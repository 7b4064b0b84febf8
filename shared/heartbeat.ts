/**
 * The watcher's heartbeat (a dead man's switch, in the style of healthchecks.io): while monitoring
 * runs, a ping to a URL the admin chose every minute, to URL + `/fail` after a failed sweep, so that
 * silence means the watcher itself is gone. Pure schemas; the sender is electron/watcher/heartbeat.ts.
 */
import { z } from 'zod';
import { HttpUrl } from './http-url';

/** How often the heartbeat is sent (the service it reaches should expect one a minute). */
export const HEARTBEAT_INTERVAL_SECONDS = 60;

/** What the last finished health sweep came to: ok, or failed with why (not the checks' statuses). */
export const SweepOutcome = z.object({ at: z.int(), ok: z.boolean(), detail: z.string() });
export type SweepOutcome = z.infer<typeof SweepOutcome>;

/** One heartbeat sent: a success or a failure ping, and whether the receiver accepted it (HTTP 2xx). */
export const HeartbeatPing = z.object({
  at: z.int(),
  kind: z.enum(['success', 'fail']),
  accepted: z.boolean(),
  /** The HTTP status or the error, never the URL (it carries the check's secret). */
  detail: z.string(),
});
export type HeartbeatPing = z.infer<typeof HeartbeatPing>;

/** The heartbeat of a workspace, as the Dashboard shows it. */
export const HeartbeatStatus = z.object({
  /** Where it goes, without the path (the secret part): `https://hc-ping.com/…`; null when not set. */
  target: z.string().nullable(),
  intervalSeconds: z.int(),
  lastSweep: SweepOutcome.nullable(),
  lastPing: HeartbeatPing.nullable(),
  /** When the receiver last accepted a ping. */
  lastAcceptedAt: z.int().nullable(),
});
export type HeartbeatStatus = z.infer<typeof HeartbeatStatus>;

/** Setting the heartbeat URL: an http:// or https:// URL, or null to stop sending. */
export const HeartbeatSettingsDraft = z.object({ url: HttpUrl.nullable() }).strict();
export type HeartbeatSettingsDraft = z.infer<typeof HeartbeatSettingsDraft>;
