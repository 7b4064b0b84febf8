/**
 * The lab: the example company as real hosts on this machine (DESIGN.md, "The lab").
 *
 * One bridge `lbbr0` (10.77.0.254/24) in the root namespace; one network namespace `lb-<host>` per
 * server, joined to the bridge by a veth whose inner end is `eth0`. In each namespace a launcher
 * makes a private mount and UTS namespace (hostname = server name, private /srv, private
 * /run/postgresql, the lab's /etc/hosts), starts that host's own sshd, then stays as the host's
 * "anchor" (`sleep infinity`), so `exec()` can enter the host even after a test kills its sshd.
 * web-a/web-b answer HTTP on port 80 with their name; db-a is a PostgreSQL 15 primary and db-b a
 * hot standby streaming from it; files-a has a few files in /srv/files.
 *
 * No traffic leaves the machine: the namespaces have no default route, and nothing here connects to
 * a lab address from the root namespace unless the route to it goes through lbbr0.
 *
 * Imports only node: modules (and this directory), so it bundles into dist/lab.cjs.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { acquireLabLock, type LabLock } from './lock';
import {
  cmdline,
  environHas,
  HOST_ENV,
  isLive,
  killPids,
  listPids,
  nsId,
  pidsInNetns,
  readPidFile,
  run,
  runOk,
  sleep,
  waitFor,
  type RunResult,
} from './proc';
import {
  BRIDGE,
  BRIDGE_IP,
  GROUPS,
  HOST_IFACE,
  HOST_NAMES,
  HOSTS,
  isHostName,
  isLabAddress,
  LAB_CIDR,
  LAB_NET,
  LAB_PREFIX,
  labIp,
  netnsName,
  PG,
  SEED_FILES,
  vethName,
  type GroupName,
  type HostName,
  type HostRole,
} from './topology';

export * from './topology';
export { acquireLabLock, labLockPath, lockWaiters, holdsLabLock, type LabLock } from './lock';
export type { RunResult } from './proc';

// ---------------------------------------------------------------------------------------------
// Types

export interface LabHost {
  name: HostName;
  ip: string;
  /** SSH port (always 22). `sshPort` is the same value, as written in lab.json. */
  port: number;
  sshPort: number;
  user: 'root';
  keyPath: string;
  /** "SHA256:..." as `ssh-keygen -l -E sha256` prints it. */
  hostKeyFingerprint: string;
  /** The host's public key line, "ssh-ed25519 AAAA...". */
  hostKey: string;
  namespace: string;
  interface: string;
  group: GroupName | 'pbx' | null;
  role: HostRole;
  /** This host's sshd: restart it after a test killed it with `exec(host, [sshdPath, '-f', sshdConfig])`. */
  sshdConfig: string;
  sshdPidFile: string;
}

export interface LabGroup {
  name: GroupName;
  vip: string;
  prefix: number;
  interface: string;
  primary: HostName;
  standby: HostName;
  members: HostName[];
}

export interface LabPostgres {
  bin: string;
  port: number;
  dataDir: string;
  logFile: string;
  osUser: string;
  superuser: string;
  replicationUser: string;
  database: string;
  primary: HostName;
  standby: HostName;
}

/** The content of lab.json. */
export interface LabInfo {
  version: 1;
  state: 'up';
  dir: string;
  labJsonPath: string;
  createdAt: string;
  /** Who started it: "cli", "test", "api". */
  origin: string;
  startupMs: number;
  network: { cidr: string; bridge: string; bridgeIp: string };
  user: 'root';
  keyPath: string;
  knownHostsPath: string;
  hosts: Record<HostName, LabHost>;
  vips: Record<GroupName, string>;
  groups: Record<GroupName, LabGroup>;
  postgres: LabPostgres;
}

export type ExecResult = RunResult;

