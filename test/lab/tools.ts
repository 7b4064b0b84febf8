/** Paths, tools and small helpers of the lab: where it lives, what it needs, whether it can run here. */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { run, runOk, HOST_ENV } from './proc';
import { cachedRoot, rootDir } from './root';
import { BRIDGE, HOSTS, isLabAddress, labIp, PG, type HostName } from './topology';
/** Environment entry carried by every long-running process the lab starts. */
export const PROCESS_TAG_NAME = 'LIFEBOAT_LAB_PROCESS';
export const PROCESS_TAG = `${PROCESS_TAG_NAME}=1`;
/** The environment of everything the lab starts, so tear-down finds it even after a crash mid-bring-up. */
export const TAGGED_ENV: Readonly<Record<string, string>> = { ...HOST_ENV, [PROCESS_TAG_NAME]: '1' };
export const MARKER = '.lifeboat-lab';
export const SAFE_DIR = /^\/[A-Za-z0-9._/-]+$/;

export function defaultLabDir(): string {
  return path.resolve(process.env.LIFEBOAT_LAB_DIR || '/tmp/lifeboat-lab');
}

export function resolveDir(dir?: string): string {
  const resolved = path.resolve(dir ?? defaultLabDir());
  if (
    !SAFE_DIR.test(resolved) ||
    resolved.split('/').filter(Boolean).length < 2 ||
    resolved.includes('/../') ||
    resolved.endsWith('/..')
  ) {
    throw new Error(
      `lab directory must be an absolute path of at least two components made of [A-Za-z0-9._/-]: ${JSON.stringify(resolved)}`,
    );
  }
  return resolved;
}

export interface Layout {
  dir: string;
  labJson: string;
  marker: string;
  keysDir: string;
  keyPath: string;
  knownHosts: string;
  authorizedKeys: string;
  etcHosts: string;
  hostDir(host: string): string;
  /** The host's own layer over the shared read-only root (hostname, keys, units, its data). */
  upperDir(host: string): string;
  workDir(host: string): string;
  /** Where the host's overlay is mounted: the container's root. */
  rootfs(host: string): string;
}

export function layout(dir: string): Layout {
  return {
    dir,
    labJson: path.join(dir, 'lab.json'),
    marker: path.join(dir, MARKER),
    keysDir: path.join(dir, 'keys'),
    keyPath: path.join(dir, 'keys', 'id_ed25519'),
    // Next to the key: both are visible inside every host at the same path (hosts copy files with rsync over SSH).
    knownHosts: path.join(dir, 'keys', 'known_hosts'),
    authorizedKeys: path.join(dir, 'authorized_keys'),
    etcHosts: path.join(dir, 'etc-hosts'),
    hostDir: (host: string) => path.join(dir, 'hosts', host),
    upperDir: (host: string) => path.join(dir, 'hosts', host, 'upper'),
    workDir: (host: string) => path.join(dir, 'hosts', host, 'work'),
    rootfs: (host: string) => path.join(dir, 'hosts', host, 'rootfs'),
  };
}

