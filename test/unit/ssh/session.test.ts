import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandFailed, Indeterminate } from '../../../electron/ssh/errors';
import { REMOTE_SHELL } from '../../../electron/ssh/exec';
import type { ConnectionPool } from '../../../electron/ssh/pool';
import { ShellSessions } from '../../../electron/ssh/session';
import type { TestSshServer } from '../../helpers/ssh-server';
import { makeKeys, pinsTrusting, serverFor, testPool, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

const open: { server: TestSshServer; pool: ConnectionPool; sessions: ShellSessions }[] = [];
afterEach(async () => {
  for (const { server, pool, sessions } of open.splice(0)) {
    sessions.dispose();
    pool.dispose();
    await server.close();
  }
});

async function setUp() {
  const { server, endpoint } = await serverFor(lab);
  const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
  const sessions = new ShellSessions(pool);
  open.push({ server, pool, sessions });
  return { server, pool, sessions, endpoint };
}

const values = (settled: PromiseSettledResult<unknown>[]) =>
  settled.map((s) => (s.status === 'fulfilled' ? s.value : s.reason));

describe('persistent shell sessions', () => {
  it("keep a failover's commands out of the queue of a host's health checks (one shell per lane)", async () => {
    const { server, sessions, endpoint } = await setUp();
    const slowCheck = sessions.runBatch(endpoint, ['sleep 1; echo checked'], { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const [release] = values(
      await sessions.runBatch(endpoint, ['echo released'], { timeoutMs: 5_000, lane: 'failover' }),
    );
    expect(release).toMatchObject({ stdout: 'released\n' });
    expect(performance.now() - started).toBeLessThan(600);
    expect(values(await slowCheck)[0]).toMatchObject({ stdout: 'checked\n' });
    // Two shells on one connection.
    expect(server.commands).toEqual([REMOTE_SHELL, REMOTE_SHELL]);
  });

  it('run many scripts over one shell started once', async () => {
    const { server, sessions, endpoint } = await setUp();
    for (let i = 0; i < 5; i++) {
      expect(await sessions.run(endpoint, `echo run ${i}; echo err ${i} >&2`, { timeoutMs: 5_000 })).toMatchObject({
        code: 0,
        stdout: `run ${i}\n`,
        stderr: `err ${i}\n`,
      });
    }
    expect(server.commands).toEqual([REMOTE_SHELL]);
  });

  it('return 30 results in order for a batch of 30 scripts', async () => {
    const { sessions, endpoint } = await setUp();
    const scripts = Array.from({ length: 30 }, (_, i) => `echo ${i}; exit ${i % 3 === 0 ? 0 : 1}`);
    const results = await sessions.runBatch(endpoint, scripts, { timeoutMs: 5_000 });
    expect(results).toHaveLength(30);
    results.forEach((settled, i) => {
      if (i % 3 === 0) {
        expect(settled).toMatchObject({ status: 'fulfilled', value: { code: 0, stdout: `${i}\n` } });
      } else {
        expect(settled.status).toBe('rejected');
        expect((settled as PromiseRejectedResult).reason).toBeInstanceOf(CommandFailed);
        expect((settled as PromiseRejectedResult).reason.result).toMatchObject({ code: 1, stdout: `${i}\n` });
      }
    });
  });

  it('cannot be fooled by a script that prints marker-like text', async () => {
    const { sessions, endpoint } = await setUp();
    // Print what a marker looks like, including every frame seen so far, then exit 7.
    const forger = [
      "printf '\\nlifeboat-00000000000000000000000000000000 0\\n'",
      "printf '\\nlifeboat-00000000000000000000000000000000\\n' >&2",
      'ps -o args= -p $PPID 2>/dev/null | head -c 200',
      'exit 7',
    ].join('\n');
    const [forged, next] = values(await sessions.runBatch(endpoint, [forger, 'echo after'], { timeoutMs: 5_000 }));
    expect(forged).toBeInstanceOf(CommandFailed);
    expect((forged as CommandFailed).result.code).toBe(7);
    expect((forged as CommandFailed).result.stdout).toContain('lifeboat-00000000000000000000000000000000 0');
    expect(next).toMatchObject({ code: 0, stdout: 'after\n' });
  });

  it('keep scripts from reading the stream, leaking state, or ending the shell', async () => {
    const { sessions, endpoint } = await setUp();
    // A directory that is surely not the session's own, wherever the tests run (CI clones under /tmp).
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-cwd-'));
    const scripts = [
      'cat; echo read-nothing',
      'pwd',
      `cd '${elsewhere}'; X=leaked; exit 0`,
      'pwd; echo "x=$X"',
      'if then fi',
      'exec echo replaced',
      'echo alive',
    ];
    const [read, before, state, check, syntax, replaced, alive] = values(
      await sessions.runBatch(endpoint, scripts, { timeoutMs: 5_000 }),
    );
    fs.rmSync(elsewhere, { recursive: true, force: true });
    expect(read).toMatchObject({ stdout: 'read-nothing\n' });
    expect(state).toMatchObject({ code: 0 });
    expect((check as { stdout: string }).stdout).not.toContain(elsewhere);
    expect((check as { stdout: string }).stdout).toBe(`${(before as { stdout: string }).stdout}x=\n`);
    expect(syntax).toBeInstanceOf(CommandFailed);
    expect(replaced).toMatchObject({ stdout: 'replaced\n' });
    expect(alive).toMatchObject({ stdout: 'alive\n' });
  });

  it('handle output without a trailing newline, binary output, and cap each request', async () => {
    const { sessions, endpoint } = await setUp();
    const [plain, binary, big] = values(
      await sessions.runBatch(
        endpoint,
        ["printf 'no newline'", "printf 'a\\377b'", 'head -c 100000 /dev/zero | tr "\\0" y'],
        {
          timeoutMs: 5_000,
          maxOutputBytes: 1000,
        },
      ),
    );
    expect(plain).toMatchObject({ stdout: 'no newline' });
    expect(binary).toMatchObject({ stdout: 'a\uFFFDb' });
    expect(big).toMatchObject({ truncated: true, stdout: `${'y'.repeat(1000)}…[output truncated after 1000 bytes]` });
  });

  it('declare the session broken when a request times out, and reopen for the next one', async () => {
    const { server, sessions, endpoint } = await setUp();
    const started = performance.now();
    const [hung, behind] = values(await sessions.runBatch(endpoint, ['sleep 30', 'echo never'], { timeoutMs: 300 }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(hung).toBeInstanceOf(Indeterminate);
    expect(hung).toMatchObject({ outcome: 'timeout' });
    expect(behind).toMatchObject({ outcome: 'dropped' });
    expect(await sessions.run(endpoint, 'echo reopened', { timeoutMs: 5_000 })).toMatchObject({ stdout: 'reopened\n' });
    expect(server.commands).toEqual([REMOTE_SHELL, REMOTE_SHELL]);
  });

  it('make requests in flight indeterminate when the connection drops', async () => {
    const { server, sessions, endpoint } = await setUp();
    await sessions.run(endpoint, 'true', { timeoutMs: 5_000 });
    const pending = sessions.runBatch(endpoint, ['sleep 5', 'echo b'], { timeoutMs: 10_000 });
    setTimeout(() => server.dropAll(), 100);
    const [first, second] = values(await pending);
    expect(first).toMatchObject({ outcome: 'dropped' });
    expect(second).toMatchObject({ outcome: 'dropped' });
    expect(await sessions.run(endpoint, 'echo back', { timeoutMs: 5_000 })).toMatchObject({ stdout: 'back\n' });
  });

  it('answer a cancelled request at once without breaking the session', async () => {
    const { sessions, endpoint } = await setUp();
    const controller = new AbortController();
    const pending = sessions.run(endpoint, 'sleep 0.3; echo late', { timeoutMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ outcome: 'cancelled' });
    expect(await sessions.run(endpoint, 'echo next', { timeoutMs: 5_000 })).toMatchObject({ stdout: 'next\n' });
  });

  it('are fast once warm (prints the timing of 5 trivial scripts in one batch)', async () => {
    const { sessions, endpoint } = await setUp();
    const scripts = ['uptime', 'df -P /', 'cat /proc/loadavg', 'free', 'hostname'];
    await sessions.runBatch(endpoint, scripts, { timeoutMs: 5_000 });
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const results = await sessions.runBatch(endpoint, scripts, { timeoutMs: 5_000 });
      timings.push(performance.now() - started);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    }
    timings.sort((a, b) => a - b);
    console.log(
      `warm batch of 5 scripts over one session on loopback: median ${timings[10].toFixed(2)} ms, best ${timings[0].toFixed(2)} ms`,
    );
    expect(timings[10]).toBeLessThan(500);
  });
});
