/**
 * The failover bench (run by scripts/bench-failover.mjs): moves the lab's web VIP back and forth
 * with the engine while the client probes it every 10 ms, then lets keepalived (VRRP) fail the
 * same VIP over when its master is stopped — VRRPv2 with advert_int 1, and VRRPv3 with advert_int
 * 0.1 and a graceful stop (keepalived's best) — and prints client-observed downtime and engine
 * time. The engine's wall time includes the listening before the release and the watch after the
 * acquire; clients feel only the window between the release and the acquire's announcement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../../../electron/app';
import { exampleCompany } from '../../../../shared/example-company';
import { PlanDocument, planToYaml } from '../../../../shared/plan-file';
import type { Snapshot } from '../../../../shared/domain';
import { DEFAULT_LISTEN_MS, DEFAULT_PROBE_MS, DEFAULT_WATCH_MS } from '../../../../shared/runbooks';
import { createSshRunner } from '../../../../electron/ssh/runner';
import { createSshRuntime } from '../../../../electron/ssh/runtime';
import { viewRun } from '../../../../electron/failover/engine';
import { listAuditRows } from '../../../../electron/db/repositories/audit';
import type { Db } from '../../../../electron/db/connection';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startConfirmed as startRun } from '../../../unit/failover/confirmed';
import { acquireLabLock, startLab, stopLab, type Lab } from '../../../lab/lab';
import { postgresFailoverBench } from './postgres';
import { downtime, prober } from './probes';

export { downtime } from './probes';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function placeVip(lab: Lab, vip: string, holder: 'web-a' | 'web-b'): Promise<void> {
  for (const host of ['web-a', 'web-b'] as const) {
    const listing = await lab.exec(host, ['ip', '-o', 'addr', 'show', 'dev', 'eth0']);
    const cidr = listing.stdout
      .split('\n')
      .find((l) => l.includes(` ${vip}/`))
      ?.match(/inet (\S+)/)?.[1];
    if (cidr && host !== holder) await lab.exec(host, ['ip', 'addr', 'del', cidr, 'dev', 'eth0']);
    if (!cidr && host === holder) await lab.exec(host, ['ip', 'addr', 'add', `${vip}/24`, 'dev', 'eth0']);
  }
  await lab.exec(holder, ['arping', '-U', '-c', '1', '-I', 'eth0', vip]);
}

/**
 * Move the web VIP back and forth `moves` times with the engine. `probeMilliseconds` null keeps
 * the generated runbooks (the default probe window); a number saves both runbooks with that
 * probe window instead.
 */
