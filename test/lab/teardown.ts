/** Tearing the lab down: processes, namespaces, veths, bridge and its directory. */
import fs from 'node:fs';
import path from 'node:path';
import { acquireLabLock, type LabLock } from './lock';
import { cmdline, environHas, isLive, killPids, listPids, nsId, pidsInNetns, readPidFile, run, sleep } from './proc';
import { BRIDGE, HOST_NAMES, netnsName, vethName, type HostName } from './topology';
import { Layout, MARKER, PROCESS_TAG, layout, resolveDir, tool } from './tools';
import { StopLabOptions } from './types';
/**
 * Kill every process the lab made (by namespace, by pid file, and by the tag in their
 * environment), delete every namespace, veth and the bridge, and remove the lab directory.
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

/** Pids of live processes that belong to the lab (in a lab namespace, or carrying the lab tag). */
export function labProcesses(): number[] {
  const pids = new Set<number>();
  for (const h of HOST_NAMES) for (const pid of pidsInNetns(`/run/netns/${netnsName(h)}`)) pids.add(pid);
  for (const pid of listPids()) if (pid !== process.pid && isLive(pid) && environHas(pid, PROCESS_TAG)) pids.add(pid);
  return [...pids].sort((a, b) => a - b);
}

export function belongsToLab(pid: number, host: HostName): boolean {
  const want = nsId(`/run/netns/${netnsName(host)}`);
  return (want !== null && nsId(`/proc/${pid}/ns/net`) === want) || environHas(pid, PROCESS_TAG);
}

export async function teardown(L: Layout, log: (l: string) => void): Promise<void> {
  const problems: string[] = [];
  // PostgreSQL first, with an immediate shutdown (SIGQUIT), so it removes its shared memory.
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
  for (const h of HOST_NAMES) {
    for (const f of ['anchor.pid', 'sshd.pid', 'httpd.pid']) {
      const pid = readPidFile(path.join(L.hostDir(h), f));
      if (pid && isLive(pid) && belongsToLab(pid, h)) pids.add(pid);
    }
  }
  if (pids.size) log(`stopping ${pids.size} lab processes`);
  const left = await killPids(pids);
  if (left.length) problems.push(`processes still alive: ${left.map((p) => `${p} (${cmdline(p)})`).join(', ')}`);

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

export function removeLabDir(L: Layout, problems: string[]): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(L.dir);
  } catch {
    return; // nothing there
  }
  if (entries.length && !entries.includes(MARKER)) {
    problems.push(`${L.dir} is not a lab directory (no ${MARKER}); left it alone`);
    return;
  }
  // The host bind mounts lived only in the hosts' private mount namespaces, which are gone with their processes.
  try {
    fs.rmSync(L.dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (error) {
    problems.push(`removing ${L.dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
