/**
 * The Ethernet segment the fake hosts share, for the VIP probes (vip.listen, vip.acquire,
 * vip.watch): it reads the arping schedule out of the script the action sent, plays each probe
 * against the machines that answer for the address — members holding it and strangers, each with
 * its own delay and lost answers — and prints what iputils arping prints. Probes can be lost on
 * the wire, and a loaded host can fail to send. Time is simulated: nothing sleeps.
 */

/** A machine outside the group answering ARP for an address. */
export interface Stranger {
  mac: string;
  /** How late its answer arrives after the probe, in ms. */
  delayMs: number;
  /** How many of its first answers are lost (per address). */
  dropFirst: number;
}

export interface Responder {
  mac: string;
  delayMs: number;
  /** Answers still to be lost; decremented as probes arrive. */
  drop: { left: number };
}

interface Run {
  startMs: number;
  endMs: number;
}

export interface ParsedSchedule {
  mode: 'dad' | 'ask';
  itf: string;
  address: string;
  runs: Run[];
}

const ARPING = /arping (-D|-b) -c \d+ -w \d+ -I '([^']+)' '([^']+)'/;

/** The probe schedules in a script, in order (an acquire carries a second one, its retry). */
export function parseSchedules(script: string): ParsedSchedule[] {
  const schedules: ParsedSchedule[] = [];
  let current: ParsedSchedule | null = null;
  let clock = 0;
  for (const line of script.split('\n')) {
    const arping = ARPING.exec(line);
    if (arping && line.trimStart().startsWith('{')) {
      current = { mode: arping[1] === '-D' ? 'dad' : 'ask', itf: arping[2], address: arping[3], runs: [] };
      schedules.push(current);
      clock = 0;
    }
    // `sleep X; kill -INT …`, or `sleep X & w=$!` with work in the window before the interrupt: the closing sleep.
    const sleep = /^\s*sleep ([0-9.]+)(; kill -INT| & w=\$!)?/.exec(line);
    if (current && sleep) {
      clock += Math.round(Number(sleep[1]) * 1000);
      // The closing sleep ends every run (less arping's start-up allowance).
      if (sleep[2]) for (const run of current.runs) run.endMs = clock - 3;
      if (sleep[2]) current = null;
      continue;
    }
    if (current && arping) current.runs.push({ startMs: clock, endMs: Number.POSITIVE_INFINITY });
  }
  return schedules;
}

export class FakeSegment {
  /** MAC of each fake host, by name. */
  readonly macs = new Map<string, string>();
  /** Strangers answering for an address. */
  private readonly strangers = new Map<string, Responder[]>();
  /** Probes lost on the wire, counted over every probe sent on the segment (0 is the first). */
  readonly lostProbes = new Set<number>();
  /** The next this-many arping runs cannot send before they are interrupted (a loaded host). */
  unsentRuns = 0;
  private probesSent = 0;

  /** The next `count` probes sent on the segment are lost on the wire. */
  loseNext(count: number): void {
    for (let i = 0; i < count; i++) this.lostProbes.add(this.probesSent + i);
  }

  macOf(host: string): string {
    let mac = this.macs.get(host);
    if (!mac) {
      mac = `02:00:00:00:01:${(this.macs.size + 1).toString(16).padStart(2, '0')}`;
      this.macs.set(host, mac);
    }
    return mac;
  }

  /** A stranger answers for `address` from now on. */
  addStranger(address: string, stranger: Stranger): void {
    const list = this.strangers.get(address) ?? [];
    list.push({ mac: stranger.mac, delayMs: stranger.delayMs, drop: { left: stranger.dropFirst } });
    this.strangers.set(address, list);
  }

  strangersOf(address: string): Responder[] {
    return this.strangers.get(address) ?? [];
  }

  /**
   * What one schedule prints, run by `ownMac` against `responders`: per run its replies and
   * statistics, then `lifeboat: arping exit N` per run, as the script's closing `wait`s print them.
   */
  play(
    schedule: ParsedSchedule,
    ownMac: string,
    responders: readonly Responder[],
  ): { stdout: string; replied: string[] } {
    // Every probe of every run, in time order, with the answers it brings back.
    const probes: { run: number; at: number }[] = [];
    const unsent = new Set<number>();
    schedule.runs.forEach((run, i) => {
      if (this.unsentRuns > 0) {
        this.unsentRuns--;
        unsent.add(i);
        return;
      }
      for (let at = run.startMs; at < run.endMs && at < run.startMs + 60_000; at += 1000) probes.push({ run: i, at });
    });
    probes.sort((a, b) => a.at - b.at);
    const answers: { at: number; mac: string }[] = [];
    const sent = schedule.runs.map(() => 0);
    for (const probe of probes) {
      sent[probe.run]++;
      if (this.lostProbes.has(this.probesSent++)) continue;
      for (const responder of responders) {
        if (responder.mac === ownMac) continue;
        if (responder.drop.left > 0) {
          responder.drop.left--;
          continue;
        }
        answers.push({ at: probe.at + responder.delayMs, mac: responder.mac });
      }
    }
    answers.sort((a, b) => a.at - b.at);
    const lines: string[] = [];
    const exits: number[] = [];
    const replied: string[] = [];
    schedule.runs.forEach((run, i) => {
      // arping -D stops at its first answer; arping -b keeps listening until it is interrupted.
      const heard = answers.filter((a) => a.at >= run.startMs && a.at < run.endMs);
      const kept = schedule.mode === 'dad' ? heard.slice(0, 1) : heard;
      lines.push(
        `ARPING ${schedule.address} from ${schedule.mode === 'dad' ? '0.0.0.0' : '10.77.0.99'} ${schedule.itf}`,
      );
      for (const answer of kept) {
        lines.push(
          `Unicast reply from ${schedule.address} [${answer.mac.toUpperCase()}]  ${Math.max(0.5, answer.at - run.startMs).toFixed(3)}ms`,
        );
        if (!replied.includes(answer.mac)) replied.push(answer.mac);
      }
      lines.push(
        `Sent ${unsent.has(i) ? 0 : sent[i]} probes (${unsent.has(i) ? 0 : sent[i]} broadcast(s))`,
        `Received ${kept.length} response(s)`,
      );
      exits.push(schedule.mode === 'dad' ? (kept.length > 0 ? 1 : 0) : 1);
    });
    return { stdout: [...lines, ...exits.map((code) => `lifeboat: arping exit ${code}`)].join('\n') + '\n', replied };
  }
}

/** What the VIP-probe interpreter needs from the fake hosts. */
export interface SegmentHosts {
  segment: FakeSegment;
  duplicates: ReadonlySet<string>;
  hosts: ReadonlyMap<
    string,
    { reachable: boolean; addresses: { interface: string; address: string; prefix: number }[] }
  >;
}

type Outcome = { code: number; stdout: string };

/** Members holding `address` (a powered-off one answers nothing), legacy duplicates, and strangers. */
function respondersFor(world: SegmentHosts, address: string): Responder[] {
  const members = [...world.hosts]
    .filter(([, h]) => h.reachable && h.addresses.some((a) => a.address === address))
    .map(([name]) => ({ mac: world.segment.macOf(name), delayMs: 0, drop: { left: 0 } }));
  const legacy = world.duplicates.has(address) ? [{ mac: '02:00:00:00:00:99', delayMs: 0, drop: { left: 0 } }] : [];
  return [...members, ...legacy, ...world.segment.strangersOf(address)];
}

const linkLine = (itf: string, mac: string) =>
  `2: ${itf}@if9: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether ${mac} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n`;

/**
 * The VIP-probe scripts (holder read, listen, acquire's duplicate probe, watch) played on the
 * segment; undefined for any other script. `addressList` prints the host's `ip -o addr show`.
 */
export function interpretVipProbe(
  world: SegmentHosts,
  name: string,
  script: string,
  addressList: () => string,
): Outcome | undefined {
  const host = world.hosts.get(name);
  if (!host) return undefined;
  const own = world.segment.macOf(name);
  const link = /^ip -o link show dev '([^']+)'/.exec(script);
  if (link) return { code: 0, stdout: `${linkLine(link[1], own)}--- lifeboat: addresses\n${addressList()}` };
  const schedules = parseSchedules(script);
  if (schedules.length === 0) return undefined;
  const first = schedules[0];
  const responders = respondersFor(world, first.address);
  if (script.includes('--- lifeboat: link')) {
    const played = world.segment.play(first, own, responders);
    return {
      code: 0,
      stdout: `${played.stdout}--- lifeboat: link\n${linkLine(first.itf, own)}--- lifeboat: state\n${addressList()}`,
    };
  }
  if (first.mode === 'ask') return { code: 0, stdout: world.segment.play(first, own, responders).stdout };
  // The acquire: already held on the interface, else the probe (and its retry), then the add.
  if (host.addresses.some((a) => a.address === first.address && a.interface === first.itf))
    return { code: 0, stdout: `lifeboat: already held\n--- lifeboat: state\n${addressList()}` };
  let proof = false;
  for (const schedule of schedules) {
    const played = world.segment.play(schedule, own, responders);
    const reply = played.stdout.split('\n').find((l) => l.includes('reply from'));
    if (reply) return { code: 3, stdout: `lifeboat: duplicate: ${reply}\n` };
    const sent = (played.stdout.match(/^Sent [1-9]/gm) ?? []).length;
    proof = sent === schedule.runs.length;
    if (proof) break;
  }
  if (!proof) return { code: 4, stdout: 'lifeboat: probe failed: no proof the address is free\n' };
  const cidr = /ip addr add '([0-9a-f.:]+)\/(\d+)' dev '([^']+)'/.exec(script);
  if (cidr) host.addresses.push({ address: cidr[1], prefix: Number(cidr[2]), interface: cidr[3] });
  return { code: 0, stdout: `--- lifeboat: state\n${addressList()}` };
}
