/**
 * clock: how far the server's clock is off. Clocks that drift break TLS, Kerberos, log timelines
 * and replication. Read from chrony (`chronyc tracking`) or ntpd (`ntpq`) when one of them is
 * synchronised; where neither is (systemd-timesyncd, OpenBSD's ntpd, nothing), the host's own
 * time is compared with Lifeboat's clock as measured around the SSH round trip, and the round
 * trip's length is the uncertainty. The summary says which it used. Never ok without a reading.
 */
import { sh } from '../ssh/quote';
import type { CheckStatus } from '../../shared/checks';
import {
  field,
  judgeSingle,
  levelStatus,
  membersOf,
  ownServer,
  round,
  type CheckKindModule,
  type Evaluation,
  type Observation,
} from './kind';
import { checkScript } from './script';

/** What a time daemon said: its offset (the host's clock minus true time, ms) when synchronised. */
export type DaemonReading = { synced: true; offsetMs: number; detail: string } | { synced: false; detail: string };

const DECIMAL = /^[-+]?[0-9]+(\.[0-9]+)?$/;

/** `chronyc -c tracking`: CSV; field 5 is the system clock's correction in seconds (positive: slow), field 14 the leap status. */
export function readChrony(line: string | undefined): DaemonReading | null {
  if (line === undefined) return null;
  const cells = line.trim().split(',');
  if (cells.length < 14 || !DECIMAL.test(cells[4]))
    return { synced: false, detail: 'chronyc gave no reading (is chronyd running?)' };
  const stratum = Number(cells[2]);
  if (cells[13] === 'Not synchronised' || cells[0] === '00000000' || !(stratum >= 1 && stratum <= 15))
    return { synced: false, detail: 'chronyd is not synchronised' };
  return { synced: true, offsetMs: -Number(cells[4]) * 1000, detail: `chrony, source ${cells[1].slice(0, 64)}` };
}

/**
 * `ntpq -c rv` (the system variables: `offset=` in ms, the server's time minus ours) or, without
 * it, the `*` line of `ntpq -pn` (the system peer; its 9th column is the offset in ms).
 */
export function readNtpd(
  variables: readonly string[] | undefined,
  peers: readonly string[] | undefined,
): DaemonReading | null {
  if (variables === undefined && peers === undefined) return null;
  const text = (variables ?? []).join(',');
  const leap = /(?:^|[\s,])leap=([0-9]{2})/.exec(text)?.[1];
  const offset = /(?:^|[\s,])offset=([-+]?[0-9]+(?:\.[0-9]+)?)(?=[\s,]|$)/.exec(text)?.[1];
  if (leap === '11' || /leap_alarm|sync_unspec/.test(text))
    return { synced: false, detail: 'ntpd is not synchronised' };
  if (offset !== undefined && leap !== undefined) return { synced: true, offsetMs: -Number(offset), detail: 'ntpd' };
  const systemPeer = (peers ?? [])
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[0]?.startsWith('*') && cols.length >= 10);
  if (systemPeer && DECIMAL.test(systemPeer[8]))
    return { synced: true, offsetMs: -Number(systemPeer[8]), detail: `ntpd, peer ${systemPeer[0].slice(1, 65)}` };
  return {
    synced: false,
    detail:
      text || peers?.length ? 'ntpd has no system peer (not synchronised)' : 'ntpq gave no reading (is ntpd running?)',
  };
}

/** `date +%s.%N`: the host's time in ms, and how coarse it is (whole seconds where %N is not supported, as on OpenBSD). */
export function readHostTime(text: string | undefined): { ms: number; resolutionMs: number } | null {
  const match = /^([0-9]{9,12})(?:\.([0-9]*|N))?$/.exec((text ?? '').trim());
  if (!match) return null;
  const fraction = match[2] && /^[0-9]+$/.test(match[2]) ? match[2].slice(0, 6) : '';
  return {
    ms: Number(match[1]) * 1000 + (fraction ? Number(`0.${fraction}`) * 1000 : 0),
    resolutionMs: fraction ? 1000 / 10 ** fraction.length : 1000,
  };
}

/**
 * The offset as a range: the host printed its time at some moment between sending and the answer.
 * Date.now() counts whole milliseconds, so the answer may have come up to 1 ms after it says.
 */
export function offsetRange(
  host: { ms: number; resolutionMs: number },
  window: { sentAt: number; answeredAt: number },
): { low: number; high: number } {
  return { low: host.ms - (window.answeredAt + 1), high: host.ms + host.resolutionMs - window.sentAt };
}

