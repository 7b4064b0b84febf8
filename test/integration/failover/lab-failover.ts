/**
 * A workspace describing the lab with every host key pinned (only the keys the lab generated),
 * the real SSH runner wired for failovers, and helpers to read state from outside (the lab's own
 * exec enters the namespaces without SSH).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { ServiceGroup, Snapshot } from '../../../shared/domain';
import type { Runbook, RunbookStep } from '../../../shared/runbooks';
import { createSshRunner } from '../../../electron/ssh/runner';
import { createSshRuntime } from '../../../electron/ssh/runtime';
import type { EngineDeps } from '../../../electron/failover/engine';
import type { RemoteRunner } from '../../../electron/ports/remote';
import type { Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { importLabCompany } from '../../lab/console';

export interface LabFailover {
  ws: TempWorkspace;
  snapshot: Snapshot;
  runner: RemoteRunner;
  deps: EngineDeps;
  events: { event: string; payload: unknown }[];
  group(name: string): ServiceGroup;
  serverId(name: string): number;
  close(): Promise<void>;
}

/** Import the example company at the lab's addresses, with its processes (the lab's hosts run those units), keys pinned. */
export async function openLabFailover(lab: Lab): Promise<LabFailover> {
  // On-host locks left by runs an earlier test file abandoned (halted, never answered) are stale.
  for (const host of Object.keys(lab.hosts) as HostName[]) {
    if (host !== 'client')
      await lab
        .exec(host, ['sh', '-c', 'rm -rf /run/lifeboat/group-* /var/run/lifeboat/group-* 2>/dev/null; true'])
        .catch(() => undefined);
  }
  const ws = openTempWorkspace();
  await importLabCompany((method, input) => ws.ok(method, input), lab);
  const snapshot = await ws.ok<Snapshot>('workspace.snapshot');
  const runner = createSshRunner(ws.db, createSshRuntime(ws.db));
  ws.ctx.runner = runner;
  const events: { event: string; payload: unknown }[] = [];
  const emit: EngineDeps['emit'] = (event, payload) => void events.push({ event, payload });
  ws.ctx.emit = emit;
  const byName = (name: string) => {
    const server = snapshot.servers.find((s) => s.name === name);
    if (!server) throw new Error(`no server ${name}`);
    return server.id;
  };
  return {
    ws,
    snapshot,
    runner,
    events,
    deps: { db: ws.db, runner, emit, runs: ws.ctx.runs, actor: 'lab-test@lifeboat' },
    group: (name) => {
      const group = snapshot.groups.find((g) => g.name === name);
      if (!group) throw new Error(`no group ${name}`);
      return group;
    },
    serverId: byName,
    async close() {
      await runner.dispose();
      ws.cleanup();
    },
  };
}

/** Which members hold an address, read from outside with `ip -o addr show` in each namespace. */
export async function holdersOf(lab: Lab, address: string, hosts: readonly HostName[]): Promise<HostName[]> {
  const held: HostName[] = [];
  for (const host of hosts) {
    const result = await lab.exec(host, ['ip', '-o', 'addr', 'show']);
    if (result.stdout.split('\n').some((line) => line.includes(` ${address}/`))) held.push(host);
  }
  return held;
}

/**
 * Where the group's default runbook to `target` has its first step of `kind` (the lab's groups run
 * their units, so the runbook starts with service steps: tests address steps by what they do).
 */
export async function stepIndexOf(w: LabFailover, group: string, target: string, kind: string): Promise<number> {
  const runbook = await w.ws.ok<Runbook>('runbooks.generate', {
    groupId: w.group(group).id,
    targetServerId: w.serverId(target),
  });
  const index = runbook.steps.findIndex((step) => step.type === 'action' && step.action.kind === kind);
  if (index < 0) throw new Error(`the ${group} runbook to ${target} has no ${kind} step`);
  return index;
}

/** The steps of the group's default runbook to `target`. */
export async function defaultSteps(w: LabFailover, group: string, target: string): Promise<RunbookStep[]> {
  return (
    await w.ws.ok<Runbook>('runbooks.generate', { groupId: w.group(group).id, targetServerId: w.serverId(target) })
  ).steps;
}

/** Start every unit the hosts run (a failover stopped them on the old primary): lab repair between tests. */
export async function startUnits(lab: Lab, hosts: readonly HostName[]): Promise<void> {
  for (const host of hosts) {
    const units = lab.hosts[host].units;
    if (!units.length) continue;
    const result = await lab.exec(host, ['systemctl', 'start', '--', ...units], { timeoutMs: 60_000 });
    if (result.code !== 0)
      throw new Error(`${host}: systemctl start ${units.join(' ')} failed: ${result.stderr.trim()}`);
  }
}

