/**
 * Where the heartbeat's URL and its last outcome are kept: the workspace's monitoring settings, so
 * every process on the workspace (the window, `lifeboat serve`, the CLI) reads the same. The URL is
 * stored for sending only and never sent back out: status shows its scheme and host.
 */
import type { Db } from '../db/connection';
import { deleteMonitoringSetting, getMonitoringSetting, setMonitoringSetting } from '../db/repositories/checks';
import { HEARTBEAT_INTERVAL_SECONDS, HeartbeatPing, HeartbeatStatus, SweepOutcome } from '../../shared/heartbeat';
import { z } from 'zod';

const URL_KEY = 'heartbeatUrl';
const STATE_KEY = 'heartbeatState';

/** What the heartbeat last saw and sent. */
export const HeartbeatState = z.object({
  lastSweep: SweepOutcome.nullable(),
  lastPing: HeartbeatPing.nullable(),
  lastAcceptedAt: z.int().nullable(),
});
export type HeartbeatState = z.infer<typeof HeartbeatState>;

const EMPTY: HeartbeatState = { lastSweep: null, lastPing: null, lastAcceptedAt: null };

/** The URL pings go to, or null when none is set. */
export function heartbeatUrl(db: Db): string | null {
  const url = getMonitoringSetting<unknown>(db, URL_KEY, null);
  return typeof url === 'string' ? url : null;
}

/** Set (a validated http/https URL) or clear the heartbeat URL; a new URL starts a fresh record. */
export function setHeartbeatUrl(db: Db, url: string | null): void {
  db.transaction(() => {
    if (url === heartbeatUrl(db)) return;
    if (url === null) deleteMonitoringSetting(db, URL_KEY);
    else setMonitoringSetting(db, URL_KEY, url);
    const state = loadHeartbeatState(db);
    saveHeartbeatState(db, { ...state, lastPing: null, lastAcceptedAt: null });
  })();
}

export function loadHeartbeatState(db: Db): HeartbeatState {
  const parsed = HeartbeatState.safeParse(getMonitoringSetting<unknown>(db, STATE_KEY, EMPTY));
  return parsed.success ? parsed.data : EMPTY;
}

export function saveHeartbeatState(db: Db, state: HeartbeatState): void {
  setMonitoringSetting(db, STATE_KEY, state);
}

/** The scheme and host of a URL, never its path or query (a ping URL's path is its secret). */
export function heartbeatTarget(url: string): string {
  const match = /^(https?:\/\/[^/?#]+)/.exec(url);
  return match ? `${match[1]}/…` : 'a configured URL';
}

/** The heartbeat as the Dashboard and `lifeboat call heartbeat.status` show it. */
export function heartbeatStatus(db: Db, intervalSeconds = HEARTBEAT_INTERVAL_SECONDS): HeartbeatStatus {
  const url = heartbeatUrl(db);
  return { target: url ? heartbeatTarget(url) : null, intervalSeconds, ...loadHeartbeatState(db) };
}
