/**
 * The watcher's heartbeat: while monitoring runs, every minute a ping to the URL the admin set
 * (healthchecks.io style): a success ping while the health sweeps finish, URL + `/fail` after a
 * sweep failed or when none has finished for too long. Silence (the process is gone, or monitoring
 * was turned off) is what the receiving service alarms on. Every request has a deadline; dispose()
 * stops the timer and aborts a ping in flight.
 */
import type { Db } from '../db/connection';
import { monitoringEnabled } from '../checks/settings';
import { HEARTBEAT_INTERVAL_SECONDS, type HeartbeatPing, type SweepOutcome } from '../../shared/heartbeat';
import { heartbeatUrl, loadHeartbeatState, saveHeartbeatState } from './heartbeat-store';

/** How the heartbeat is timed; tests shorten it. */
export interface HeartbeatTimings {
  /** Between two pings (default 60 s). */
  intervalMs: number;
  /** Deadline of one ping (default 10 s). */
  timeoutMs: number;
  /** A last sweep older than this is reported as a failure (default three intervals). */
  staleAfterMs: number;
}

export interface HeartbeatOptions extends Partial<HeartbeatTimings> {
  db: Db;
  log?: (message: string) => void;
  now?: () => number;
}

/** What the scheduler's onSweepFinished hook hands over. */
export type SweepFinished = { ok: true } | { ok: false; error: unknown };

export interface Heartbeat {
  /** Record how a sweep ended (wire to the scheduler's onSweepFinished). */
  sweepFinished(outcome: SweepFinished): void;
  /** Stop pinging: the timer at once, a ping in flight aborted. */
  dispose(): Promise<void>;
}

/** Describe an error without echoing a URL (which carries the check's secret). */
function describe(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message
    .replace(/https?:\/\/\S+/g, '[url]')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
}

/** The failure ping's URL: the path with `/fail` added (healthchecks.io's convention). */
export function failUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/fail`;
  return parsed.toString();
}

/** Start the heartbeat of one workspace; it pings only while monitoring is on and a URL is set. */
export function startHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { db } = options;
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_SECONDS * 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 3 * intervalMs;
  const startedAt = now();
  let lastSweep: SweepOutcome | null = null;
  let inFlight: { abort: AbortController; done: Promise<void> } | null = null;
  let timer: NodeJS.Timeout | null = null;
  let disposed = false;

  /** What to report now: a success, a failure with why, or nothing yet (starting, no sweep so far). */
  function verdict(at: number): { kind: HeartbeatPing['kind']; detail: string } | null {
    if (lastSweep && !lastSweep.ok)
      return { kind: 'fail', detail: `the last health sweep failed: ${lastSweep.detail}` };
    const since = lastSweep?.at ?? startedAt;
    if (at - since > staleAfterMs)
      return { kind: 'fail', detail: `no health sweep has finished for ${Math.round((at - since) / 1000)} s` };
    return lastSweep ? { kind: 'success', detail: 'health sweeps are running' } : null;
  }

  async function send(url: string, kind: HeartbeatPing['kind'], detail: string): Promise<HeartbeatPing> {
    const abort = new AbortController();
    const at = now();
    const request = fetch(kind === 'fail' ? failUrl(url) : url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      body: `Lifeboat watcher: ${detail}`,
      redirect: 'error',
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
    })
      .then(async (response) => {
        await response.body?.cancel();
        return { at, kind, accepted: response.ok, detail: `HTTP ${response.status}` };
      })
      .catch((error: unknown) => ({ at, kind, accepted: false, detail: `not delivered: ${describe(error)}` }));
    inFlight = { abort, done: request.then(() => {}) };
    try {
      return await request;
    } finally {
      inFlight = null;
    }
  }

  async function tick(): Promise<void> {
    if (disposed || !db.open || !monitoringEnabled(db)) return; // not watching: stay silent
    const at = now();
    const decided = verdict(at);
    const state = loadHeartbeatState(db);
    const url = heartbeatUrl(db);
    if (!decided || !url || inFlight) {
      if (lastSweep) saveHeartbeatState(db, { ...state, lastSweep });
      return;
    }
    const ping = await send(url, decided.kind, decided.detail);
    if (disposed || !db.open) return;
    if (!ping.accepted) log(`heartbeat (${ping.kind}) not accepted: ${ping.detail}`);
    saveHeartbeatState(db, {
      lastSweep,
      lastPing: ping,
      lastAcceptedAt: ping.accepted ? ping.at : state.lastAcceptedAt,
    });
  }

  function arm(): void {
    if (disposed) return;
    timer = setTimeout(() => {
      timer = null;
      tick()
        .catch((error: unknown) => log(`heartbeat failed: ${describe(error)}`))
        .finally(arm);
    }, intervalMs);
  }
  arm();

  return {
    sweepFinished(outcome) {
      lastSweep = { at: now(), ok: outcome.ok, detail: outcome.ok ? 'finished' : describe(outcome.error) };
    },
    async dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const pending = inFlight;
      pending?.abort.abort();
      await pending?.done;
    },
  };
}
