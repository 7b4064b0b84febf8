/**
 * Small process utilities for the lab: run a command with a hard time limit and capped output,
 * inspect /proc, and kill a set of processes in bounded steps. Every wait here is bounded.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface RunResult {
  /** Exit code, or null when the process was killed by a signal, timed out or could not start. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  /** Hard limit; the whole process group is killed with SIGKILL when it passes. Default 30 s. */
  timeoutMs?: number;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Cap on each of stdout and stderr kept in memory. Default 1 MiB. */
  maxBytes?: number;
}

/** A clean environment for commands run on lab hosts: what a root SSH session would have. */
export const HOST_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  USER: 'root',
  LOGNAME: 'root',
  SHELL: '/bin/sh',
  LC_ALL: 'C',
  LANG: 'C',
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run a program (never through a shell) and collect its output; never rejects. */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const started = Date.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(file, [...args], {
        cwd: opts.cwd ?? '/',
        env: opts.env ?? { ...HOST_ENV },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group, so a timeout can kill the command and whatever it started in the foreground.
        detached: true,
      });
    } catch (error) {
      resolve({ code: null, signal: null, stdout: '', stderr: String(error), timedOut: false, durationMs: 0 });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    let settled = false;
    let exitCode: number | null = null;
    let exitSignal: string | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (extraErr = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({
        code: timedOut ? null : exitCode,
        signal: exitSignal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + extraErr,
        timedOut,
        durationMs: Date.now() - started,
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
      // If the process ignores even SIGKILL's aftermath (cannot happen) or a grandchild holds the pipes, stop waiting.
      graceTimer = setTimeout(() => finish(`\n[lab] killed after ${timeoutMs} ms`), 2_000);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (outLen < maxBytes) out.push(chunk.subarray(0, maxBytes - outLen));
      outLen += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errLen < maxBytes) err.push(chunk.subarray(0, maxBytes - errLen));
      errLen += chunk.length;
    });
    child.on('error', (error) => {
      exitCode = null;
      finish(String(error));
    });
    child.on('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      // A daemon the command started may still hold the pipes: give them a moment, then stop waiting.
      clearTimeout(graceTimer);
      graceTimer = setTimeout(() => finish(), 300);
    });
    child.on('close', () => finish());
    child.stdin.on('error', () => {});
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

function killGroup(pid: number | undefined): void {
  if (!pid || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Like run(), but throws with the command, exit status and stderr unless it exited 0. */
export async function runOk(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, opts);
  if (result.code !== 0) {
    const why = result.timedOut
      ? `timed out after ${opts.timeoutMs ?? 30_000} ms`
      : `exited ${result.code ?? result.signal}`;
    throw new Error(`${[file, ...args].join(' ')}: ${why}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`);
  }
  return result;
}

/** Poll `check` every `intervalMs` until it returns a non-undefined value or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  opts: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 100;
  let lastError: unknown;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  const detail =
    lastError instanceof Error ? `: ${lastError.message}` : lastError !== undefined ? `: ${String(lastError)}` : '';
  throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${detail}`);
}

// ---------------------------------------------------------------------------------------------
// /proc

/** The state letter from /proc/<pid>/stat, or null when there is no such process. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return stat.slice(close + 2, close + 3) || null;
  } catch {
    return null;
  }
}

/** A process that exists and is not a zombie. */
export function isLive(pid: number): boolean {
  const state = procState(pid);
  return state !== null && state !== 'Z' && state !== 'X';
}

export function listPids(): number[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return names.filter((n) => /^\d+$/.test(n)).map(Number);
}

export function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** Whether the process's environment holds exactly `NAME=value`. */
export function environHas(pid: number, entry: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(entry);
  } catch {
    return false;
  }
}

/** "dev:ino" of a namespace file (/run/netns/x or /proc/<pid>/ns/net), or null. */
export function nsId(file: string): string | null {
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** Live processes whose network namespace is the one bound at `nsFile`. */
export function pidsInNetns(nsFile: string): number[] {
  const id = nsId(nsFile);
  if (!id) return [];
  return listPids().filter((pid) => pid !== process.pid && isLive(pid) && nsId(`/proc/${pid}/ns/net`) === id);
}

export function readPidFile(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim().split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * SIGTERM, wait up to `termMs`, then SIGKILL and wait up to `killMs`. Never signals pid 1, this
 * process or its parent. Returns the pids still alive at the end (normally none).
 */
export async function killPids(pids: Iterable<number>, termMs = 3_000, killMs = 2_000): Promise<number[]> {
  const protectedPids = new Set([0, 1, process.pid, process.ppid]);
  const targets = [...new Set(pids)].filter((pid) => Number.isInteger(pid) && !protectedPids.has(pid) && isLive(pid));
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of targets) {
      try {
        if (isLive(pid)) process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
      if (!targets.some(isLive)) return;
      await sleep(50);
    }
  };
  if (!targets.length) return [];
  signal('SIGTERM');
  await waitGone(termMs);
  if (targets.some(isLive)) {
    signal('SIGKILL');
    await waitGone(killMs);
  }
  return targets.filter(isLive);
}
