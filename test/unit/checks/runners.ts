/** Runners for the checks' tests: one that answers from a script of outcomes, one that runs scripts in a local sh. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Server } from '../../../shared/domain';
import type { RemoteOutcome, RemoteResult, RemoteRunner, RunOptions } from '../../../electron/ports/remote';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { tempDir } from '../../helpers/workspace';

/** A successful outcome with this stdout (checks frame their output with end=1). */
export function ok(stdout: string, durationMs = 5): RemoteOutcome {
  return {
    kind: 'ok',
    result: {
      code: 0,
      stdout: stdout.endsWith('end=1\n') ? stdout : `${stdout}\nend=1\n`,
      stderr: '',
      truncated: false,
      durationMs,
    },
  };
}

export const unreachable = (detail = 'connect ECONNREFUSED'): RemoteOutcome => ({
  kind: 'unreachable',
  detail,
  cause: 'network',
});
export const timedOut = (): RemoteOutcome => ({
  kind: 'indeterminate',
  reason: 'timeout',
  detail: 'no answer in time',
});

/** Answers each script with `answer(server, script)`; records every batch call. */
export class ScriptedRunner implements RemoteRunner {
  readonly calls: { server: string; scripts: string[] }[] = [];
  disposed = false;
  constructor(private readonly answer: (server: Server, script: string) => RemoteOutcome | Promise<RemoteOutcome>) {}

  async run(server: Server, script: string): Promise<RemoteOutcome> {
    return this.answer(server, script);
  }

  async batch(server: Server, scripts: readonly string[]): Promise<RemoteOutcome[]> {
    this.calls.push({ server: server.name, scripts: [...scripts] });
    return Promise.all(scripts.map((s) => this.answer(server, s)));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** Runs every script in `env LC_ALL=C /bin/sh -s` on this machine, as the SSH engine does remotely. */
export class LocalShellRunner implements RemoteRunner {
  async run(_server: Server, script: string, options: RunOptions): Promise<RemoteOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      const child = spawn('env', ['LC_ALL=C', '/bin/sh', '-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ kind: 'indeterminate', reason: 'timeout', detail: `no answer within ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('close', (code) => {
        clearTimeout(timer);
        const result: RemoteResult = {
          code,
          stdout,
          stderr,
          truncated: false,
          durationMs: performance.now() - started,
        };
        resolve(code === 0 ? { kind: 'ok', result } : { kind: 'failed', result });
      });
      child.stdin.end(script);
    });
  }

  async batch(server: Server, scripts: readonly string[], options: RunOptions): Promise<RemoteOutcome[]> {
    return Promise.all(scripts.map((s) => this.run(server, s, options)));
  }

  async dispose(): Promise<void> {}
}

/**
 * A temp dir for fake tools (chronyc, systemctl…) and PATH put back after each test: the local
 * shell runner and the in-process ssh2 server run scripts with this process's PATH.
 */
export function fakeToolsDir(prefix: string): { dir(): string; usePath(value: string): void } {
  let dir = '';
  const saved = process.env.PATH;
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterEach(() => {
    process.env.PATH = saved;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir: () => dir, usePath: (value) => void (process.env.PATH = value) };
}
