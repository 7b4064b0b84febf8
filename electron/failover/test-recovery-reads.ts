/**
 * What a test recovery reads on each member, in one round trip: the pre-flight's proven member read
 * (member-read.ts: OS, addresses, interfaces, PostgreSQL, units' existence) and, each as its own
 * proven section (proven-read.ts), whether the units are enabled, the WAL receiver's status, the
 * host's clock and the free space where files are received. Plus the SSH banner, read from here, so
 * a stopped sshd is seen even while a pooled connection still works. Read-only; nothing here changes
 * a host. A section that did not prove itself is unknown with its reason, never "ok".
 */
import type { Server } from '../../shared/domain';
import { auditedExec, type ExecScope } from './exec';
import { clip, readSection, section } from './proven-read';
import { memberReadScript, parseMemberRead, type Known, type MemberFacts, type ReadRequest } from './member-read';
import { psqlCommand } from './actions/postgres-scripts';
import { offsetRange, readHostTime } from '../checks/clock';
import { parseDfLine } from '../checks/disk';
import { word } from '../ssh/quote';
import type { RemoteOutcome } from '../ports/remote';

/** What is read on one member beyond the pre-flight's read. */
export interface TestReadRequest extends ReadRequest {
  /** Units whose enabled state is read. */
  enabled: readonly string[];
  /** Read the WAL receiver's status (pg must be set). */
  streaming: boolean;
  /** Paths whose filesystem's free space is read (the receiver of a sync). */
  diskPaths: readonly string[];
}

export interface TestMemberFacts extends MemberFacts {
  /** `systemctl is-enabled` of each unit (OpenBSD: "enabled"/"disabled" from `rcctl ls on`). */
  enabled: Known<Map<string, string>> | null;
  /** The WAL receiver's status ("streaming", …), or "none" when there is no receiver. */
  walReceiver: Known<string> | null;
  /** The host's clock minus Lifeboat's, as a range (ms). */
  clock: Known<{ low: number; high: number }>;
  /** Free space of each path's filesystem, in KiB. */
  disk: Known<{ path: string; availableKb: number }[]> | null;
}

/** Enabled states that start the unit at boot (or with what pulls it in). */
export const ENABLED_STATES = ['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias'];
/** The WAL receiver's status, or "none". Constant SQL. */
const WAL_RECEIVER_SQL = "select coalesce((select status from pg_stat_wal_receiver limit 1), 'none')";

function enabledScript(os: Server['os'], units: readonly string[]): string {
  const names = units.map((u) => word.unit(u).quoted).join(' ');
  if (os === 'openbsd')
    return `on=$(rcctl ls on) || exit 1; for u in ${names}; do if printf '%s\\n' "$on" | grep -qx -- "$u"; then echo "$u enabled"; else echo "$u disabled"; fi; done`;
  return `command -v systemctl >/dev/null && for u in ${names}; do s=$(systemctl is-enabled -- "$u" 2>/dev/null | head -n 1); printf '%s %s\\n' "$u" "\${s:-none}"; done`;
}

/** The host's time, as the clock check reads it: perl's microseconds where date has no %N (OpenBSD). */
export const CLOCK_SCRIPT = section(
  'clock',
  `now=$(date +%s.%N 2>/dev/null); case $now in *.[0-9]*) ;; *) now=$(perl -MTime::HiRes=time -e 'printf "%.6f", time' 2>/dev/null) || now=$(date +%s) ;; esac; echo "$now"`,
);

/** The read-only script sent to one member (the clock is read apart, see readTestMember). */
export function testReadScript(server: Server, request: TestReadRequest): string {
  const parts = [memberReadScript(server, request)];
  if (request.enabled.length > 0) parts.push(section('enabled', enabledScript(server.os, request.enabled)));
  if (request.streaming && request.pg)
    parts.push(
      section('walreceiver', `[ -n "$pgbin" ] && ${psqlCommand(server.os, request.pg, [WAL_RECEIVER_SQL])} 2>&1`),
    );
  if (request.diskPaths.length > 0)
    parts.push(section('disk', `df -P -k -- ${request.diskPaths.map((p) => word.path(p).quoted).join(' ')} 2>&1`));
  return parts.join('\n');
}

const unknown = (why: string) => ({ ok: false as const, why });

