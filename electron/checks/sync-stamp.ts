/**
 * freshness, mode sync-stamp: the stamps the scheduled sync writes on both members (shared/sync-timer.ts)
 * instead of file times (rsync keeps the source's mtimes, so a quiet share looks stale right after a
 * good sync, and a sync that stopped can look fresh). Actual RPO = now − the start of the last good
 * run. A failed run, a run that stopped mass deletions, or no run within one interval (and a margin)
 * is an alarm; a stamp that does not parse proves nothing.
 */
import { SYNC_STATUS_WORDS, parseStamp, type SyncStamp } from '../../shared/sync-status';
import { sh, word, type Script } from '../ssh/quote';
import { field, numberField, round, type Evaluation } from './kind';
import type { Server } from '../../shared/domain';

/** The script: the member's clock, both stamps (prefixed), the pause marker. */
export function syncStampScript(path: string): Script {
  const p = word.path(path);
  return sh`p=${p}
echo "now=$(date +%s)"
if [ -d "$p" ]; then
  [ -f "$p/last" ] && sed -n 's/^/last_/p' "$p/last" | head -n 20
  [ -f "$p/good" ] && sed -n 's/^/good_/p' "$p/good" | head -n 20
  [ -e "$p/paused" ] && echo paused=1
else
  echo missing=1
fi`;
}

/** How late a run may be beyond its interval before it counts as missing. */
export function missingAfterSeconds(intervalSeconds: number): number {
  return intervalSeconds + Math.max(10, Math.round(intervalSeconds / 2));
}

const at = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 19) + ' UTC';

function stampOf(fields: Map<string, string[]>, prefix: string): SyncStamp | null {
  const flat = new Map<string, string>();
  for (const [key, values] of fields) if (key.startsWith(prefix) && values[0] !== undefined) flat.set(key, values[0]);
  return parseStamp(flat, prefix);
}

/** Judge the stamps of one member against the limit (minutes; null: no RPO to compare with). */
export function judgeSyncStamp(
  fields: Map<string, string[]>,
  server: Server,
  path: string,
  limit: number | null,
): Evaluation {
  if (field(fields, 'missing') === '1')
    return {
      status: 'fail',
      summary: `no sync state at ${path} on ${server.name}: the scheduled sync is not installed or never ran (Service groups: Scheduled sync)`,
      metrics: {},
    };
  const now = numberField(fields, 'now');
  if (now === undefined)
    return { status: 'unknown', summary: `could not read the clock of ${server.name}`, metrics: {} };
  const last = stampOf(fields, 'last_');
  const good = stampOf(fields, 'good_');
  if (!last && (fields.has('last_start') || fields.has('last_status')))
    return { status: 'unknown', summary: `the last sync stamp on ${server.name} does not parse`, metrics: {} };
  if (!last && !good)
    return { status: 'fail', summary: `no sync run is recorded on ${server.name} (${path})`, metrics: {} };
  const actual = good ? round(Math.max(0, now - good.start) / 60, 1) : null;
  const latest = last ?? (good as SyncStamp);
  const metrics = {
    ageMinutes: actual,
    limitMinutes: limit,
    lastStatus: latest.status,
    lastRunAgeSeconds: Math.max(0, now - latest.start),
    intervalSeconds: latest.intervalSeconds,
    holder: latest.holder,
    bytes: latest.bytes,
  };
  const rpo = limit === null ? '' : ` (RPO ${limit} min)`;
  if (latest.status !== 'ok' && latest.status !== 'paused')
    return {
      status: 'fail',
      summary: `the last sync run at ${at(latest.start)} from ${latest.holder || '?'} did not complete: ${SYNC_STATUS_WORDS[latest.status]} (exit ${latest.exit}); actual RPO ${actual ?? 'unknown'} min${rpo}`,
      metrics,
    };
  const late = now - latest.start;
  if (late > missingAfterSeconds(latest.intervalSeconds))
    return {
      status: 'fail',
      summary: `no sync run for ${round(late / 60, 1)} min although it runs every ${latest.intervalSeconds} s: the timer stopped or cannot run; actual RPO ${actual ?? 'unknown'} min${rpo}`,
      metrics,
    };
  if (actual === null) return { status: 'fail', summary: `no good sync run is recorded on ${server.name}`, metrics };
  const over = limit !== null && actual > limit;
  const near = limit !== null && actual > limit * 0.8;
  const paused = latest.status === 'paused' || field(fields, 'paused') === '1';
  return {
    status: over ? 'fail' : near || paused ? 'warn' : 'ok',
    summary: `${paused ? 'sync paused (a failover or switchback is moving the group); ' : ''}last good sync ${actual} min ago from ${good?.holder || '?'}: actual RPO ${actual} min${rpo || ' (no RPO to compare with)'}`,
    metrics,
  };
}
