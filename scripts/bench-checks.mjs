#!/usr/bin/env node
// `npm run bench:checks`: cold and warm sweep times of Lifeboat's health checks against the lab
// (every lab host, five trivial checks each, then five real ones) and against a generated set of at least 30 hosts
// (each lab host reached at extra addresses the bench adds to its namespace and removes after:
// distinct endpoints, so distinct SSH connections), beside OpenSSH with ControlMaster running the
// same check scripts. Needs root and the lab (test/lab/); prints why and exits 2 where it cannot run.
// Environment: BENCH_RUNS (warm sweeps, default 20), BENCH_COPIES (addresses per lab host, default 4),
// BENCH_OPENSSH_RUNS (warm OpenSSH sweeps, default 5), BENCH_SSH_PARALLEL (ssh processes at once, default 32).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleHarness } from './lib/bundle.mjs';

const WARM_RUNS = Math.max(1, Math.min(200, Number(process.env.BENCH_RUNS ?? 20)));
const COPIES = Math.max(1, Math.min(10, Number(process.env.BENCH_COPIES ?? 4)));
const COMMAND_TIMEOUT_MS = Math.max(1000, Number(process.env.BENCH_SSH_TIMEOUT_MS ?? 30_000));
/** OpenSSH: warm sweeps (each is slow) and ssh processes at once (as parallel-ssh bounds them). */
const OPENSSH_RUNS = Math.max(1, Math.min(WARM_RUNS, Number(process.env.BENCH_OPENSSH_RUNS ?? 5)));
const OPENSSH_PARALLEL = Math.max(1, Number(process.env.BENCH_SSH_PARALLEL ?? 32));
const log = (line) => process.stderr.write(`${line}\n`);

/** Bundle the TypeScript the bench drives (the checks, the SSH engine, the lab) into one CommonJS file. */
async function loadModules() {
  const contents = [
    "export { openApp } from './electron/app';",
    "export { loadInventory, planCheck } from './electron/checks/plan';",
    "export { sweep } from './electron/checks/sweep';",
    "export { listChecks } from './electron/db/repositories/checks';",
    "export { acquireLabLock, labAvailable, lockWaiters, startLab, stopLab } from './test/lab/lab';",
  ].join('\n');
  const bundle = await bundleHarness('bench-checks', { contents });
  process.once('exit', bundle.dispose);
  return bundle.module;
}

/**
 * Run a program with input on stdin, a hard deadline, and the output collected. Never rejects.
 * Settles when the process exits (plus a moment for the last output), not when its pipes close:
 * an OpenSSH ControlPersist master forked from it may keep them open for a minute.
 */
