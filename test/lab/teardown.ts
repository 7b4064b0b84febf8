/**
 * Tearing the lab down: containers, processes, mounts, cgroups, namespaces, veths, bridge and its
 * directory. Also cleans what the earlier lab of plain namespaces left (anchors, sshd, postgres
 * tagged LIFEBOAT_LAB_PROCESS), so a machine that ran either lab ends up clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findLeader, labCgroupDirs, supervisorPid } from './containers';
import { acquireLabLock, type LabLock } from './lock';
import { cmdline, environHas, isLive, killPids, listPids, nsId, pidsInNetns, readPidFile, run, sleep } from './proc';
import { BRIDGE, HOST_NAMES, netnsName, vethName, type HostName } from './topology';
import { Layout, MARKER, PROCESS_TAG, layout, resolveDir, tool } from './tools';
import { StopLabOptions } from './types';
/**
 * Kill every container and process the lab made (by namespace, by pid file, and by the tag in
 * their environment), unmount the hosts' roots, remove the lab's cgroups, delete every namespace,
 * veth and the bridge, and remove the lab directory.
 * Needs no in-memory state, so it also cleans up after a crash. Idempotent.
 */
export async function stopLab(dir?: string, opts: StopLabOptions = {}): Promise<void> {
  const L = layout(resolveDir(dir));
  let lock: LabLock | undefined;
  if (!opts.force) lock = await acquireLabLock({ purpose: 'stopLab', timeoutMs: opts.lockTimeoutMs ?? 240_000 });
  try {
    await teardown(L, opts.log ?? (() => {}));
  } finally {
    lock?.release();
  }
}

/** Pids of live processes that belong to the lab (in a lab namespace or cgroup, or carrying the lab tag). */
export function labProcesses(): number[] {
  const pids = new Set<number>();
  for (const h of HOST_NAMES) for (const pid of pidsInNetns(`/run/netns/${netnsName(h)}`)) pids.add(pid);
  for (const pid of listPids()) if (pid !== process.pid && isLive(pid) && environHas(pid, PROCESS_TAG)) pids.add(pid);
  for (const pid of cgroupTree().flatMap(cgroupPids)) if (isLive(pid)) pids.add(pid);
  return [...pids].sort((a, b) => a - b);
}

export function belongsToLab(pid: number, host: HostName): boolean {
  const want = nsId(`/run/netns/${netnsName(host)}`);
  return (want !== null && nsId(`/proc/${pid}/ns/net`) === want) || environHas(pid, PROCESS_TAG);
}

