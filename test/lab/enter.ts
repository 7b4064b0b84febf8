/** Entering lab hosts from outside: exec, detached processes, psql, ssh arguments. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isLive, nsId, readPidFile, run, HOST_ENV } from './proc';
import { isHostName, netnsName, PG, type HostName } from './topology';
import { Layout, tool, TAGGED_ENV } from './tools';
import { ExecOptions, ExecResult, LabInfo } from './types';
export function anchorPid(L: Layout, host: HostName): number {
  const pid = readPidFile(path.join(L.hostDir(host), 'anchor.pid'));
  if (!pid || !isLive(pid)) throw new Error(`lab host ${host} is not running (no live anchor process; is the lab up?)`);
  const want = nsId(`/run/netns/${netnsName(host)}`);
  if (!want || nsId(`/proc/${pid}/ns/net`) !== want) throw new Error(`lab host ${host}: anchor pid ${pid} is not in namespace ${netnsName(host)}`);
  return pid;
}

export async function execIn(L: Layout, host: HostName, cmd: string | readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
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
export function spawnIn(L: Layout, host: HostName, argv: string[], logFile: string): number {
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

export async function psqlIn(L: Layout, pgBin: string, host: HostName, sql: string, database: string = PG.superuser, timeoutMs = 30_000): Promise<ExecResult> {
  return execIn(
    L,
    host,
    ['runuser', '-u', PG.osUser, '--', path.join(pgBin, 'psql'), '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-p', String(PG.port), '-d', database, '-f', '-'],
    { input: sql, timeoutMs },
  );
}

export async function psqlValue(L: Layout, pgBin: string, host: HostName, sql: string, database?: string): Promise<string> {
  const r = await psqlIn(L, pgBin, host, sql, database, 10_000);
  if (r.code !== 0) throw new Error(`psql on ${host}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

export function sshArgsFor(info: Pick<LabInfo, 'keyPath' | 'knownHostsPath' | 'hosts'>, host: HostName): string[] {
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