export interface ExecOptions {
  input?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Extra environment variables (the base is a clean root environment, like an SSH session's). */
  env?: Record<string, string>;
}

export interface ProbeResult {
  /** True for an HTTP answer with status 200. */
  ok: boolean;
  /** HTTP status, or 0 when there was no HTTP answer. */
  status: number;
  body: string;
  /** The body trimmed: for the web hosts, the name of the host that answered. */
  host: string;
  error: string | null;
}

export interface LabHealth {
  ok: boolean;
  problems: string[];
}

export interface Lab extends Readonly<LabInfo> {
  /** True when startLab() found a healthy lab and returned it instead of starting a new one. */
  readonly reused: boolean;
  /** Run a command on a host, from outside: enters the host's network, mount and UTS namespaces (no SSH). */
  exec(host: HostName, cmd: string | readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Run a shell script on a host over real SSH (system ssh, pinned host key, lab key), script on stdin. */
  ssh(host: HostName, script: string, opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Arguments for /usr/bin/ssh up to and including the destination, with strict host-key checking. */
  sshArgs(host: HostName): string[];
  /** Run SQL with psql as the postgres superuser on a db host (SQL on stdin, unaligned tuples-only output). */
  psql(host: HostName, sql: string, opts?: { database?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** HTTP GET from inside the client namespace. Only lab addresses are accepted. Never rejects on network errors. */
  probe(url: string, opts?: { timeoutMs?: number }): Promise<ProbeResult>;
  health(): Promise<LabHealth>;
  stop(): Promise<void>;
}

export interface StartLabOptions {
  /** Lab directory; default $LIFEBOAT_LAB_DIR or /tmp/lifeboat-lab. */
  dir?: string;
  /** Return the running lab when lab.json exists and the lab is healthy and pristine. Default false. */
  reuse?: boolean;
  /** Recorded in lab.json. Default "api". */
  origin?: string;
  /** Bound on the bring-up itself (not the wait for the lock). Default 90 s. */
  timeoutMs?: number;
  /** Bound on the wait for the lab lock. Default 240 s. */
  lockTimeoutMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Leave the pieces in place when bring-up fails (for debugging). Default false. */
  keepOnFailure?: boolean;
}

export interface StopLabOptions {
  log?: (line: string) => void;
  /** Do not take the lab lock (for a stuck lock holder). Default false. */
  force?: boolean;
  lockTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Paths and tools

/** Environment entry carried by every long-running process the lab starts. */
const PROCESS_TAG_NAME = 'LIFEBOAT_LAB_PROCESS';
const PROCESS_TAG = `${PROCESS_TAG_NAME}=1`;
/** The environment of everything the lab starts, so tear-down finds it even after a crash mid-bring-up. */
const TAGGED_ENV: Readonly<Record<string, string>> = { ...HOST_ENV, [PROCESS_TAG_NAME]: '1' };
const MARKER = '.lifeboat-lab';
const SAFE_DIR = /^\/[A-Za-z0-9._/-]+$/;

export function defaultLabDir(): string {
  return path.resolve(process.env.LIFEBOAT_LAB_DIR || '/tmp/lifeboat-lab');
}

function resolveDir(dir?: string): string {
  const resolved = path.resolve(dir ?? defaultLabDir());
  if (!SAFE_DIR.test(resolved) || resolved.split('/').filter(Boolean).length < 2 || resolved.includes('/../') || resolved.endsWith('/..')) {
    throw new Error(`lab directory must be an absolute path of at least two components made of [A-Za-z0-9._/-]: ${JSON.stringify(resolved)}`);
  }
  return resolved;
}

interface Layout {
  dir: string;
  labJson: string;
  marker: string;
  keysDir: string;
  keyPath: string;
  knownHosts: string;
  authorizedKeys: string;
  etcHosts: string;
  httpdPy: string;
  hostDir(host: string): string;
}

function layout(dir: string): Layout {
  return {
    dir,
    labJson: path.join(dir, 'lab.json'),
    marker: path.join(dir, MARKER),
    keysDir: path.join(dir, 'keys'),
    keyPath: path.join(dir, 'keys', 'id_ed25519'),
    knownHosts: path.join(dir, 'known_hosts'),
    authorizedKeys: path.join(dir, 'authorized_keys'),
    etcHosts: path.join(dir, 'etc-hosts'),
    httpdPy: path.join(dir, 'httpd.py'),
    hostDir: (host: string) => path.join(dir, 'hosts', host),
  };
}

const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function findTool(name: string): string | null {
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

const TOOL_NAMES = ['ip', 'sshd', 'ssh', 'ssh-keygen', 'nsenter', 'unshare', 'runuser', 'flock', 'arping', 'python3', 'mount', 'hostname', 'sleep', 'sh'] as const;
type ToolName = (typeof TOOL_NAMES)[number];

function tool(name: ToolName): string {
  const found = name === 'python3' ? (findTool('python3') ?? null) : findTool(name);
  if (!found) throw new Error(`lab: ${name} not found in ${SEARCH_DIRS.join(':')}`);
  return found;
}

const PG_TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'psql', 'postgres'];

/** The PostgreSQL bin directory: $LIFEBOAT_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export function pgBinDir(): string | null {
  if (process.env.LIFEBOAT_PG_BIN) return process.env.LIFEBOAT_PG_BIN;
  let versions: string[] = [];
  try {
    versions = fs.readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = `/usr/lib/postgresql/${v}/bin`;
    if (fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

function osUser(name: string): { uid: number; gid: number } | null {
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

/** Whether the lab can run here: Linux, root, the tools, PostgreSQL, and the right to make namespaces. */
export function labAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the lab needs Linux (this is ${process.platform})` };
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) return { ok: false, reason: `the lab needs root (running as uid ${uid})` };
  const missing = TOOL_NAMES.filter((t) => !findTool(t));
  if (missing.length) {
    return { ok: false, reason: `the lab needs ${missing.join(', ')} (Debian: iproute2, openssh-server, openssh-client, util-linux, iputils-arping, python3)` };
  }
  const bin = pgBinDir();
  if (!bin) return { ok: false, reason: 'the lab needs PostgreSQL binaries in /usr/lib/postgresql/<version>/bin (or set LIFEBOAT_PG_BIN)' };
  const pgMissing = PG_TOOLS.filter((t) => !fs.existsSync(path.join(bin, t)));
  if (pgMissing.length) return { ok: false, reason: `the lab needs ${pgMissing.join(', ')} in ${bin}` };
  if (!osUser(PG.osUser)) return { ok: false, reason: `the lab needs an OS user "${PG.osUser}"` };
  const probe = spawnSync(findTool('unshare') as string, ['--net', '--mount', '--uts', '--', findTool('sh') as string, '-c', 'exit 0'], { timeout: 5_000, stdio: 'pipe' });
  if (probe.status !== 0) {
    const why = probe.error ? String(probe.error) : (probe.stderr?.toString().trim() || `exit ${probe.status}`);
    return { ok: false, reason: `cannot create network/mount namespaces here: ${why}` };
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function fingerprint(pubKeyLine: string): string {
  const blob = pubKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not a public key line: ${pubKeyLine}`);
  return `SHA256:${crypto.createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

function writeAtomic(file: string, content: string, mode = 0o644): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode });
  fs.renameSync(tmp, file);
}

function tail(file: string, lines = 15): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const PG_PRIMARY: HostName = 'db-a';

function hostIp(host: HostName): string {
  const spec = HOSTS.find((h) => h.name === host);
  if (!spec) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  return labIp(spec.n);
}

const ip = (args: string[], timeoutMs = 10_000) => runOk(tool('ip'), args, { timeoutMs });

/**
 * True only when the root namespace routes `address` through lbbr0. Every connection this module
 * makes from the root namespace checks this first, so a stopped lab never sends a packet elsewhere.
 */
async function routesViaBridge(address: string): Promise<boolean> {
  if (!isLabAddress(address)) return false;
  const r = await run(tool('ip'), ['-4', '-o', 'route', 'get', address], { timeoutMs: 5_000 });
  return r.code === 0 && new RegExp(`\\bdev ${BRIDGE}\\b`).test(r.stdout);
}

/** Read an SSH banner from address:port (root namespace), bounded. */
function readBanner(address: string, port: number, timeoutMs: number): Promise<string | null> {
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
function httpGetRoot(address: string, port: number, timeoutMs: number): Promise<{ status: number; body: string } | null> {
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

// ---------------------------------------------------------------------------------------------
// Files the lab writes

function sshdConfig(L: Layout, host: HostName): string {
  const hd = L.hostDir(host);
  return [
    `# Lifeboat lab: sshd for ${host} (${hostIp(host)})`,
    'Port 22',
    'AddressFamily inet',
    'ListenAddress 0.0.0.0',
    `HostKey ${hd}/ssh_host_ed25519_key`,
    `PidFile ${hd}/sshd.pid`,
    `AuthorizedKeysFile ${L.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The lab directory lives under /tmp (world-writable), which StrictModes would reject.
    'StrictModes no',
    'UseDNS no',
    'LogLevel ERROR',
    'MaxSessions 50',
    'MaxStartups 100',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowAgentForwarding no',
    'AllowTcpForwarding yes',
    'PermitUserEnvironment no',
    'ClientAliveInterval 15',
    'ClientAliveCountMax 4',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

function etcHosts(): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${BRIDGE_IP}\tlab-root`];
  for (const h of HOSTS) lines.push(`${labIp(h.n)}\t${h.name}`);
  for (const g of GROUPS) lines.push(`${labIp(g.vip)}\t${g.name}-vip`);
  return lines.join('\n') + '\n';
}

const HTTPD_PY = `# Lifeboat lab: answers every GET with 200 and this host's name.
import http.server, os, sys
name, pidfile = sys.argv[1], sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    server_version = 'lifeboat-lab'
    sys_version = ''
    def _answer(self, head_only):
        body = (name + '\\n').encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Lab-Host', name)
        self.send_header('Connection', 'close')
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
    def do_GET(self):
        self._answer(False)
    def do_HEAD(self):
        self._answer(True)
    def log_message(self, *args):
        pass
class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True
server = Server(('0.0.0.0', 80), Handler)
with open(pidfile + '.tmp', 'w') as f:
    f.write('%d\\n' % os.getpid())
os.replace(pidfile + '.tmp', pidfile)
server.serve_forever()
`;

const PROBE_PY = `import json, sys, urllib.error, urllib.request
url, timeout = sys.argv[1], float(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
def out(status, body, error):
    print(json.dumps({'status': status, 'body': body, 'error': error}))
try:
    with opener.open(urllib.request.Request(url, headers={'Connection': 'close'}), timeout=timeout) as r:
        out(r.status, r.read(65536).decode('utf-8', 'replace'), None)
except urllib.error.HTTPError as e:
    out(e.code, e.read(65536).decode('utf-8', 'replace'), None)
except Exception as e:
    out(0, '', type(e).__name__ + ': ' + str(e))
`;

/**
 * Runs in the host's network namespace under `unshare --mount --uts --propagation private`:
 * $1 host name, $2 host dir, $3 lab /etc/hosts, $4 sshd. Becomes the host's anchor process.
 */
const LAUNCHER_SH = `set -eu
hostname "$1"
mount --bind "$2/srv" /srv
mount --bind "$3" /etc/hosts
mkdir -p /run/postgresql
mount --bind "$2/run-postgresql" /run/postgresql
echo "$$" > "$2/anchor.pid.tmp"
mv "$2/anchor.pid.tmp" "$2/anchor.pid"
"$4" -f "$2/sshd_config" -E "$2/sshd.log"
exec sleep infinity
`;

// ---------------------------------------------------------------------------------------------
// Entering hosts

function anchorPid(L: Layout, host: HostName): number {
  const pid = readPidFile(path.join(L.hostDir(host), 'anchor.pid'));
  if (!pid || !isLive(pid)) throw new Error(`lab host ${host} is not running (no live anchor process; is the lab up?)`);
  const want = nsId(`/run/netns/${netnsName(host)}`);
  if (!want || nsId(`/proc/${pid}/ns/net`) !== want) throw new Error(`lab host ${host}: anchor pid ${pid} is not in namespace ${netnsName(host)}`);
  return pid;
}

async function execIn(L: Layout, host: HostName, cmd: string | readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  if (!isHostName(host)) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  const pid = anchorPid(L, host);
  const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
  if (!argv.length) throw new Error('exec: empty command');
  return run(tool('nsenter'), ['--target', String(pid), '--net', '--mount', '--uts', '--', ...argv], {
    timeoutMs: opts.timeoutMs ?? 30_000,
    input: opts.input,
    env: { ...HOST_ENV, ...(opts.env ?? {}) },
  });
}

/** Start a long-running process inside a host, detached, tagged, output to a log file. */
function spawnIn(L: Layout, host: HostName, argv: string[], logFile: string): number {
  const pid = anchorPid(L, host);
  const fd = fs.openSync(logFile, 'a', 0o644);
  try {
    const child = spawn(tool('nsenter'), ['--target', String(pid), '--net', '--mount', '--uts', '--', ...argv], {
      cwd: '/',
      env: { ...TAGGED_ENV },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    child.on('error', () => {});
    child.unref();
    return child.pid ?? -1;
  } finally {
    fs.closeSync(fd);
  }
}

async function psqlIn(L: Layout, pgBin: string, host: HostName, sql: string, database: string = PG.superuser, timeoutMs = 30_000): Promise<ExecResult> {
  return execIn(
    L,
    host,
    ['runuser', '-u', PG.osUser, '--', path.join(pgBin, 'psql'), '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-p', String(PG.port), '-d', database, '-f', '-'],
    { input: sql, timeoutMs },
  );
}

async function psqlValue(L: Layout, pgBin: string, host: HostName, sql: string, database?: string): Promise<string> {
  const r = await psqlIn(L, pgBin, host, sql, database, 10_000);
  if (r.code !== 0) throw new Error(`psql on ${host}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

function sshArgsFor(info: Pick<LabInfo, 'keyPath' | 'knownHostsPath' | 'hosts'>, host: HostName): string[] {
  const h = info.hosts[host];
  if (!h) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  return [
    '-F', '/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${info.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=5',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'LogLevel=ERROR',
    '-i', info.keyPath,
    '-p', String(h.port),
    '-l', h.user,
    h.ip,
  ];
}

// ---------------------------------------------------------------------------------------------
// Bring-up

async function prepareFiles(L: Layout, pgUser: { uid: number; gid: number }): Promise<void> {
  fs.mkdirSync(L.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(L.dir, 0o755);
  fs.writeFileSync(L.marker, 'Lifeboat lab directory: `lab down` removes it.\n');
  fs.mkdirSync(L.keysDir, { mode: 0o700 });
  fs.mkdirSync(path.join(L.dir, 'hosts'), { mode: 0o755 });
  const keygen = (file: string, comment: string) =>
    runOk(tool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { timeoutMs: 20_000, env: { ...TAGGED_ENV } });
  const jobs: Promise<unknown>[] = [keygen(L.keyPath, 'lifeboat-lab')];
  for (const h of HOSTS) {
    const hd = L.hostDir(h.name);
    fs.mkdirSync(path.join(hd, 'srv'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(hd, 'run-postgresql'), { mode: 0o2775 });
    fs.chownSync(path.join(hd, 'run-postgresql'), pgUser.uid, pgUser.gid);
    fs.chmodSync(path.join(hd, 'run-postgresql'), 0o2775);
    fs.writeFileSync(path.join(hd, 'srv', 'lab-host'), `${h.name}\n`);
    fs.writeFileSync(path.join(hd, 'sshd_config'), sshdConfig(L, h.name));
    jobs.push(keygen(path.join(hd, 'ssh_host_ed25519_key'), `${h.name}@lifeboat-lab`));
  }
  for (const g of GROUPS.filter((g) => g.name === 'files')) {
    const files = path.join(L.hostDir(g.primary), 'srv', 'files');
    for (const [rel, content] of Object.entries(SEED_FILES)) {
      fs.mkdirSync(path.dirname(path.join(files, rel)), { recursive: true });
      fs.writeFileSync(path.join(files, rel), content);
    }
    fs.mkdirSync(path.join(L.hostDir(g.standby), 'srv', 'files'), { recursive: true });
  }
  for (const host of ['db-a', 'db-b'] as const) {
    const srv = path.join(L.hostDir(host), 'srv');
    fs.mkdirSync(path.join(srv, 'pgdata'), { mode: 0o700 });
    fs.chownSync(path.join(srv, 'pgdata'), pgUser.uid, pgUser.gid);
    fs.writeFileSync(path.join(srv, 'postgresql.log'), '', { mode: 0o640 });
    fs.chownSync(path.join(srv, 'postgresql.log'), pgUser.uid, pgUser.gid);
  }
  fs.writeFileSync(L.etcHosts, etcHosts());
  fs.writeFileSync(L.httpdPy, HTTPD_PY);
  await Promise.all(jobs);
  fs.writeFileSync(L.authorizedKeys, fs.readFileSync(`${L.keyPath}.pub`, 'utf8'));
}

/** Refuse to start if anything outside the lab already uses the lab network in the root namespace. */
async function checkRootNamespaceFree(): Promise<void> {
  const addrs = await ip(['-4', '-o', 'addr', 'show']);
  for (const line of addrs.stdout.split('\n')) {
    if (line.includes(` ${LAB_NET}.`)) throw new Error(`the root namespace already has an address in ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`);
  }
  const routes = await ip(['-4', 'route', 'show', 'table', 'all']);
  for (const line of routes.stdout.split('\n')) {
    if (line.startsWith(`${LAB_NET}.`) || line.includes(` ${LAB_NET}.`)) {
      throw new Error(`the root namespace already has a route into ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`);
    }
  }
}

async function buildNetwork(log: (l: string) => void): Promise<void> {
  await ip(['link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await ip(['addr', 'add', `${BRIDGE_IP}/${LAB_PREFIX}`, 'dev', BRIDGE]);
  await ip(['link', 'set', BRIDGE, 'up']);
  await Promise.all(
    HOSTS.map(async (h) => {
      const ns = netnsName(h.name);
      const veth = vethName(h.name);
      await ip(['netns', 'add', ns]);
      await ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', HOST_IFACE, 'netns', ns]);
      await ip(['link', 'set', veth, 'master', BRIDGE, 'up']);
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      await ip(['-n', ns, 'addr', 'add', `${labIp(h.n)}/${LAB_PREFIX}`, 'dev', HOST_IFACE]);
      const group = GROUPS.find((g) => g.primary === h.name);
      if (group) await ip(['-n', ns, 'addr', 'add', `${labIp(group.vip)}/${LAB_PREFIX}`, 'dev', HOST_IFACE]);
      await ip(['-n', ns, 'link', 'set', HOST_IFACE, 'up']);
    }),
  );
  log(`network: ${BRIDGE} ${BRIDGE_IP}/${LAB_PREFIX}, ${HOSTS.length} namespaces`);
}

function launchHost(L: Layout, host: HostName): void {
  const hd = L.hostDir(host);
  const fd = fs.openSync(path.join(hd, 'launcher.log'), 'a', 0o644);
  try {
    const child = spawn(
      tool('ip'),
      ['netns', 'exec', netnsName(host), tool('unshare'), '--mount', '--uts', '--propagation', 'private', '--', tool('sh'), '-c', LAUNCHER_SH, 'lab-launcher', host, hd, L.etcHosts, tool('sshd')],
      { cwd: '/', env: { ...TAGGED_ENV }, stdio: ['ignore', fd, fd], detached: true },
    );
    child.on('error', () => {});
    child.unref();
  } finally {
    fs.closeSync(fd);
  }
}

async function waitForHost(L: Layout, host: HostName, deadline: number): Promise<void> {
  const hd = L.hostDir(host);
  const address = hostIp(host);
  await waitFor(
    `${host}: anchor and sshd`,
    () => {
      const a = readPidFile(path.join(hd, 'anchor.pid'));
      const s = readPidFile(path.join(hd, 'sshd.pid'));
      if (a && s && isLive(a) && isLive(s)) return true;
      if (a && !isLive(a)) throw new Error(`launcher exited: ${tail(path.join(hd, 'launcher.log'), 5)}`);
      return undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 50 },
  );
  if (!(await routesViaBridge(address))) throw new Error(`${host}: ${address} is not routed via ${BRIDGE}; not connecting`);
  await waitFor(
    `${host}: SSH banner on ${address}:22`,
    async () => ((await readBanner(address, 22, 2_000))?.startsWith('SSH-2.0-') ? true : undefined),
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  );
}

async function startWeb(L: Layout, host: HostName, deadline: number): Promise<void> {
  const hd = L.hostDir(host);
  const address = hostIp(host);
  spawnIn(L, host, [tool('python3'), L.httpdPy, host, path.join(hd, 'httpd.pid')], path.join(hd, 'httpd.log'));
  if (!(await routesViaBridge(address))) throw new Error(`${host}: ${address} is not routed via ${BRIDGE}; not connecting`);
  await waitFor(
    `${host}: HTTP on ${address}:80`,
    async () => ((await httpGetRoot(address, 80, 2_000))?.body.trim() === host ? true : undefined),
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  );
}

async function initPrimaryData(L: Layout, pgBin: string): Promise<void> {
  const data = path.join(L.hostDir('db-a'), 'srv', 'pgdata');
  await runOk(
    tool('runuser'),
    ['-u', PG.osUser, '--', path.join(pgBin, 'initdb'), '-D', data, '-U', PG.superuser, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    { timeoutMs: 60_000, env: { ...TAGGED_ENV } },
  );
  fs.appendFileSync(
    path.join(data, 'postgresql.conf'),
    [
      '',
      '# Lifeboat lab',
      "listen_addresses = '*'",
      `port = ${PG.port}`,
      'max_connections = 40',
      'shared_buffers = 16MB',
      'wal_level = replica',
      'max_wal_senders = 8',
      'wal_keep_size = 128MB',
      'hot_standby = on',
      'hot_standby_feedback = on',
      'wal_receiver_status_interval = 1s',
      "log_destination = 'stderr'",
      'logging_collector = off',
      "log_line_prefix = '%m [%p] '",
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      '# Lifeboat lab: trust on the loopback and the lab network only.',
      'local   all          all                  trust',
      'local   replication  all                  trust',
      'host    all          all   127.0.0.1/32   trust',
      'host    replication  all   127.0.0.1/32   trust',
      `host    all          all   ${LAB_CIDR}   trust`,
      `host    replication  all   ${LAB_CIDR}   trust`,
      '',
    ].join('\n'),
  );
}

async function pgCtl(L: Layout, pgBin: string, host: HostName, action: 'start'): Promise<void> {
  const r = await execIn(
    L,
    host,
    ['runuser', '-u', PG.osUser, '--', path.join(pgBin, 'pg_ctl'), '-D', PG.dataDir, '-l', PG.logFile, '-w', '-t', '60', action],
    { timeoutMs: 70_000, env: { [PROCESS_TAG_NAME]: '1' } },
  );
  if (r.code !== 0) throw new Error(`pg_ctl ${action} on ${host} failed: ${(r.stderr || r.stdout).trim()}\n${tail(path.join(L.hostDir(host), 'srv', 'postgresql.log'))}`);
}

async function startDatabases(L: Layout, pgBin: string, initdb: Promise<void>, deadline: number, log: (l: string) => void): Promise<void> {
  await initdb;
  await pgCtl(L, pgBin, 'db-a', 'start');
  await psqlValue(L, pgBin, 'db-a', `CREATE ROLE ${PG.replicationUser} WITH REPLICATION LOGIN; CREATE DATABASE ${PG.database};`);
  const base = await execIn(
    L,
    'db-b',
    [
      'runuser', '-u', PG.osUser, '--', path.join(pgBin, 'pg_basebackup'),
      '-d', `host=${hostIp(PG_PRIMARY)} port=${PG.port} user=${PG.replicationUser} application_name=db-b`,
      '-D', PG.dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
    ],
    { timeoutMs: 60_000, env: { [PROCESS_TAG_NAME]: '1' } },
  );
  if (base.code !== 0) throw new Error(`pg_basebackup on db-b failed: ${(base.stderr || base.stdout).trim()}`);
  await pgCtl(L, pgBin, 'db-b', 'start');
  await waitFor(
    'db-b streaming from db-a',
    async () => {
      const sent = await psqlValue(L, pgBin, 'db-a', "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
      const recv = await psqlValue(L, pgBin, 'db-b', 'SELECT status FROM pg_stat_wal_receiver');
      return sent === '1' && recv === 'streaming' ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 200 },
  );
  log('postgres: db-a primary, db-b streaming');
}

function buildInfo(L: Layout, origin: string, startupMs: number, pgBin: string): LabInfo {
  const hosts = {} as Record<HostName, LabHost>;
  for (const h of HOSTS) {
    const hostKey = fs.readFileSync(path.join(L.hostDir(h.name), 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    hosts[h.name] = {
      name: h.name,
      ip: labIp(h.n),
      port: 22,
      sshPort: 22,
      user: 'root',
      keyPath: L.keyPath,
      hostKeyFingerprint: fingerprint(hostKey),
      hostKey,
      namespace: netnsName(h.name),
      interface: HOST_IFACE,
      group: h.group,
      role: h.role,
      sshdConfig: path.join(L.hostDir(h.name), 'sshd_config'),
      sshdPidFile: path.join(L.hostDir(h.name), 'sshd.pid'),
    };
  }
  const vips = {} as Record<GroupName, string>;
  const groups = {} as Record<GroupName, LabGroup>;
  for (const g of GROUPS) {
    vips[g.name] = labIp(g.vip);
    groups[g.name] = { name: g.name, vip: labIp(g.vip), prefix: LAB_PREFIX, interface: HOST_IFACE, primary: g.primary, standby: g.standby, members: [g.primary, g.standby] };
  }
  return {
    version: 1,
    state: 'up',
    dir: L.dir,
    labJsonPath: L.labJson,
    createdAt: new Date().toISOString(),
    origin,
    startupMs,
    network: { cidr: LAB_CIDR, bridge: BRIDGE, bridgeIp: BRIDGE_IP },
    user: 'root',
    keyPath: L.keyPath,
    knownHostsPath: L.knownHosts,
    hosts,
    vips,
    groups,
    postgres: {
      bin: pgBin,
      port: PG.port,
      dataDir: PG.dataDir,
      logFile: PG.logFile,
      osUser: PG.osUser,
      superuser: PG.superuser,
      replicationUser: PG.replicationUser,
      database: PG.database,
      primary: 'db-a',
      standby: 'db-b',
    },
  };
}

function diagnostics(L: Layout): string {
  const parts: string[] = [];
  for (const h of HOST_NAMES) {
    const hd = L.hostDir(h);
    for (const f of ['launcher.log', 'sshd.log', 'httpd.log', 'srv/postgresql.log']) {
      const t = tail(path.join(hd, f), 8);
      if (t) parts.push(`--- ${h}/${f}\n${t}`);
    }
  }
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/**
 * Start the lab (cleaning up whatever a previous, possibly crashed, lab left first), wait until
 * every sshd answers, both web servers answer and db-b streams from db-a, and write lab.json.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const available = labAvailable();
  if (!available.ok) throw new Error(`the lab cannot run here: ${available.reason}`);
  const dir = resolveDir(opts.dir);
  const L = layout(dir);
  const log = opts.log ?? (() => {});
  const lock = await acquireLabLock({ purpose: `startLab (${opts.origin ?? 'api'})`, timeoutMs: opts.lockTimeoutMs ?? 240_000 });
  try {
    if (opts.reuse) {
      const health = await inspect(L);
      if (health.ok) {
        log(`reusing the running lab in ${dir}`);
        return makeLab(readInfo(L)!, true);
      }
      if (fs.existsSync(L.labJson)) log(`not reusing the lab in ${dir}: ${health.problems.join('; ')}`);
    }
    await teardown(L, log);
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 90_000);
    const pgBin = pgBinDir()!;
    const pgUser = osUser(PG.osUser)!;
    try {
      await checkRootNamespaceFree();
      await prepareFiles(L, pgUser);
      const initdb = initPrimaryData(L, pgBin);
      initdb.catch(() => {}); // awaited below; avoid an unhandled rejection if the network fails first
      log(`files and keys in ${dir} (${Date.now() - started} ms)`);
      fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
      await buildNetwork(log);
      for (const h of HOST_NAMES) launchHost(L, h);
      await Promise.all(HOST_NAMES.map((h) => waitForHost(L, h, deadline)));
      log(`sshd up on ${HOST_NAMES.length} hosts (${Date.now() - started} ms)`);
      await Promise.all([startWeb(L, 'web-a', deadline), startWeb(L, 'web-b', deadline), startDatabases(L, pgBin, initdb, deadline, log)]);
      const info = buildInfo(L, opts.origin ?? 'api', Date.now() - started, pgBin);
      writeAtomic(L.knownHosts, HOST_NAMES.map((h) => `${info.hosts[h].ip} ${info.hosts[h].hostKey}`).join('\n') + '\n');
      writeAtomic(L.labJson, JSON.stringify(info, null, 2) + '\n');
      log(`lab up in ${(info.startupMs / 1000).toFixed(1)} s`);
      return makeLab(info, false);
    } catch (error) {
      const message = `lab bring-up failed: ${error instanceof Error ? error.message : String(error)}${diagnostics(L)}`;
      if (!opts.keepOnFailure) {
        try {
          await teardown(L, log);
        } catch (cleanupError) {
          throw new Error(`${message}\n(and cleaning up failed: ${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)})`);
        }
      }
      throw new Error(message);
    }
  } finally {
    lock.release();
  }
}

// ---------------------------------------------------------------------------------------------
// Attaching, health

function readInfo(L: Layout): LabInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(L.labJson, 'utf8')) as LabInfo;
    if (info.version !== 1 || info.state !== 'up' || info.dir !== L.dir) return null;
    return info;
  } catch {
    return null;
  }
}

/** The lab described by lab.json in `dir`, without checking it (see health()), or null if there is none. */
export function openLab(dir?: string): Lab | null {
  const info = readInfo(layout(resolveDir(dir)));
  return info ? makeLab(info, true) : null;
}

/** Whether the lab in `dir` is up, healthy and pristine (each VIP on its primary only, db-b streaming). */
export async function labHealth(dir?: string): Promise<LabHealth> {
  return inspect(layout(resolveDir(dir)));
}

async function inspect(L: Layout): Promise<LabHealth> {
  const problems: string[] = [];
  const info = readInfo(L);
  if (!info) return { ok: false, problems: [`no lab.json in ${L.dir}`] };
  const br = await run(tool('ip'), ['-4', '-o', 'addr', 'show', 'dev', BRIDGE], { timeoutMs: 5_000 });
  if (br.code !== 0 || !br.stdout.includes(` ${BRIDGE_IP}/${LAB_PREFIX} `)) return { ok: false, problems: [`${BRIDGE} with ${BRIDGE_IP}/${LAB_PREFIX} is missing`] };
  await Promise.all(
    HOST_NAMES.map(async (h) => {
      const host = info.hosts[h];
      try {
        anchorPid(L, h);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        return;
      }
      if (!(await routesViaBridge(host.ip))) {
        problems.push(`${h}: ${host.ip} not routed via ${BRIDGE}`);
        return;
      }
      const banner = await readBanner(host.ip, host.port, 3_000);
      if (!banner?.startsWith('SSH-2.0-')) problems.push(`${h}: no SSH banner on ${host.ip}:${host.port}`);
    }),
  );
  if (problems.length) return { ok: false, problems };
  await Promise.all([
    ...GROUPS.map(async (g) => {
      for (const member of [g.primary, g.standby]) {
        const r = await run(tool('ip'), ['-n', netnsName(member), '-4', '-o', 'addr', 'show', 'dev', HOST_IFACE], { timeoutMs: 5_000 });
        const has = new RegExp(` ${labIp(g.vip).replace(/\./g, '\\.')}/`).test(r.stdout);
        if (member === g.primary && !has) problems.push(`${g.name} VIP ${labIp(g.vip)} is not on ${member}`);
        if (member !== g.primary && has) problems.push(`${g.name} VIP ${labIp(g.vip)} is on ${member}`);
      }
    }),
    ...(['web-a', 'web-b'] as const).map(async (h) => {
      const answer = await httpGetRoot(info.hosts[h].ip, 80, 3_000);
      if (answer?.status !== 200 || answer.body.trim() !== h) problems.push(`${h}: HTTP on port 80 does not answer with its name`);
    }),
    (async () => {
      try {
        const a = await psqlValue(L, info.postgres.bin, 'db-a', "SELECT pg_is_in_recovery()::text || ' ' || (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')");
        if (a !== 'false 1') problems.push(`db-a is not a primary with one streaming standby (${a})`);
        const b = await psqlValue(L, info.postgres.bin, 'db-b', "SELECT pg_is_in_recovery()::text || ' ' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')");
        if (b !== 'true streaming') problems.push(`db-b is not a streaming standby (${b})`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    })(),
  ]);
  return { ok: problems.length === 0, problems };
}

function makeLab(info: LabInfo, reused: boolean): Lab {
  const L = layout(info.dir);
  return {
    ...info,
    reused,
    exec: (host, cmd, opts) => execIn(L, host, cmd, opts),
    sshArgs: (host) => sshArgsFor(info, host),
    async ssh(host, script, opts = {}) {
      const h = info.hosts[host];
      if (!h) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
      if (!(await routesViaBridge(h.ip))) throw new Error(`${host}: ${h.ip} is not routed via ${BRIDGE} (is the lab up?); not connecting`);
      return run(tool('ssh'), [...sshArgsFor(info, host), '--', 'env LC_ALL=C /bin/sh -s'], { input: script, timeoutMs: opts.timeoutMs ?? 30_000, env: { ...HOST_ENV } });
    },
    psql: (host, sql, opts = {}) => psqlIn(L, info.postgres.bin, host, sql, opts.database ?? PG.superuser, opts.timeoutMs),
    async probe(url, opts = {}) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`probe: not a URL: ${JSON.stringify(url)}`);
      }
      if (parsed.protocol !== 'http:' || !isLabAddress(parsed.hostname)) throw new Error(`probe: only http:// URLs on lab addresses (${LAB_CIDR}): ${JSON.stringify(url)}`);
      const timeoutMs = opts.timeoutMs ?? 3_000;
      const r = await run(tool('ip'), ['netns', 'exec', netnsName('client'), tool('python3'), '-c', PROBE_PY, parsed.href, String(timeoutMs / 1000)], {
        timeoutMs: timeoutMs + 5_000,
      });
      try {
        const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { status: number; body: string; error: string | null };
        return { ok: j.status === 200, status: j.status, body: j.body, host: j.body.trim(), error: j.error };
      } catch {
        return { ok: false, status: 0, body: '', host: '', error: `probe did not run: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}` };
      }
    },
    health: () => inspect(L),
    stop: () => stopLab(info.dir),
  };
}

// ---------------------------------------------------------------------------------------------
// Tear-down

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

function belongsToLab(pid: number, host: HostName): boolean {
  const want = nsId(`/run/netns/${netnsName(host)}`);
  return (want !== null && nsId(`/proc/${pid}/ns/net`) === want) || environHas(pid, PROCESS_TAG);
}

async function teardown(L: Layout, log: (l: string) => void): Promise<void> {
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

function removeLabDir(L: Layout, problems: string[]): void {
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
