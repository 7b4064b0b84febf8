/** Entering lab hosts from outside: exec (nsenter into the container), psql, ssh arguments. */
import { leaderPid } from './containers';
import { run, HOST_ENV } from './proc';
import { isHostName, PG, type HostName } from './topology';
import { Layout, tool } from './tools';
import { ExecOptions, ExecResult, LabInfo } from './types';

/**
 * Run a command inside a host: every namespace of its PID 1 (mount, UTS, IPC, network, PID), so
 * `systemctl`, `journalctl` and the host's own files are the host's, without SSH.
 */
export async function execIn(
  _L: Layout,
  host: HostName,
  cmd: string | readonly string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  if (!isHostName(host)) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  const pid = leaderPid(host);
  const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
  if (!argv.length) throw new Error('exec: empty command');
  return run(tool('nsenter'), ['--target', String(pid), '--all', '--', ...argv], {
    timeoutMs: opts.timeoutMs ?? 30_000,
    input: opts.input,
    env: { ...HOST_ENV, ...(opts.env ?? {}) },
  });
}

export async function psqlIn(
  L: Layout,
  pgBin: string,
  host: HostName,
  sql: string,
  database: string = PG.superuser,
  timeoutMs = 30_000,
): Promise<ExecResult> {
  return execIn(
    L,
    host,
    [
      'runuser',
      '-u',
      PG.osUser,
      '--',
      `${pgBin}/psql`,
      '-X',
      '-A',
      '-t',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-p',
      String(PG.port),
      '-d',
      database,
      '-f',
      '-',
    ],
    { input: sql, timeoutMs },
  );
}

export async function psqlValue(
  L: Layout,
  pgBin: string,
  host: HostName,
  sql: string,
  database?: string,
): Promise<string> {
  const r = await psqlIn(L, pgBin, host, sql, database, 10_000);
  if (r.code !== 0) throw new Error(`psql on ${host}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

export function sshArgsFor(info: Pick<LabInfo, 'keyPath' | 'knownHostsPath' | 'hosts'>, host: HostName): string[] {
  const h = info.hosts[host];
  if (!h) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
  return [
    '-F',
    '/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${info.knownHostsPath}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=5',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'IdentityAgent=none',
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=3',
    '-o',
    'LogLevel=ERROR',
    '-i',
    info.keyPath,
    '-p',
    String(h.port),
    '-l',
    h.user,
    h.ip,
  ];
}