/** Mounts under the lab directory (the hosts' overlays), deepest first. */
export function labMounts(dir: string): string[] {
  let text = '';
  try {
    text = fs.readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return [];
  }
  const points = text
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((p) => p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** The lab's cgroup directories, children before parents. */
function cgroupTree(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
    out.push(d);
  };
  for (const d of labCgroupDirs()) walk(d);
  return out;
}

function cgroupPids(d: string): number[] {
  try {
    return fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Stop the containers at once: supervisors first (no reboot), then each container's PID 1 (the kernel ends its whole pid namespace). */
async function killContainers(L: Layout): Promise<void> {
  const supervisors = HOST_NAMES.map((h) => supervisorPid(L, h)).filter(
    (p): p is number => p !== null && environHas(p, PROCESS_TAG),
  );
  for (const pid of supervisors) process.kill(pid, 'SIGKILL');
  const leaders = HOST_NAMES.map((h) => findLeader(h)).filter((p): p is number => p !== null);
  for (const pid of leaders) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const inCgroups = () => cgroupTree().flatMap(cgroupPids);
  for (let i = 0; i < 100 && (leaders.some(isLive) || inCgroups().some(isLive)); i++) {
    if (i === 20) for (const pid of inCgroups()) if (pid !== process.pid) process.kill(pid, 'SIGKILL');
    await sleep(50);
  }
}

export async function teardown(L: Layout, log: (l: string) => void): Promise<void> {
  const problems: string[] = [];
  await killContainers(L);
  // The earlier lab's PostgreSQL first, with an immediate shutdown (SIGQUIT), so it removes its shared memory.
  const postmasters: number[] = [];
  for (const h of ['db-a', 'db-b'] as const) {
    const pid = readPidFile(path.join(L.hostDir(h), 'srv', 'pgdata', 'postmaster.pid'));
    if (pid && isLive(pid) && belongsToLab(pid, h)) {
      postmasters.push(pid);
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        /* gone */
      }
    }
  }
  for (let i = 0; i < 100 && postmasters.some(isLive); i++) await sleep(50);

  const pids = new Set(labProcesses());
  for (const pid of cgroupTree().flatMap(cgroupPids)) pids.add(pid);
  for (const h of HOST_NAMES) {
    for (const f of ['anchor.pid', 'sshd.pid', 'httpd.pid']) {
      const pid = readPidFile(path.join(L.hostDir(h), f));
      if (pid && isLive(pid) && belongsToLab(pid, h)) pids.add(pid);
    }
  }
  if (pids.size) log(`stopping ${pids.size} lab processes`);
  const left = await killPids(pids);
  if (left.length) problems.push(`processes still alive: ${left.map((p) => `${p} (${cmdline(p)})`).join(', ')}`);

  for (const point of labMounts(L.dir)) {
    const r = await run(tool('umount'), [point], { timeoutMs: 10_000 });
    if (r.code !== 0) {
      const lazy = await run(tool('umount'), ['--lazy', point], { timeoutMs: 10_000 });
      if (lazy.code !== 0) problems.push(`umount ${point}: ${(r.stderr || lazy.stderr).trim()}`);
    }
  }
  for (const d of cgroupTree()) {
    try {
      fs.rmdirSync(d);
    } catch (error) {
      problems.push(`removing cgroup ${d}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const ipTool = tool('ip');
  const links = await run(ipTool, ['-o', 'link', 'show'], { timeoutMs: 5_000 });
  const present = new Set([...links.stdout.matchAll(/^\d+: ([^:@\s]+)[@:]/gm)].map((m) => m[1]));
  for (const h of HOST_NAMES) {
    if (present.has(vethName(h))) {
      const r = await run(ipTool, ['link', 'del', vethName(h)], { timeoutMs: 10_000 });
      if (r.code !== 0) problems.push(`ip link del ${vethName(h)}: ${r.stderr.trim()}`);
    }
  }
  let namespaces: string[] = [];
  try {
    namespaces = fs.readdirSync('/run/netns');
  } catch {
    /* none */
  }
  for (const h of HOST_NAMES) {
    if (namespaces.includes(netnsName(h))) {
      const r = await run(ipTool, ['netns', 'del', netnsName(h)], { timeoutMs: 10_000 });
      if (r.code !== 0) problems.push(`ip netns del ${netnsName(h)}: ${r.stderr.trim()}`);
    }
  }
  if (present.has(BRIDGE)) {
    const r = await run(ipTool, ['link', 'del', BRIDGE], { timeoutMs: 10_000 });
    if (r.code !== 0) problems.push(`ip link del ${BRIDGE}: ${r.stderr.trim()}`);
  }
  removeLabDir(L, problems);
  if (problems.length) throw new Error(`lab tear-down incomplete: ${problems.join('; ')}`);
}

/** What a lab directory may hold (an earlier lab's tear-down may have removed the marker and left the rest). */
const LAB_ENTRIES = [
  'lab.json',
  'hosts',
  'keys',
  'known_hosts',
  'authorized_keys',
  'etc-hosts',
  'httpd.py',
  'workspace.db',
  'workspace.db-wal',
  'workspace.db-shm',
];

function onlyLabEntries(L: Layout, entries: string[]): boolean {
  if (!entries.every((e) => LAB_ENTRIES.includes(e) || e.startsWith('lab.json.tmp-'))) return false;
  try {
    return fs.readdirSync(path.join(L.dir, 'hosts')).every((h) => (HOST_NAMES as readonly string[]).includes(h));
  } catch {
    return true; // no hosts directory
  }
}

export function removeLabDir(L: Layout, problems: string[]): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(L.dir);
  } catch {
    return; // nothing there
  }
  if (entries.length && !entries.includes(MARKER) && !onlyLabEntries(L, entries)) {
    problems.push(
      `${L.dir} is not a lab directory (no ${MARKER}, and it holds more than a lab's files); left it alone`,
    );
    return;
  }
  if (labMounts(L.dir).length) {
    problems.push(`${L.dir} still has mounts; left it alone`);
    return;
  }
  try {
    fs.rmSync(L.dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    problems.push(`removing ${L.dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
