/**
 * Probing a virtual IP on the segment, shared by vip.listen, vip.acquire and vip.watch.
 *
 * Linux: iputils arping sends at most one probe a second (its interval takes whole seconds), so
 * a window is covered by several arping runs started a fraction apart, all cut at the window's
 * end: each prints every answer it hears (arping matches answers by address, not by request, so
 * every run hears the answers to every probe) and its own statistics. Two modes:
 * - `ask`: `arping -b` from the interface's own address, always broadcast (by default arping
 *   switches to unicast towards the first MAC that answered, and a second holder would never
 *   hear the probe); every answer is printed, so distinct MACs can be counted.
 * - `dad`: `arping -D` (sender 0.0.0.0, as duplicate address detection); any ARP packet that
 *   claims the address from another MAC counts, answers and gratuitous announcements alike.
 * OpenBSD has no arping: the ARP table is read after a ping, which sees one MAC at most (weaker).
 */
import type { Server } from '../../../shared/domain';
import { word } from '../../ssh/quote';
import type { InterfaceAddress } from './vip-state';

export type ProbeMode = 'ask' | 'dad';

/** When each arping run starts and when all of them are cut, in ms from the first start. */
export interface ProbeSchedule {
  mode: ProbeMode;
  startsMs: number[];
  endMs: number;
}

/** How many arping runs cover a window (each sends one probe at its start and one a second later). */
export const PROBE_RUNS = 3;
/** How long arping takes from its start to its first probe, at most (measured here: under 2 ms). */
export const PROBE_STARTUP_MS = 3;
/** Most answers one arping run prints before it stops (bounds the output). */
const MAX_ANSWERS = 100;

/** Below this spacing the runs start back to back: forking the next one takes a millisecond or two, a `sleep` more. */
const MIN_SPACING_MS = 10;

/** `runs` starts spread evenly over the first (runs-1)/runs of `windowMs`, the end at `windowMs`. */
export function spreadSchedule(mode: ProbeMode, windowMs: number, runs = PROBE_RUNS): ProbeSchedule {
  const window = Math.round(windowMs);
  const together = window / runs < MIN_SPACING_MS;
  const startsMs = Array.from({ length: runs }, (_, i) => (together ? 0 : Math.round((i * window) / runs)));
  return { mode, startsMs, endMs: window };
}

/** Milliseconds as `timeout` and `sleep` take them: seconds with three decimals, from a checked integer. */
function seconds(milliseconds: number): string {
  const ms = Number(word.integer(Math.round(milliseconds), 0, 600_000).value);
  return (ms / 1000).toFixed(3);
}

/**
 * The shell lines (one `{ … }` group) that run a schedule and print arping's output and, per run, a
 * line `lifeboat: arping exit N`; `during` runs while the probes listen, inside the window. `itf` and `address` are quoted words. Every run is interrupted
 * (SIGINT: arping prints its statistics) at the window's end, and arping's own deadline bounds it
 * if it ignored that. Waits only for its own runs.
 */
export function probeRunLines(
  itf: string,
  address: string,
  schedule: ProbeSchedule,
  during: readonly string[] = [],
): string[] {
  const flag = schedule.mode === 'dad' ? '-D' : '-b';
  // arping's own deadline (whole seconds) lies beyond the window: the interrupt ends every run.
  const ownDeadline = Math.ceil((schedule.endMs + PROBE_STARTUP_MS) / 1000) + 1;
  const out: string[] = [];
  let previous = 0;
  const pids = schedule.startsMs.map((_, i) => `$p${i}`).join(' ');
  schedule.startsMs.forEach((start, i) => {
    if (start > previous) out.push(`  sleep ${seconds(start - previous)}`);
    previous = start;
    out.push(
      `${i === 0 ? '{ ' : '  '}arping ${flag} -c ${MAX_ANSWERS} -w ${ownDeadline} -I ${itf} ${address} 2>&1 & p${i}=$!`,
    );
  });
  // The window is counted from the probes, not from arping's start: add its start-up time.
  const rest = seconds(schedule.endMs - previous + PROBE_STARTUP_MS);
  // Work that fits inside the window (`during`, printing to the same output) runs while the probes listen.
  if (during.length > 0)
    out.push(
      `  sleep ${rest} & w=$!`,
      ...during.map((line) => `  ${line}`),
      `  wait $w; kill -INT ${pids} 2>/dev/null`,
    );
  else out.push(`  sleep ${rest}; kill -INT ${pids} 2>/dev/null`);
  out.push(`  ${schedule.startsMs.map((_, i) => `wait $p${i}; echo "lifeboat: arping exit $?"`).join('; ')}; }`);
  return out;
}