const direction = (offsetMs: number) =>
  `${round(Math.abs(offsetMs), Math.abs(offsetMs) < 1 ? 3 : 1)} ms ${offsetMs >= 0 ? 'ahead' : 'behind'}`;

function levelText(status: CheckStatus, warnMs: number, failMs: number): string {
  return status === 'fail' ? ` (alarm from ${failMs} ms)` : status === 'warn' ? ` (warn from ${warnMs} ms)` : '';
}

/** Judge against Lifeboat's clock: only what the range proves counts. */
function judgeAgainstLifeboat(
  observation: Observation,
  hostTime: string | undefined,
  why: string,
  warnMs: number,
  failMs: number,
): Evaluation {
  const name = observation.server.name;
  const host = readHostTime(hostTime);
  if (!host || !observation.window)
    return {
      status: 'unknown',
      summary: `${name}: could not read the clock (${why}, and no time from date)`,
      metrics: {},
    };
  const { low, high } = offsetRange(host, observation.window);
  const estimate = (low + high) / 2;
  const uncertainty = (high - low) / 2;
  const least = low > 0 ? low : high < 0 ? -high : 0;
  const most = Math.max(Math.abs(low), Math.abs(high));
  const metrics = { offsetMs: round(estimate, 1), uncertaintyMs: round(uncertainty, 1), source: 'lifeboat' };
  const measured = `${direction(estimate)} ± ${round(uncertainty, 1)} ms against Lifeboat's clock, measured around the SSH round trip; ${why}`;
  if (least >= warnMs) {
    const status = least >= failMs ? 'fail' : 'warn';
    return { status, summary: `${name}: clock ${measured}${levelText(status, warnMs, failMs)}`, metrics };
  }
  if (most >= warnMs)
    return {
      status: 'unknown',
      summary: `${name}: cannot tell whether the clock is within ${warnMs} ms: ${measured}`,
      metrics,
    };
  // A time daemon that runs but is not synchronised is itself worth a warning, even while the clock is still close.
  const status = /not synchronised/.test(why) ? 'warn' : 'ok';
  return { status, summary: `${name}: clock ${measured}`, metrics };
}

/** The clock offset check kind. */
export const clockKind: CheckKindModule<'clock'> = {
  kind: 'clock',
  ownRoundTrip: true,
  defaults: (group, inventory) =>
    membersOf(group, inventory.servers).map((host) => ({
      name: `${host.name}: clock`,
      serverId: host.id,
      intervalSeconds: 120,
    })),
  targets: ownServer,
  script() {
    // Where date has no %N (OpenBSD), perl (in OpenBSD's base) reads the time in microseconds.
    // -n: numbers only, so no name lookup can stall the check.
    return checkScript(sh`now=$(date +%s.%N 2>/dev/null)
case $now in *.[0-9]*) ;; *) if command -v perl >/dev/null 2>&1; then now=$(perl -MTime::HiRes=time -e 'printf "%.6f", time' 2>/dev/null) || now=$(date +%s); fi ;; esac
echo "now=$now"
if command -v chronyc >/dev/null 2>&1; then t=$(chronyc -n -c tracking 2>/dev/null | head -n 1); echo "chrony=\${t:-none}"; fi
if command -v ntpq >/dev/null 2>&1; then
  ntpq -n -c rv 2>/dev/null | head -n 30 | sed 's/^/ntprv=/'
  ntpq -pn 2>/dev/null | head -n 60 | sed 's/^/ntppeer=/'
  echo ntpq=1
fi`);
  },
  evaluate(observations, ctx) {
    const { warnMs, failMs } = ctx.check.params;
    return judgeSingle(observations, (fields, observation) => {
      const chrony = readChrony(field(fields, 'chrony'));
      const ntpd =
        field(fields, 'ntpq') === undefined ? null : readNtpd(fields.get('ntprv') ?? [], fields.get('ntppeer') ?? []);
      const daemon = chrony?.synced ? chrony : ntpd?.synced ? ntpd : null;
      if (daemon?.synced) {
        const status = levelStatus(Math.abs(daemon.offsetMs), warnMs, failMs);
        return {
          status,
          summary: `${observation.server.name}: clock ${direction(daemon.offsetMs)} (${daemon.detail})${levelText(status, warnMs, failMs)}`,
          metrics: { offsetMs: round(daemon.offsetMs, 3), source: chrony?.synced ? 'chrony' : 'ntpd' },
        };
      }
      const why =
        [chrony, ntpd]
          .filter((r): r is DaemonReading => r !== null)
          .map((r) => r.detail)
          .join('; ') || 'neither chrony nor ntpd runs there';
      return judgeAgainstLifeboat(observation, field(fields, 'now'), why, warnMs, failMs);
    });
  },
};