/** Put a VIP back on exactly one member, and the members' units running (lab repair between tests, from outside). */
export async function placeVip(lab: Lab, address: string, holder: HostName, hosts: readonly HostName[]): Promise<void> {
  await startUnits(lab, hosts);
  // A run an earlier test left halted (never answered) still holds its on-host lock: clear it.
  for (const host of hosts)
    await lab
      .exec(host, ['sh', '-c', 'rm -rf /run/lifeboat/group-* /var/run/lifeboat/group-* 2>/dev/null; true'])
      .catch(() => undefined);
  for (const host of hosts) {
    const result = await lab.exec(host, ['ip', '-o', 'addr', 'show', 'dev', 'eth0']);
    const line = result.stdout.split('\n').find((l) => l.includes(` ${address}/`));
    const cidr = line?.match(/inet (\S+)/)?.[1];
    if (cidr && host !== holder) await lab.exec(host, ['ip', 'addr', 'del', cidr, 'dev', 'eth0']);
    if (!cidr && host === holder) await lab.exec(host, ['ip', 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  }
  // Tell the client where the address lives now, and wait (bounded) until it answers from there.
  await lab.exec(holder, ['arping', '-U', '-c', '1', '-I', 'eth0', address]);
  const deadline = Date.now() + 5000;
  while (
    Date.now() < deadline &&
    (await lab.probe(`http://${address}/`, { timeoutMs: 500 })).host !== holder &&
    address === lab.vips.web
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Probe a URL from the client every `intervalMs` until stopped; returns the answers with their times. */
export function probeLoop(
  lab: Lab,
  url: string,
  intervalMs = 20,
): { stop(): Promise<{ at: number; host: string; ok: boolean }[]> } {
  const answers: { at: number; host: string; ok: boolean }[] = [];
  let running = true;
  const loop = (async () => {
    const deadline = Date.now() + 120_000;
    while (running && Date.now() < deadline) {
      const result = await lab.probe(url, { timeoutMs: 1000 });
      answers.push({ at: Date.now(), host: result.host, ok: result.ok });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

/**
 * Sample who holds `address` on each host (`ip -n NS -o addr`, from outside) in a tight loop until
 * stopped; returns how many samples were taken and the most holders seen in one sample.
 */
export function sampleHolders(
  lab: Lab,
  address: string,
  hosts: readonly HostName[],
): { stop(): Promise<{ samples: number; maxHolders: number; both: number }> } {
  const checks = hosts
    .map((h) => `if ip -n '${lab.hosts[h].namespace}' -o addr show | grep -q ' ${address}/'; then n=$((n+1)); fi`)
    .join('; ');
  const child = spawn('/bin/sh', ['-c', `while :; do n=0; ${checks}; echo $n; done`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let samples = 0;
  let maxHolders = 0;
  let both = 0;
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const n = Number(line);
      samples++;
      maxHolders = Math.max(maxHolders, n);
      if (n > 1) both++;
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async stop() {
      if (child.pid) process.kill(child.pid, 'SIGTERM');
      await exited;
      return { samples, maxHolders, both };
    },
  };
}

/**
 * This machine's pids of a host's sshd listener (Debian's ssh.service, /run/sshd.pid inside the
 * host) and of the sessions it forked (each serves one connection).
 */
export function sshdPids(lab: Lab, host: HostName): { listener: number; sessions: number[] } {
  const inner = Number((lab.readFile(host, '/run/sshd.pid') ?? '').trim());
  if (!Number.isInteger(inner) || inner <= 1)
    throw new Error(`${host}: no sshd pid in /run/sshd.pid (is ssh.service running?)`);
  const listener = lab.outerPid(host, inner);
  if (listener === null) throw new Error(`${host}: sshd pid ${inner} is not running`);
  const sessions: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === listener) sessions.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return { listener, sessions };
}

/** Start a host's sshd again after a test killed it (the lab's ssh.service does not restart by itself). */
export async function restartSshd(lab: Lab, host: HostName): Promise<void> {
  const result = await lab.exec(host, 'systemctl reset-failed ssh.service; systemctl start ssh.service');
  if (result.code !== 0) throw new Error(`sshd on ${host} did not start again: ${result.stderr}`);
}