/** What a schedule's output shows. */
export interface ProbeRun {
  /** Runs that reported how they ended. */
  runs: number;
  /** Runs that ended as a probe should (their statistics printed, cut by `timeout` or by their own end). */
  endedWell: number;
  /** Runs that sent at least one probe, and probes sent in all. */
  runsThatSent: number;
  probesSent: number;
  /** Distinct MACs that answered for the address (lower case), in the order first heard. */
  macs: string[];
}

const REPLY = /reply from ([0-9a-fA-F.:]+) \[([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\]/;

/** Read a schedule's output; lines it does not know are ignored. */
export function parseProbeRun(stdout: string, address: string): ProbeRun {
  const run: ProbeRun = { runs: 0, endedWell: 0, runsThatSent: 0, probesSent: 0, macs: [] };
  let statistics = 0;
  for (const line of stdout.split('\n')) {
    const reply = REPLY.exec(line);
    if (reply && reply[1] === address) {
      const mac = reply[2].toLowerCase();
      if (!run.macs.includes(mac)) run.macs.push(mac);
      continue;
    }
    const sent = /^Sent (\d+) probe/.exec(line);
    if (sent) {
      run.probesSent += Number(sent[1]);
      if (Number(sent[1]) > 0) run.runsThatSent++;
      continue;
    }
    if (/^Received \d+ response/.test(line)) statistics++;
    const exit = /^lifeboat: arping exit (\d+)$/.exec(line);
    if (exit) {
      run.runs++;
      // 0 and 1: arping ended with its statistics (interrupted at the window's end, or by itself); 2: an error.
      if (['0', '1'].includes(exit[1])) run.endedWell++;
    }
  }
  // A run whose statistics are missing did not end as a probe does (killed, or never started).
  run.endedWell = Math.min(run.endedWell, statistics);
  return run;
}

/** Whether a run gives proof: every run started, ended well, and sent its probe. */
export function probeProof(run: ProbeRun, schedule: ProbeSchedule): string | null {
  const expected = schedule.startsMs.length;
  if (run.runs !== expected) return `${run.runs} of ${expected} probe runs reported back`;
  if (run.endedWell !== expected)
    return `${expected - run.endedWell} of ${expected} probe runs failed (no statistics, or an error)`;
  if (run.runsThatSent !== expected) return `only ${run.runsThatSent} of ${expected} probe runs sent a probe`;
  return null;
}

/** The read-only script that prints the MAC of one interface (Linux `ip -o link`, OpenBSD `ifconfig`). */
export function interfaceMacScript(os: Server['os'], itf: string): string {
  const name = word.interfaceName(itf).quoted;
  return os === 'openbsd' ? `ifconfig ${name}` : `ip -o link show dev ${name}`;
}

/** The MAC an interface reports (lower case), or null when the output does not show one. */
export function parseInterfaceMac(os: Server['os'], stdout: string): string | null {
  const pattern =
    os === 'openbsd'
      ? /^\s*lladdr ([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s*$/m
      : /link\/ether ([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})/;
  const mac = pattern.exec(stdout)?.[1]?.toLowerCase() ?? null;
  return mac === '00:00:00:00:00:00' ? null : mac;
}

/**
 * OpenBSD: forget the address's ARP entry, ping it (ICMP may be filtered: the answer that counts is
 * ARP's), then print the ARP table's entry. Only the last MAC that answered is visible.
 */
export function openbsdArpLines(address: string, pings: number): string[] {
  const quoted = word.ip(address).quoted;
  const count = word.integer(pings, 1, 20).value;
  return [
    `arp -d ${quoted} >/dev/null 2>&1`,
    `ping -c ${count} -i 0.2 -w 1 ${quoted} >/dev/null 2>&1; echo "lifeboat: ping exit $?"`,
    `arp -n ${quoted} 2>&1; echo "lifeboat: arp exit $?"`,
  ];
}

/** The MAC OpenBSD's ARP table shows for the address, 'none' when it has no complete entry, null when unreadable. */
export function parseOpenbsdArp(stdout: string, address: string): string | 'none' | null {
  const ping = /^lifeboat: ping exit (\d+)$/m.exec(stdout)?.[1];
  const arp = /^lifeboat: arp exit (\d+)$/m.exec(stdout)?.[1];
  // ping: 0 answered, 1 no answer; anything else (2: an error) means the probe may not have gone out.
  if (ping === undefined || !['0', '1'].includes(ping) || arp === undefined) return null;
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== address) continue;
    const mac = fields.find((f) => /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/.test(f));
    if (mac) return mac.toLowerCase();
    if (line.includes('incomplete')) return 'none';
  }
  return /no entry/i.test(stdout) ? 'none' : null;
}

/** The address on exactly this interface (a copy on `lo` or another interface is not this one). */
export function addressOn(
  addresses: readonly InterfaceAddress[],
  address: string,
  itf: string,
): InterfaceAddress | undefined {
  return addresses.find(
    (a) => a.address === address.toLowerCase() && a.interface === itf && !a.flags.includes('dadfailed'),
  );
}