async function engineMoves(
  lab: Lab,
  moves: number,
  probeMilliseconds: number | null,
  log: (line: string) => void,
): Promise<{ engineMs: number[]; downMs: number[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));
  const app = openApp(path.join(dir, 'workspace.db'), () => undefined);
  try {
    const call = async <T>(method: string, payload: unknown): Promise<T> => {
      const envelope = await app.dispatcher.dispatch(method, payload);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
      return envelope.value as T;
    };
    const plan = PlanDocument.parse(
      exampleCompany({ net: lab.network.cidr.split('.').slice(0, 3).join('.'), keyPath: lab.keyPath }),
    );
    await call('workspace.importPlan', { yaml: planToYaml(plan) });
    const snapshot = await call<Snapshot>('workspace.snapshot', {});
    const web = snapshot.groups.find((g) => g.name === 'web')!;
    await call('groups.save', { ...web, processes: [] });
    for (const name of ['web-a', 'web-b']) {
      const server = snapshot.servers.find((s) => s.name === name)!;
      const scan = await call<{ keyType: string; fingerprint: string }>('hosts.scanKey', { serverId: server.id });
      if (scan.fingerprint !== lab.hosts[name as 'web-a'].hostKeyFingerprint)
        throw new Error(`${name}: unexpected host key`);
      await call('hosts.trust', { serverId: server.id, keyType: scan.keyType, fingerprint: scan.fingerprint });
    }
    const runner = createSshRunner(app.db, createSshRuntime(app.db));
    app.ctx.runner = runner;
    const deps = { db: app.db, runner, emit: () => undefined, runs: app.ctx.runs, actor: 'bench' };
    const id = (name: string) => snapshot.servers.find((s) => s.name === name)!.id;
    if (probeMilliseconds !== null) {
      for (const target of ['web-a', 'web-b']) {
        const runbook = await call<{
          direction: string;
          sourceServerId: number;
          targetServerId: number;
          steps: { type: string; action?: { kind: string; params: Record<string, unknown> } }[];
        }>('runbooks.generate', { groupId: web.id, targetServerId: id(target) });
        for (const step of runbook.steps)
          if (step.action?.kind === 'vip.acquire') step.action.params.probeMilliseconds = probeMilliseconds;
        await call('runbooks.save', {
          groupId: web.id,
          direction: runbook.direction,
          sourceServerId: runbook.sourceServerId,
          targetServerId: runbook.targetServerId,
          steps: runbook.steps,
        });
      }
    }
    await placeVip(lab, lab.vips.web, 'web-a');
    // Warm the SSH connections with one dry run (the pre-flight), as an open console has them.
    await startRun(deps, { groupId: web.id, targetServerId: id('web-b'), mode: 'dry-run', confirmation: '' });
    const engineMs: number[] = [];
    const downMs: number[] = [];
    const began: number[] = [];
    // A move takes the listening (1.2 s) and the watch (2.2 s) beyond the move itself.
    const spacingMs = probeMilliseconds === null || probeMilliseconds < 1000 ? 5000 : 6000;
    const probing = prober(lab, `http://${lab.vips.web}/`, (moves * (spacingMs + 1000)) / 1000 + 2);
    await sleep(700);
    for (let i = 0; i < moves; i++) {
      const target = i % 2 === 0 ? 'web-b' : 'web-a';
      began.push(Date.now());
      const started = await startRun(deps, {
        groupId: web.id,
        targetServerId: id(target),
        mode: 'real',
        confirmation: 'web',
      });
      const status = await started.finished;
      const took = Date.now() - began[i];
      if (status !== 'succeeded') throw new Error(`move ${i + 1} to ${target}: ${status} ${started.refused ?? ''}`);
      engineMs.push(took);
      const steps = viewRun(app.ctx, started.runId!)
        .steps.map((step) => `${step.title.split(' ')[0].toLowerCase()} ${step.elapsedMs} ms`)
        .join(', ');
      log(
        `move ${i + 1} → ${target}: engine ${took} ms (pre-flight ${started.preflight.durationMs} ms; ${steps}); ${handoffBreakdown(app.db, started.runId!, lab.vips.web)}`,
      );
      await sleep(Math.max(200, spacingMs - took));
    }
    const probes = await probing;
    began.forEach((start, i) => {
      // The window of a move: from its start to the next one (the client answered steadily in between).
      const d = downtime(probes, start - 100, (began[i + 1] ?? start + spacingMs) - 50);
      downMs.push(d.gapMs);
      log(`move ${i + 1}: client saw ${d.first} → ${d.last}, longest gap without an answer ${d.gapMs} ms`);
    });
    await runner.dispose();
    return { engineMs, downMs };
  } finally {
    app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where a move's client downtime goes, from the run's audit rows: the release command (sent →
 * answered), the engine between the release's answer and the acquire's command going out, and the
 * acquire command (sent → answered; its probe window and the add are inside it).
 */
function handoffBreakdown(db: Db, runId: number, vip: string): string {
  const outcomes = listAuditRows(db, { runId, limit: 500 }).filter((row) => row.kind === 'outcome');
  const command = (purpose: string) => outcomes.find((row) => row.detail === purpose);
  const release = command(`release ${vip}`);
  const acquire = command(`acquire ${vip}`);
  if (!release?.startedAt || !release.endedAt || !acquire?.startedAt || !acquire.endedAt)
    return 'handoff: not found in the audit';
  return `handoff: release command ${release.endedAt - release.startedAt} ms, engine between ${acquire.startedAt - release.endedAt} ms, acquire command ${acquire.endedAt - acquire.startedAt} ms`;
}

/** A keepalived setup to compare with: VRRPv2 with one advertisement a second, or VRRPv3 with ten. */
interface Vrrp {
  version: 2 | 3;
  advertInt: 1 | 0.1;
}

function keepalivedConfig(lab: Lab, self: 'web-a' | 'web-b', vrrp: Vrrp): string {
  const peer = self === 'web-a' ? 'web-b' : 'web-a';
  return `global_defs {
  vrrp_version ${vrrp.version}
}
vrrp_instance web {
  state ${self === 'web-a' ? 'MASTER' : 'BACKUP'}
  interface eth0
  virtual_router_id 77
  priority ${self === 'web-a' ? 150 : 100}
  advert_int ${vrrp.advertInt}
  unicast_src_ip ${lab.hosts[self].ip}
  unicast_peer {
    ${lab.hosts[peer].ip}
  }
  virtual_ipaddress {
    ${lab.vips.web}/24 dev eth0
  }
}
`;
}

async function keepalivedMove(
  lab: Lab,
  signal: 'TERM' | 'KILL',
  vrrp: Vrrp,
  log: (line: string) => void,
): Promise<number | null> {
  const binary = ['/usr/sbin/keepalived', '/sbin/keepalived'].find((p) => fs.existsSync(p));
  if (!binary) {
    log('keepalived is not installed (apt-get install -y keepalived): skipping the VRRP comparison');
    return null;
  }
  const label = `keepalived VRRPv${vrrp.version} advert_int ${vrrp.advertInt}`;
  // keepalived is the bench machine's, run in each host's network namespace (the hosts' Debian root does not carry it).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-vrrp-'));
  const files = (host: 'web-a' | 'web-b') => ({
    conf: path.join(dir, `${host}.conf`),
    pid: path.join(dir, `${host}.pid`),
    vrrpPid: path.join(dir, `${host}-vrrp.pid`),
  });
  const start = async (host: 'web-a' | 'web-b') => {
    const f = files(host);
    fs.writeFileSync(f.conf, keepalivedConfig(lab, host, vrrp));
    await promisify(execFile)(
      'ip',
      ['netns', 'exec', lab.hosts[host].namespace, binary, '--vrrp', '-f', f.conf, '-p', f.pid, '-r', f.vrrpPid, '-l'],
      { timeout: 10_000 },
    );
  };
  const stop = (host: 'web-a' | 'web-b', sig: NodeJS.Signals) => {
    for (const file of [files(host).pid, files(host).vrrpPid]) {
      try {
        process.kill(Number(fs.readFileSync(file, 'utf8').trim()), sig);
      } catch {
        // Not running (or already gone).
      }
    }
  };
  const holds = async (host: 'web-a' | 'web-b') =>
    (await lab.exec(host, ['ip', '-o', 'addr', 'show'])).stdout.includes(` ${lab.vips.web}/`);
  await placeVip(lab, lab.vips.web, 'web-a');
  await lab.exec('web-a', ['ip', 'addr', 'del', `${lab.vips.web}/24`, 'dev', 'eth0']);
  try {
    await start('web-a');
    await start('web-b');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await holds('web-a'))) await sleep(100);
    if (!(await holds('web-a'))) throw new Error(`${label}: web-a never became master`);
    await sleep(1500);
    const probing = prober(lab, `http://${lab.vips.web}/`, 7);
    await sleep(1000);
    const stopped = Date.now();
    stop('web-a', `SIG${signal}`);
    if (signal === 'KILL') await lab.exec('web-a', ['ip', 'addr', 'del', `${lab.vips.web}/24`, 'dev', 'eth0']);
    const probes = await probing;
    const d = downtime(probes, stopped - 1000, stopped + 5500);
    if (d.last !== 'web-b') throw new Error(`${label}: the client never reached web-b (${d.first} → ${d.last})`);
    log(
      `${label}, master stopped with SIG${signal}: client saw ${d.first} → ${d.last}, longest gap without an answer ${d.gapMs} ms`,
    );
    return d.gapMs;
  } finally {
    stop('web-a', 'SIGTERM');
    stop('web-b', 'SIGTERM');
    await sleep(1500);
    fs.rmSync(dir, { recursive: true, force: true });
    await placeVip(lab, lab.vips.web, 'web-a');
  }
}