export const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function findTool(name: string): string | null {
  for (const d of SEARCH_DIRS) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

export const TOOL_NAMES = [
  'ip',
  'ssh',
  'ssh-keygen',
  'nsenter',
  'unshare',
  'flock',
  'python3',
  'mount',
  'umount',
  'sh',
  'systemd-nspawn',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export function tool(name: ToolName): string {
  const found = name === 'python3' ? (findTool('python3') ?? null) : findTool(name);
  if (!found) throw new Error(`lab: ${name} not found in ${SEARCH_DIRS.join(':')}`);
  return found;
}

/** PostgreSQL's bin directory inside the lab hosts (Debian: not on PATH). */
export function pgBinDir(): string {
  return PG.binDir;
}

export function osUser(name: string): { uid: number; gid: number } | null {
  try {
    for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
    }
  } catch {
    /* none */
  }
  return null;
}

/** Whether the lab can run here: Linux, root, the tools, overlayfs, a built root or the means to build it. */
export function labAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the lab needs Linux (this is ${process.platform})` };
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) return { ok: false, reason: `the lab needs root (running as uid ${uid})` };
  const missing = TOOL_NAMES.filter((t) => !findTool(t));
  if (missing.length) {
    return {
      ok: false,
      reason: `the lab needs ${missing.join(', ')} (Debian: iproute2, openssh-client, util-linux, python3, systemd-container)`,
    };
  }
  if (!cachedRoot() && !findTool('debootstrap'))
    return { ok: false, reason: `the lab root is not built (${rootDir()}) and debootstrap is missing to build it` };
  let filesystems = '';
  try {
    filesystems = fs.readFileSync('/proc/filesystems', 'utf8');
  } catch {
    /* unknown */
  }
  if (!/\boverlay\b/.test(filesystems)) return { ok: false, reason: 'the lab needs overlayfs (modprobe overlay)' };
  for (const hierarchy of ['systemd', 'unified']) {
    if (!fs.existsSync(`/sys/fs/cgroup/${hierarchy}`) && !fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) {
      return {
        ok: false,
        reason: `the lab needs the ${hierarchy} cgroup hierarchy (/sys/fs/cgroup/${hierarchy}) or a unified cgroup v2 mount`,
      };
    }
  }
  const probe = spawnSync(
    findTool('unshare') as string,
    ['--net', '--mount', '--uts', '--', findTool('sh') as string, '-c', 'exit 0'],
    { timeout: 5_000, stdio: 'pipe' },
  );
  if (probe.status !== 0) {
    const why = probe.error ? String(probe.error) : probe.stderr?.toString().trim() || `exit ${probe.status}`;
    return { ok: false, reason: `cannot create network/mount namespaces here: ${why}` };
  }
  return { ok: true };
}

export function fingerprint(pubKeyLine: string): string {
  const blob = pubKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not a public key line: ${pubKeyLine}`);
  return `SHA256:${crypto.createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export function writeAtomic(file: string, content: string, mode = 0o644): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

export function tail(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export const PG_PRIMARY: HostName = 'db-a';

export function hostIp(host: HostName): string {
  const spec = HOSTS.find((h) => h.name === host);
  if (!spec) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  return labIp(spec.n);
}

export const ip = (args: string[], timeoutMs = 10_000) => runOk(tool('ip'), args, { timeoutMs });

/**
 * True only when the root namespace routes `address` through lbbr0. Every connection this module
 * makes from the root namespace checks this first, so a stopped lab never sends a packet elsewhere.
 */
export async function routesViaBridge(address: string): Promise<boolean> {
  if (!isLabAddress(address)) return false;
  const r = await run(tool('ip'), ['-4', '-o', 'route', 'get', address], { timeoutMs: 5_000 });
  return r.code === 0 && new RegExp(`\\bdev ${BRIDGE}\\b`).test(r.stdout);
}

/** Read an SSH banner from address:port (root namespace), bounded. */
export function readBanner(address: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let data = '';
    const done = (value: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const nl = data.indexOf('\n');
      if (nl >= 0) done(data.slice(0, nl).trim());
      else if (data.length > 1024) done(null);
    });
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
  });
}

/** One HTTP GET from the root namespace (for readiness and health), bounded. */
export function httpGetRoot(
  address: string,
  port: number,
  timeoutMs: number,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let data = '';
    const done = (value: { status: number; body: string } | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('connect', () => socket.write(`GET / HTTP/1.0\r\nHost: ${address}\r\n\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.length > 65536) done(null);
    });
    socket.on('error', () => done(null));
    socket.on('end', () => {
      const m = /^HTTP\/\d\.\d (\d{3})[^\n]*\n/.exec(data);
      const sep = data.indexOf('\r\n\r\n');
      done(m ? { status: Number(m[1]), body: sep >= 0 ? data.slice(sep + 4) : '' } : null);
    });
  });
}