function run(file, args, input = '') {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let settled = false;
    let exitCode = null;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ code: exitCode, stdout, stderr, args });
    };
    let grace;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish();
    }, COMMAND_TIMEOUT_MS);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => {
      stderr += String(error);
      finish();
    });
    child.on('exit', (code) => {
      exitCode = code;
      grace = setTimeout(finish, 200);
    });
    child.on('close', finish);
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** At most `limit` calls of `fn` in flight. */
function limiter(limit) {
  let active = 0;
  const waiting = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async (fn) => {
    if (active >= limit) await new Promise((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

function stats(cold, warm) {
  const sorted = [...warm].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { cold, median: at(0.5), p90: at(0.9), min: sorted[0] };
}

/**
 * The checks of every endpoint, two sets: five trivial ones (the ssh check's echo: no process is
 * started on the host, as in the issue's reference measurements), and five real ones (ssh, disk,
 * load, memory, service), whose df and pgrep cost the host a process each.
 */
const CHECK_SETS = {
  trivial: {
    label: '5 trivial checks (echo)',
    checks: (serverId) =>
      [1, 2, 3, 4, 5].map((n) => ({ kind: 'ssh', name: `${serverId}: echo ${n}`, serverId, params: {} })),
  },
  real: {
    label: '5 real checks (ssh, disk, load, memory, service)',
    checks: (serverId) => [
      { kind: 'ssh', name: `${serverId}: ssh`, serverId, params: {} },
      { kind: 'disk', name: `${serverId}: disk`, serverId, params: { warnPercent: 100, failPercent: 100 } },
      { kind: 'load', name: `${serverId}: load`, serverId, params: { warnPerCore: 1000, failPerCore: 1000 } },
      { kind: 'memory', name: `${serverId}: memory`, serverId, params: { warnPercent: 100, failPercent: 100 } },
      { kind: 'service', name: `${serverId}: sshd`, serverId, params: { unit: 'sshd', manager: 'process' } },
    ],
  },
};

/** Lifeboat: pins every endpoint's key, plans the checks once, then sweeps cold (fresh runner) and warm. */
async function benchLifeboat(m, app, endpoints, set) {
  const call = async (method, payload) => {
    const envelope = await app.dispatcher.dispatch(method, payload);
    if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
    return envelope.value;
  };
  const ids = [];
  for (const endpoint of endpoints) {
    const server = await call('servers.save', {
      name: endpoint.name,
      addresses: [endpoint.ip],
      ssh: { host: endpoint.ip, port: endpoint.port, user: 'root', auth: { kind: 'key', keyPath: endpoint.keyPath } },
    });
    const scan = await call('hosts.scanKey', { serverId: server.id });
    if (scan.fingerprint !== endpoint.fingerprint)
      throw new Error(`${endpoint.name} presents ${scan.fingerprint}, the lab made ${endpoint.fingerprint}`);
    if (scan.status === 'new')
      await call('hosts.trust', { serverId: server.id, keyType: scan.keyType, fingerprint: scan.fingerprint });
    for (const check of set.checks(server.id)) await call('checks.save', check);
    ids.push(server.id);
  }
  const inventory = m.loadInventory(app.db);
  const planned = m
    .listChecks(app.db)
    .filter((c) => ids.includes(c.serverId))
    .map((c) => m.planCheck(c, inventory));
  // The context's runner: the SSH engine's, over the workspace's own runtime.
  const runner = app.ctx.runner;
  try {
    const sweepOnce = async () => {
      const { ms, value } = await timed(() => m.sweep(planned, runner));
      const bad = value.runs.filter((r) => r.evaluation.status === 'unknown' || r.evaluation.status === 'fail');
      if (bad.length)
        throw new Error(
          `${bad.length} checks did not pass, e.g. ${bad[0].planned.check.name}: ${bad[0].evaluation.summary}`,
        );
      return ms;
    };
    const cold = await sweepOnce();
    const warm = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await sweepOnce());
    return { ...stats(cold, warm), checks: planned.length, planned };
  } finally {
    await runner.dispose();
  }
}

/** OpenSSH with ControlMaster running the same scripts: one ssh per check (or one per host), all hosts at once. */
async function benchOpenSsh(endpoints, planned, lab, controlDir, perHost) {
  const scriptsOf = new Map();
  for (const p of planned) {
    const endpoint = endpoints.find((e) => e.ip === p.targets[0].ssh.host);
    scriptsOf.set(endpoint, [...(scriptsOf.get(endpoint) ?? []), p.scripts[0]]);
  }
  const args = (endpoint) => [
    '-i',
    endpoint.keyPath,
    '-o',
    `UserKnownHostsFile=${lab.knownHostsPath}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `HostKeyAlias=${endpoint.baseIp}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${controlDir}/%C`,
    '-o',
    'ControlPersist=60',
    ...(process.env.BENCH_DEBUG ? ['-v'] : []),
    '-p',
    String(endpoint.port),
    `root@${endpoint.ip}`,
    'env LC_ALL=C /bin/sh -s',
  ];
  // Cold, each host's first ssh sets up the master and the others follow it, as ControlMaster is
  // used in practice (a burst of simultaneous first connections races for the socket and trips
  // sshd's MaxStartups). Warm, every ssh starts at once over the existing masters.
  const slot = limiter(OPENSSH_PARALLEL);
  const ssh = (endpoint, script) => slot(() => run('ssh', args(endpoint), script));
  const sweepOnce = async (cold) => {
    const host = async (endpoint, scripts) => {
      if (perHost) return [await ssh(endpoint, scripts.join('\n'))];
      const first = cold ? [await ssh(endpoint, scripts[0])] : [];
      return [...first, ...(await Promise.all(scripts.slice(first.length).map((script) => ssh(endpoint, script))))];
    };
    const { ms, value: perEndpoint } = await timed(() =>
      Promise.all([...scriptsOf].map(([endpoint, scripts]) => host(endpoint, scripts))),
    );
    const value = perEndpoint.flat();
    const failed = value.filter((r) => r.code !== 0 || !r.stdout.includes('end=1'));
    // A failed or hung ssh is part of the baseline's record, not a reason to stop the bench.
    if (failed.length) {
      failures += failed.length;
      log(
        `  ${failed.length} of ${value.length} ssh runs failed (${cold ? 'cold' : 'warm'}), e.g. exit ${failed[0].code} to ${failed[0].args.at(-2)}: ${failed[0].stderr.trim().slice(process.env.BENCH_DEBUG ? -1500 : 0, process.env.BENCH_DEBUG ? undefined : 160)}`,
      );
    }
    return ms;
  };
  let failures = 0;
  const cold = await sweepOnce(true);
  const warm = [];
  for (let i = 0; i < OPENSSH_RUNS; i++) warm.push(await sweepOnce(false));
  return { ...stats(cold, warm), failures };
}

async function stopMasters(endpoints, controlDir) {
  await Promise.all(
    endpoints.map((e) =>
      run('ssh', ['-o', `ControlPath=${controlDir}/%C`, '-p', String(e.port), '-O', 'exit', `root@${e.ip}`]),
    ),
  );
}

const ms = (n) => `${n.toFixed(1).padStart(8)} ms`;
function row(label, s) {
  return `${label.padEnd(46)}${ms(s.cold)}${ms(s.median)}${ms(s.p90)}${ms(s.min)}${s.failures ? `  (${s.failures} ssh runs failed or hung ${COMMAND_TIMEOUT_MS / 1000} s)` : ''}`;
}

async function benchSet(m, lab, title, endpoints, dir, set) {
  const app = m.openApp(path.join(dir, `${endpoints.length}-hosts-${set.label.split(' ')[1]}.db`), () => {});
  const controlDir = fs.mkdtempSync('/tmp/lbcm-');
  try {
    log(`${title}: Lifeboat…`);
    const lifeboat = await benchLifeboat(m, app, endpoints, set);
    log(`${title}: OpenSSH, one exec per check…`);
    const perCheck = await benchOpenSsh(endpoints, lifeboat.planned, lab, controlDir, false);
    log(`${title}: OpenSSH, one exec per host…`);
    const perHost = await benchOpenSsh(endpoints, lifeboat.planned, lab, controlDir, true);
    await stopMasters(endpoints, controlDir);
    return {
      text: [
        `\n${title}, ${set.label}: ${endpoints.length} hosts, ${lifeboat.checks} checks; warm sweeps: Lifeboat ${WARM_RUNS}, OpenSSH ${OPENSSH_RUNS} (at most ${OPENSSH_PARALLEL} ssh at once)`,
        `${''.padEnd(46)}${'cold'.padStart(11)}${'warm med'.padStart(11)}${'warm p90'.padStart(11)}${'warm min'.padStart(11)}`,
        row('Lifeboat (ssh2, one persistent shell per host)', lifeboat),
        row('OpenSSH ControlMaster, one ssh per check', perCheck),
        row('OpenSSH ControlMaster, one ssh per host', perHost),
        `Lifeboat warm vs OpenSSH per check: ${(perCheck.median / lifeboat.median).toFixed(1)}x faster; vs per host: ${(perHost.median / lifeboat.median).toFixed(1)}x`,
      ].join('\n'),
      lifeboat,
      perCheck,
      perHost,
    };
  } finally {
    await stopMasters(endpoints, controlDir).catch(() => {});
    fs.rmSync(controlDir, { recursive: true, force: true });
    app.dispose();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));
  const m = await loadModules();
  const available = m.labAvailable();
  if (!available.ok) {
    console.log(`bench:checks needs the lab, which cannot run here: ${available.reason}`);
    return 2;
  }
  const lock = await m.acquireLabLock({ purpose: 'bench:checks', timeoutMs: 300_000 });
  const added = [];
  let lab;
  try {
    lab = await m.startLab({ reuse: true, origin: 'bench', log });
    const hosts = Object.values(lab.hosts);
    const base = hosts.map((h) => ({
      name: h.name,
      ip: h.ip,
      baseIp: h.ip,
      port: h.port,
      keyPath: h.keyPath,
      fingerprint: h.hostKeyFingerprint,
    }));
    // The generated set: each lab host also answers at COPIES - 1 extra /32 addresses (10.77.0.150 and up).
    const extra = [];
    hosts.forEach((h, i) => {
      for (let k = 1; k < COPIES; k++) {
        const ip = `${lab.network.cidr.split('.').slice(0, 3).join('.')}.${150 + i * (COPIES - 1) + (k - 1)}`;
        extra.push({
          host: h,
          endpoint: {
            name: `${h.name}-${k}`,
            ip,
            baseIp: h.ip,
            port: h.port,
            keyPath: h.keyPath,
            fingerprint: h.hostKeyFingerprint,
          },
        });
      }
    });
    // Interrupted (Ctrl+C, kill): take the extra addresses away before going.
    const onSignal = (signal) => {
      for (const { host, ip } of added)
        spawnSync('ip', ['netns', 'exec', host.namespace, 'ip', 'addr', 'del', `${ip}/32`, 'dev', host.interface], {
          timeout: 5_000,
        });
      for (const { ip } of added) spawnSync('ip', ['neigh', 'flush', 'to', ip], { timeout: 5_000 });
      log(`bench:checks: ${signal}, extra addresses removed`);
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    for (const { host, endpoint } of extra) {
      const r = await lab.exec(host.name, ['ip', 'addr', 'add', `${endpoint.ip}/32`, 'dev', host.interface]);
      if (r.code !== 0) throw new Error(`adding ${endpoint.ip} on ${host.name}: ${r.stderr.trim()}`);
      added.push({ host, ip: endpoint.ip });
      // The bridge may remember an older owner of this address (an earlier run): forget it.
      await run('ip', ['neigh', 'flush', 'to', endpoint.ip]);
    }
    const lines = [`Lifeboat health-check sweeps (${os.cpus().length} CPUs, node ${process.version})`];
    const large = [...base, ...extra.map((e) => e.endpoint)];
    const results = {};
    for (const [key, set] of Object.entries(CHECK_SETS)) {
      results[key] = await benchSet(m, lab, 'The lab', base, dir, set);
      lines.push(results[key].text);
      lines.push(
        (await benchSet(m, lab, `Generated set (${hosts.length} lab hosts x ${COPIES} addresses)`, large, dir, set))
          .text,
      );
    }
    // The issue's goal, judged on the lab with the trivial checks (its reference measurements).
    const { lifeboat, perCheck, perHost } = results.trivial;
    const fastest = Math.min(perCheck.median, perHost.median);
    const under = lifeboat.median < 20;
    const faster = fastest / lifeboat.median >= 5;
    lines.push(
      `\nGoal (the lab, trivial checks): warm sweep under 20 ms: ${under ? 'met' : 'missed'} (${lifeboat.median.toFixed(1)} ms); at least 5x faster than OpenSSH with ControlMaster: ${faster ? 'met' : 'missed'} (${(fastest / lifeboat.median).toFixed(1)}x)`,
    );
    lines.push(
      `The real checks on the lab: ${results.real.lifeboat.median.toFixed(1)} ms warm; the difference is the processes df and pgrep start on each host.`,
    );
    console.log(lines.join('\n'));
    return under && faster ? 0 : 1;
  } finally {
    for (const { host, ip } of added) {
      await lab.exec(host.name, ['ip', 'addr', 'del', `${ip}/32`, 'dev', host.interface]).catch(() => {});
      await run('ip', ['neigh', 'flush', 'to', ip]);
    }
    try {
      if (lab && lab.origin === 'bench' && process.env.LIFEBOAT_LAB_KEEP !== '1' && m.lockWaiters().length === 0)
        await m.stopLab(lab.dir);
    } finally {
      lock.release();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench:checks failed: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