/** Run the bench; returns the process exit code. */
export async function main(log: (line: string) => void = (line) => console.log(line)): Promise<number> {
  const lock = await acquireLabLock({ purpose: 'bench:failover', timeoutMs: 300_000 });
  let lab: Lab | null = null;
  try {
    lab = await startLab({ reuse: true, origin: 'bench', timeoutMs: 120_000 });
    log(`lab ready (${lab.reused ? 'reused' : 'started'}); web VIP ${lab.vips.web}`);
    const moves = Number(process.env.BENCH_MOVES ?? 6);
    const fullWindow = Number(process.env.BENCH_FULL_PROBE_MS ?? 1000);
    const trials = Number(process.env.BENCH_VRRP_TRIALS ?? 3);
    log(
      `default runbook: listen ${DEFAULT_LISTEN_MS} ms before the release, duplicate probe window ${DEFAULT_PROBE_MS} ms after it (three probes sent, no answer, on record), watch ${DEFAULT_WATCH_MS} ms after the acquire`,
    );
    const standard = await engineMoves(lab, moves, null, log);
    log(`runbook with the full probe (probeMilliseconds ${fullWindow}: three probes over it), for comparison`);
    const full = await engineMoves(lab, moves, fullWindow, log);
    const graceful = await keepalivedMove(lab, 'TERM', { version: 2, advertInt: 1 }, log);
    const killed = await keepalivedMove(lab, 'KILL', { version: 2, advertInt: 1 }, log);
    const fast: number[] = [];
    for (let i = 0; i < trials && graceful !== null; i++) {
      const gap = await keepalivedMove(lab, 'TERM', { version: 3, advertInt: 0.1 }, log);
      if (gap !== null) fast.push(gap);
    }
    log('');
    for (const [label, { engineMs, downMs }] of [
      [`default runbook (probe window ${DEFAULT_PROBE_MS} ms)`, standard],
      [`full probe (${fullWindow} ms)`, full],
    ] as const) {
      log(
        `Lifeboat VIP move, ${label} (${engineMs.length} moves, warm SSH): engine wall time median ${median(engineMs)} ms, max ${Math.max(...engineMs)} ms (goal < 4000 ms, listening and watch included)`,
      );
      const goal =
        fast.length > 0
          ? `goal: below keepalived VRRPv3 advert_int 0.1, ${median(fast)} ms`
          : 'goal: below keepalived VRRPv3 advert_int 0.1, not measured';
      log(
        `Lifeboat VIP move, ${label}: client downtime median ${median(downMs)} ms, max ${Math.max(...downMs)} ms (${goal})`,
      );
    }
    if (graceful !== null)
      log(
        `keepalived (advert_int 1): client downtime ${graceful} ms when the master stops gracefully, ${killed} ms when it is killed`,
      );
    if (fast.length > 0)
      log(
        `keepalived VRRPv3 advert_int 0.1: client downtime ${median(fast)} ms (median of ${fast.length} graceful stops: ${fast.join(', ')} ms)`,
      );
    // Last: the promotion cannot be undone (BENCH_POSTGRES=0 skips it).
    if (process.env.BENCH_POSTGRES !== '0') await postgresFailoverBench(lab, log);
    return 0;
  } finally {
    if (lab && lab.origin !== 'cli' && process.env.LIFEBOAT_LAB_KEEP !== '1') await stopLab(lab.dir);
    lock.release();
  }
}
