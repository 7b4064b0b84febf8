/**
 * The fake hosts' /run: on-host lock scripts (electron/failover/host-lock.ts) run for real through
 * /bin/sh, with /run/lifeboat moved under a temporary directory per host, so mkdir's atomicity, the
 * owner record and every refusal are the shell's own, not a model of them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RemoteOutcome } from '../../../electron/ports/remote';

/** A fresh directory that holds every fake host's /run. */
export function fakeRunRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-fake-run-'));
}

/** Where a fake host's /run/lifeboat lives. */
export function fakeLockBase(root: string, host: string): string {
  return path.join(root, host, 'run', 'lifeboat');
}

/** Run an on-host lock script for `host`; undefined for any other script. */
export function runLockScript(root: string, host: string, script: string): RemoteOutcome | undefined {
  if (!script.includes("echo 'lifeboat-lock: end'")) return undefined;
  const base = fakeLockBase(root, host);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const text = script.split("'/run/lifeboat").join(`'${base}`);
  const done = spawnSync('/bin/sh', ['-c', text], { encoding: 'utf8', timeout: 5000 });
  const code = done.status;
  const result = { code, stdout: done.stdout ?? '', stderr: done.stderr ?? '', truncated: false, durationMs: 1 };
  return code === 0 ? { kind: 'ok', result } : { kind: 'failed', result };
}