function parseEnabled(stdout: string, units: readonly string[]): Known<Map<string, string>> {
  const read = readSection(stdout, 'enabled');
  if (!read.ok) return unknown(`the units' enabled state could not be read (${read.why})`);
  const states = new Map<string, string>();
  for (const line of read.text.split('\n')) {
    const [unit, state] = line.trim().split(/\s+/, 2);
    if (unit && state && /^[a-z-]+$/.test(state)) states.set(unit, state);
  }
  const unread = units.filter((u) => !states.has(u));
  if (unread.length > 0)
    return unknown(`no enabled state for ${unread.join(', ')} (${clip(read.text) || 'nothing printed'})`);
  return { ok: true, value: states };
}

function parseWalReceiver(stdout: string): Known<string> {
  const read = readSection(stdout, 'walreceiver');
  if (!read.ok) return unknown(`the WAL receiver could not be read (${read.why})`);
  const status = read.text.split('\n').find((line) => /^[a-z]+$/.test(line.trim()));
  return status ? { ok: true, value: status.trim() } : unknown(`unexpected answer: ${clip(read.text)}`);
}

export function parseClock(
  stdout: string,
  window: { sentAt: number; answeredAt: number },
): Known<{ low: number; high: number }> {
  const read = readSection(stdout, 'clock');
  const time = read.ok ? readHostTime(read.text.split('\n')[0]) : null;
  if (!time)
    return unknown(`the clock could not be read (${read.ok ? clip(read.text) || 'no time printed' : read.why})`);
  return { ok: true, value: offsetRange(time, window) };
}

function parseDisk(stdout: string, paths: readonly string[]): Known<{ path: string; availableKb: number }[]> {
  const read = readSection(stdout, 'disk');
  if (!read.ok) return unknown(`df could not read ${paths.join(', ')} (${read.why})`);
  // df prints a header, then one line per operand, in order.
  const rows = read.text
    .split('\n')
    .slice(1)
    .map((line) => parseDfLine(line));
  if (rows.length !== paths.length || rows.some((row) => row === null))
    return unknown(`df did not describe ${paths.join(', ')}: ${clip(read.text)}`);
  return { ok: true, value: paths.map((path, i) => ({ path, availableKb: rows[i]!.availableKb })) };
}

/** Judge one member's answer. */
export function parseTestRead(
  server: Server,
  request: TestReadRequest,
  stdout: string,
  clock: Known<{ low: number; high: number }>,
): TestMemberFacts {
  return {
    ...parseMemberRead(server, request, stdout),
    enabled: request.enabled.length > 0 ? parseEnabled(stdout, request.enabled) : null,
    walReceiver: request.streaming && request.pg ? parseWalReceiver(stdout) : null,
    clock,
    disk: request.diskPaths.length > 0 ? parseDisk(stdout, request.diskPaths) : null,
  };
}

/** One member's read: the SSH outcome, the banner, and the facts when the read ran. */
export interface TestMemberRead {
  server: Server;
  outcome: RemoteOutcome;
  banner: Known<string> | null;
  facts: TestMemberFacts | null;
}

/** Read one member (audited as a read), and its SSH banner alongside. */
export async function readTestMember(
  scope: ExecScope,
  server: Server,
  request: TestReadRequest,
  timeoutMs: number,
): Promise<TestMemberRead> {
  const bannerRead: Promise<Known<string> | null> = scope.runner.sshBanner
    ? scope.runner.sshBanner(server).then((b) => (b === null ? null : b.ok ? { ok: true, value: b.banner } : b))
    : Promise.resolve(null);
  const outcome = await auditedExec(
    scope,
    server,
    `test recovery: read ${server.name}`,
    testReadScript(server, request),
    // Not the failover shell: the runbook's listening, started beside the reads, holds it for over a second.
    { readOnly: true, quick: true, lane: 'checks', timeoutMs },
  );
  const sshd = await bannerRead;
  if (outcome.kind !== 'ok') return { server, outcome, banner: sshd, facts: null };
  // The clock on its own, over the connection the read just used: the round trip that bounds the
  // offset is then one shell's answer, not a login.
  const sentAt = Date.now();
  const clockOutcome = await auditedExec(
    scope,
    server,
    `test recovery: read the clock of ${server.name}`,
    CLOCK_SCRIPT,
    {
      readOnly: true,
      quick: true,
      lane: 'checks',
      timeoutMs,
    },
  );
  const answeredAt = Date.now();
  const clock =
    clockOutcome.kind === 'ok'
      ? parseClock(clockOutcome.result.stdout, { sentAt, answeredAt })
      : unknown(`the clock could not be read (${clockOutcome.kind})`);
  return { server, outcome, banner: sshd, facts: parseTestRead(server, request, outcome.result.stdout, clock) };
}
