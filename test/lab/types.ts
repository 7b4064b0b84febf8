/** Types of the lab: hosts, groups, the lab.json content and the Lab handle. */
import { type RunResult } from './proc';
import { type GroupName, type HostName, type HostRole } from './topology';
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
  /** This host's sshd (paths inside the host): Debian's ssh.service, restart it with `systemctl start ssh`. */
  sshdConfig: string;
  sshdPidFile: string;
  /** The systemd units this host runs (besides ssh), e.g. ["nginx", "crm"]. */
  units: string[];
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

/** PostgreSQL on db-a/db-b as Debian packages it (paths inside the hosts). */
export interface LabPostgres {
  /** /usr/lib/postgresql/15/bin: pg_ctl is there, not on PATH. */
  bin: string;
  port: number;
  version: string;
  cluster: string;
  /** postgresql@15-main */
  unit: string;
  dataDir: string;
  configDir: string;
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
  /** The shared read-only Debian root every host boots from (through its own overlay). */
  root: string;
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
  /** Run a command on a host, from outside: enters every namespace of the host's container (no SSH). */
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
  /** Reboot a host for real (systemctl reboot inside; it boots again, with only its configured address). Resolves once it answers SSH. */
  reboot(host: HostName, opts?: { timeoutMs?: number }): Promise<void>;
  /** Power a host off for real (systemctl poweroff inside, then its link down: it no longer answers anything). */
  powerOff(host: HostName, opts?: { timeoutMs?: number }): Promise<void>;
  /** Power a powered-off host on again (link up, boot). Resolves once it answers SSH and runs its units. */
  powerOn(host: HostName, opts?: { timeoutMs?: number }): Promise<void>;
  /** This machine's pid of a process the host knows as `innerPid` (e.g. read from /run/sshd.pid), or null. */
  outerPid(host: HostName, innerPid: number): number | null;
  /** Read a file inside a running host (through its PID 1's root), or null when it cannot be read. */
  readFile(host: HostName, file: string): string | null;
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
