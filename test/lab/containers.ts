/**
 * The hosts as containers: each boots the shared Debian root through its own overlay with
 * systemd-nspawn, systemd as PID 1, in the host's network namespace. A small supervisor shell per
 * host (tagged, in its own cgroup) runs nspawn and boots the host again when it reboots (nspawn
 * exits 133); a poweroff (exit 0) ends it. Nothing here needs systemd or dbus on this machine.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isLive, listPids, nsId, readPidFile } from './proc';
import { isHostName, netnsName, type HostName } from './topology';
import { Layout, tool, TAGGED_ENV } from './tools';

/** The lab's parent cgroup in each hierarchy systemd uses; one child per host. */
export const CGROUP_NAME = 'lifeboat-lab';

/** The cgroup hierarchies the containers' systemd uses: name=systemd and unified (hybrid), or the v2 root. */
export function cgroupRoots(): string[] {
  const hybrid = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'].filter((d) =>
    fs.existsSync(path.join(d, 'cgroup.procs')),
  );
  if (hybrid.length) return hybrid;
  return fs.existsSync('/sys/fs/cgroup/cgroup.controllers') ? ['/sys/fs/cgroup'] : [];
}

/** Every lab cgroup directory (in every hierarchy, including controllers nspawn may have touched). */
export function labCgroupDirs(): string[] {
  const dirs: string[] = [];
  let hierarchies: string[] = [];
  try {
    hierarchies = fs.readdirSync('/sys/fs/cgroup').map((h) => path.join('/sys/fs/cgroup', h));
  } catch {
    return [];
  }
  for (const h of [...hierarchies, '/sys/fs/cgroup']) {
    const d = path.join(h, CGROUP_NAME);
    if (fs.existsSync(d)) dirs.push(d);
  }
  return dirs;
}

/**
 * Run in the root namespace, detached: $1 host, $2 root fs, $3 netns path, $4 nspawn, $5 the lab's
 * keys directory (read-only inside the host at the same path), $6.. cgroup dirs.
 * Moves itself into the host's cgroups first, so each container gets its own parent cgroup (else
 * every container would share one "payload" cgroup), then boots the host until it powers off.
 */
const SUPERVISOR_SH = `set -u
host=$1 rootfs=$2 netns=$3 nspawn=$4 keys=$5
shift 5
for cg in "$@"; do echo $$ > "$cg/cgroup.procs"; done
boots=0
while [ "$boots" -lt 100 ]; do
  boots=$((boots + 1))
  "$nspawn" --quiet --register=no --keep-unit --boot --directory="$rootfs" --machine="$host" \\
    --network-namespace-path="$netns" --capability=CAP_NET_ADMIN --console=pipe \\
    --link-journal=no --resolv-conf=off --timezone=off --bind-ro="$keys" </dev/null
  rc=$?
  echo "lab: $host: systemd-nspawn exited $rc (boot $boots)"
  [ "$rc" -eq 133 ] || exit "$rc"
done
`;

export function supervisorPidFile(L: Layout, host: HostName): string {
  return path.join(L.hostDir(host), 'supervisor.pid');
}

export function consoleLog(L: Layout, host: HostName): string {
  return path.join(L.hostDir(host), 'console.log');
}

/** Boot a host (its overlay must be mounted). Returns at once; see waitForHost in bring-up. */
export function bootHost(L: Layout, host: HostName): number {
  const cgroups = cgroupRoots().map((r) => path.join(r, CGROUP_NAME, host));
  for (const cg of cgroups) fs.mkdirSync(cg, { recursive: true });
  const fd = fs.openSync(consoleLog(L, host), 'a', 0o644);
  try {
    const child = spawn(
      tool('sh'),
      [
        '-c',
        SUPERVISOR_SH,
        'lab-supervisor',
        host,
        L.rootfs(host),
        `/run/netns/${netnsName(host)}`,
        tool('systemd-nspawn'),
        L.keysDir,
        ...cgroups,
      ],
      { cwd: '/', env: { ...TAGGED_ENV }, stdio: ['ignore', fd, fd], detached: true },
    );
    child.on('error', () => {});
    child.unref();
    if (!child.pid) throw new Error(`${host}: could not start its supervisor`);
    fs.writeFileSync(supervisorPidFile(L, host), `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

/** The "NSpid:" line of a process: its pid in each pid namespace, outermost first. */
export function nsPids(pid: number): number[] {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('NSpid:'));
    return line ? line.slice(6).trim().split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

const leaders = new Map<HostName, number>();

/** The container's PID 1 (as this machine sees it), or null when the host is not running. */
export function findLeader(host: HostName): number | null {
  if (!isHostName(host)) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  const want = nsId(`/run/netns/${netnsName(host)}`);
  if (!want) return null;
  const isLeader = (pid: number) => {
    const ids = nsPids(pid);
    return ids.length >= 2 && ids[ids.length - 1] === 1 && isLive(pid) && nsId(`/proc/${pid}/ns/net`) === want;
  };
  const known = leaders.get(host);
  if (known && isLeader(known)) return known;
  leaders.delete(host);
  for (const pid of listPids()) {
    if (isLeader(pid)) {
      leaders.set(host, pid);
      return pid;
    }
  }
  return null;
}

export function leaderPid(host: HostName): number {
  const pid = findLeader(host);
  if (pid === null)
    throw new Error(
      `lab host ${host} is not running (no container in ${netnsName(host)}; is the lab up, or is the host powered off?)`,
    );
  return pid;
}

/** This machine's pid of a process the host knows as `innerPid` (e.g. from /run/sshd.pid). */
export function outerPid(host: HostName, innerPid: number): number | null {
  const leader = leaderPid(host);
  const want = nsId(`/proc/${leader}/ns/pid`);
  for (const pid of listPids()) {
    const ids = nsPids(pid);
    if (ids.length >= 2 && ids[ids.length - 1] === innerPid && nsId(`/proc/${pid}/ns/pid`) === want) return pid;
  }
  return null;
}

/** Read a file inside a running host (through its PID 1's root), or null. */
export function readInHost(host: HostName, file: string): string | null {
  try {
    return fs.readFileSync(`/proc/${leaderPid(host)}/root${file}`, 'utf8');
  } catch {
    return null;
  }
}

/** The names in a directory inside a running host (through its PID 1's root); none when it is absent. */
export function listInHost(host: HostName, dir: string): string[] {
  try {
    return fs.readdirSync(`/proc/${leaderPid(host)}/root${dir}`);
  } catch {
    return [];
  }
}

export function supervisorPid(L: Layout, host: HostName): number | null {
  const pid = readPidFile(supervisorPidFile(L, host));
  return pid && isLive(pid) ? pid : null;
}
