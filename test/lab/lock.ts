/**
 * One lab per machine (namespace names and addresses are global), so whoever starts, stops or uses
 * it holds an exclusive lock: flock(1) on a lock file, held by a child process that exits when our
 * end of its stdin closes, so the kernel releases the lock if this process dies, even by SIGKILL.
 * Reentrant within one process (counted). Waiters register a file so a holder can tell whether
 * someone is queued for the lab.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLive } from './proc';

export interface LabLock {
  readonly path: string;
  /** Release this hold (the lock itself goes when the last hold in this process is released). */
  release(): void;
}

interface Held {
  count: number;
  child: ChildProcessWithoutNullStreams;
}

const held = new Map<string, Held>();

export function labLockPath(): string {
  return process.env.LIFEBOAT_LAB_LOCK || path.join(os.tmpdir(), 'lifeboat-lab.lock');
}

const waitersDir = (lockPath: string) => `${lockPath}.waiters`;

/** Live processes (other than this one) waiting for the lock. */
export function lockWaiters(lockPath = labLockPath()): number[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(waitersDir(lockPath));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of names) {
    const pid = Number.parseInt(name.split('-')[0], 10);
    if (!Number.isInteger(pid) || pid <= 1) continue;
    if (pid !== process.pid && isLive(pid)) pids.push(pid);
    else if (pid !== process.pid) fs.rmSync(path.join(waitersDir(lockPath), name), { force: true });
  }
  return pids;
}

/** Whether this process currently holds the lab lock. */
export function holdsLabLock(lockPath = labLockPath()): boolean {
  return held.has(lockPath);
}

/**
 * Take the lab lock, waiting at most `timeoutMs` (default 240 s). `purpose` is recorded next to the
 * lock so a waiter can say who holds it.
 */
export async function acquireLabLock(
  opts: { timeoutMs?: number; purpose?: string; lockPath?: string } = {},
): Promise<LabLock> {
  const lockPath = opts.lockPath ?? labLockPath();
  const timeoutMs = opts.timeoutMs ?? 240_000;
  const existing = held.get(lockPath);
  if (existing) {
    existing.count++;
    return handle(lockPath);
  }
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  fs.mkdirSync(waitersDir(lockPath), { recursive: true, mode: 0o700 });
  const waiterFile = path.join(waitersDir(lockPath), `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.writeFileSync(waiterFile, `${opts.purpose ?? ''}\n`);
  try {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    // flock prints nothing; the shell says "locked" once it holds the lock, then cat waits for our stdin to close.
    const child = spawn(
      'flock',
      [
        '--exclusive',
        '--wait',
        String(seconds),
        '--conflict-exit-code',
        '75',
        lockPath,
        '/bin/sh',
        '-c',
        'echo locked; exec cat >/dev/null',
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const acquired = await new Promise<boolean>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(false);
      }, timeoutMs + 5_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('locked')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 75) resolve(false);
        else reject(new Error(`flock exited ${code}: ${err.trim()}`));
      });
    });
    if (!acquired) {
      throw new Error(
        `the lab is in use: gave up waiting ${Math.round(timeoutMs / 1000)} s for the lock ${lockPath}${describeOwner(lockPath)}`,
      );
    }
    child.removeAllListeners('exit');
    // If flock dies while we hold the lock, forget it; but only our own entry (a later hold may already be in the map).
    child.on('exit', () => {
      if (held.get(lockPath)?.child === child) held.delete(lockPath);
    });
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    child.stderr.resume();
    child.stdin.on('error', () => {});
    // Do not keep the event loop alive for the lock alone.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as { _handle?: { unref?: () => void } }[])
      stream._handle?.unref?.();
    held.set(lockPath, { count: 1, child });
    fs.writeFileSync(
      `${lockPath}.owner`,
      JSON.stringify({ pid: process.pid, purpose: opts.purpose ?? '', since: new Date().toISOString() }) + '\n',
    );
    return handle(lockPath);
  } finally {
    fs.rmSync(waiterFile, { force: true });
  }
}

function describeOwner(lockPath: string): string {
  try {
    const owner = JSON.parse(fs.readFileSync(`${lockPath}.owner`, 'utf8')) as {
      pid: number;
      purpose: string;
      since: string;
    };
    return ` (held by pid ${owner.pid}${owner.purpose ? `, ${owner.purpose}` : ''}, since ${owner.since})`;
  } catch {
    return '';
  }
}

function handle(lockPath: string): LabLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      const h = held.get(lockPath);
      if (!h) return;
      h.count--;
      if (h.count > 0) return;
      held.delete(lockPath);
      try {
        fs.rmSync(`${lockPath}.owner`, { force: true });
      } catch {
        /* ignore */
      }
      h.child.stdin.end();
      // cat exits on EOF and flock releases; make sure of it.
      setTimeout(() => {
        if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
      }, 2_000).unref();
    },
  };
}
