import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CommandFailed, Indeterminate, SshError } from '../../../electron/ssh/errors';
import { REMOTE_SHELL, exec } from '../../../electron/ssh/exec';
import type { ConnectionPool } from '../../../electron/ssh/pool';
import { sh, word } from '../../../electron/ssh/quote';
import { startSilentServer, type ExecHandler, type TestSshServer } from '../../helpers/ssh-server';
import { makeKeys, pinsTrusting, serverFor, testPool, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

const open: { server?: TestSshServer; pool?: ConnectionPool; close?: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const { server, pool, close } of open.splice(0)) {
    pool?.dispose();
    await server?.close();
    await close?.();
  }
});

async function connect(onExec?: ExecHandler, sessionChannel?: 'accept' | 'hang') {
  const { server, endpoint } = await serverFor(lab, { onExec, sessionChannel });
  const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
  open.push({ server, pool });
  return { server, pool, endpoint, connection: await pool.acquire(endpoint) };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as Error,
  );

describe('exec', () => {
  it('runs the constant remote shell and sends the script on stdin', async () => {
    const { server, connection } = await connect();
    const script = sh`printf '%s\n' ${word.path('/tmp/a b; $(reboot)')} "$0"`;
    const result = await exec(connection, script, { timeoutMs: 5_000 });
    expect(result).toMatchObject({
      code: 0,
      signal: null,
      stdout: '/tmp/a b; $(reboot)\n/bin/sh\n',
      stderr: '',
      truncated: false,
    });
    expect(server.commands).toEqual([REMOTE_SHELL]);
    expect((await exec(connection, 'locale | grep LC_ALL', { timeoutMs: 5_000 })).stdout).toContain('LC_ALL=C');
  });

  it('applies the exit-code policy: failed carries the result; okCodes widen success', async () => {
    const { connection } = await connect();
    const error = await failure(exec(connection, 'echo oops >&2; exit 3', { timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(CommandFailed);
    expect(error).toMatchObject({ outcome: 'failed', result: { code: 3, stderr: 'oops\n' } });
    expect(error?.message).toContain('status 3: oops');
    expect((await exec(connection, 'exit 3', { timeoutMs: 5_000, okCodes: [0, 3] })).code).toBe(3);
  });

  it('a command that never exits is indeterminate (timeout), never failed', async () => {
    const { connection } = await connect();
    const started = Date.now();
    const error = await failure(exec(connection, 'echo started; sleep 30', { timeoutMs: 300 }));
    expect(error).toBeInstanceOf(Indeterminate);
    expect(error).toMatchObject({ outcome: 'timeout', scriptSent: true, result: { code: null, stdout: 'started\n' } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a host that authenticates but never opens the channel hits the channel deadline: indeterminate', async () => {
    const { connection } = await connect(undefined, 'hang');
    const error = await failure(exec(connection, 'true', { timeoutMs: 400 }));
    expect(error).toBeInstanceOf(Indeterminate);
    expect(error).toMatchObject({ outcome: 'timeout', scriptSent: false });
    // The caller's short budget ends only its own call; the connection's channel deadline (1.5 s
    // here) passing without an answer means it is stuck: then it is closed, and so evicted.
    expect(connection.isOpen).toBe(true);
    const deadline = Date.now() + 3_000;
    while (connection.isOpen && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connection.isOpen).toBe(false);
  });

  it('caps endless output with a marker and keeps memory bounded', async () => {
    const { connection } = await connect();
    const before = process.memoryUsage().rss;
    const error = await failure(exec(connection, 'yes lifeboat', { timeoutMs: 1_500, maxOutputBytes: 64 * 1024 }));
    expect(error).toMatchObject({ outcome: 'timeout' });
    const result = (error as Indeterminate).result;
    expect(result.truncated).toBe(true);
    expect(result.stdout.endsWith(`…[output truncated after ${64 * 1024} bytes]`)).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(64 * 1024 + 100);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('caps finite output of a command that exits, keeping the exit status', async () => {
    const { connection } = await connect();
    const result = await exec(connection, 'head -c 300000 /dev/zero | tr "\\0" x', {
      timeoutMs: 5_000,
      maxOutputBytes: 1000,
    });
    expect(result).toMatchObject({ code: 0, truncated: true });
    expect(result.stdout).toBe(`${'x'.repeat(1000)}…[output truncated after 1000 bytes]`);
  });

  it('keeps binary output as text with replacement characters', async () => {
    const { connection } = await connect();
    const result = await exec(connection, "printf 'a\\377\\376b\\000c'", { timeoutMs: 5_000 });
    expect(result.stdout).toBe('a\uFFFD\uFFFDb\u0000c');
  });

  it('a connection dropped mid-command is indeterminate (dropped), and the pool forgets it', async () => {
    const dropper: ExecHandler = (_command, channel, connection) => {
      channel.write('partial\n');
      setTimeout(() => (connection as unknown as { _sock: { destroy(): void } })._sock.destroy(), 100);
    };
    const { pool, endpoint, connection } = await connect(dropper);
    const error = await failure(exec(connection, 'anything', { timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(Indeterminate);
    expect(error).toMatchObject({ outcome: 'dropped', scriptSent: true, result: { code: null, stdout: 'partial\n' } });
    expect(pool.size).toBe(0);
    // The next use reconnects.
    expect(await pool.acquire(endpoint)).not.toBe(connection);
  });

  it('keeps the exit status of a command that ends in the same packet as the channel confirmation', async () => {
    const instant: ExecHandler = (_command, channel) => {
      channel.write('done\n');
      channel.exit(4);
      channel.end();
    };
    const { connection } = await connect(instant);
    for (let i = 0; i < 10; i++) {
      expect(await exec(connection, 'true', { timeoutMs: 5_000, okCodes: [4] })).toMatchObject({
        code: 4,
        stdout: 'done\n',
      });
    }
  });

  it('a shell ended by a signal, or closed without any exit status, is indeterminate', async () => {
    const killed: ExecHandler = (_command, channel) => {
      channel.exit('KILL', false, '');
      channel.end();
    };
    const { connection } = await connect(killed);
    expect(await failure(exec(connection, 'true', { timeoutMs: 5_000 }))).toMatchObject({
      outcome: 'dropped',
      result: { code: null, signal: 'SIGKILL' },
    });
    const { connection: silent } = await connect((_command, channel) => channel.end());
    expect(await failure(exec(silent, 'true', { timeoutMs: 5_000 }))).toMatchObject({
      outcome: 'dropped',
      result: { code: null },
    });
  });

  it('cancellation stops the wait and is indeterminate once the script was sent', async () => {
    const { connection } = await connect();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(exec(connection, 'sleep 30', { timeoutMs: 10_000, signal: controller.signal }));
    expect(error).toMatchObject({ outcome: 'cancelled', scriptSent: true });
  });

  it('refuses scripts with NUL and calls without a deadline as bugs, not user errors', async () => {
    const { connection } = await connect();
    await expect(exec(connection, 'echo \u0000', { timeoutMs: 1_000 })).rejects.toBeInstanceOf(TypeError);
    await expect(exec(connection, 'true', { timeoutMs: 0 })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('connection deadlines', () => {
  it('a host that accepts TCP and never sends its banner hits the handshake deadline', async () => {
    const silent = await startSilentServer();
    const pool = testPool({
      pins: pinsTrusting({ host: '127.0.0.1', port: silent.port }, lab.hostKey),
      timeouts: { handshakeMs: 500 },
    });
    open.push({ pool, close: silent.close });
    const started = Date.now();
    const endpoint = {
      host: '127.0.0.1',
      port: silent.port,
      user: 'root',
      auth: { kind: 'key' as const, keyPath: lab.clientKey.privatePath },
      jump: null,
    };
    const error = await failure(pool.acquire(endpoint));
    expect(error).toBeInstanceOf(SshError);
    expect(error).toMatchObject({ problem: 'handshake_timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a closed port is reported as unreachable', async () => {
    const silent = await startSilentServer();
    await silent.close();
    const pool = testPool({ pins: pinsTrusting({ host: '127.0.0.1', port: silent.port }, lab.hostKey) });
    open.push({ pool });
    const endpoint = {
      host: '127.0.0.1',
      port: silent.port,
      user: 'root',
      auth: { kind: 'key' as const, keyPath: lab.clientKey.privatePath },
      jump: null,
    };
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'unreachable' });
  });

  it('cancelling a connect returns at once', async () => {
    const silent = await startSilentServer();
    const pool = testPool({
      pins: pinsTrusting({ host: '127.0.0.1', port: silent.port }, lab.hostKey),
      timeouts: { handshakeMs: 5_000 },
    });
    open.push({ pool, close: silent.close });
    const endpoint = {
      host: '127.0.0.1',
      port: silent.port,
      user: 'root',
      auth: { kind: 'key' as const, keyPath: lab.clientKey.privatePath },
      jump: null,
    };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    await expect(pool.acquire(endpoint, { signal: controller.signal })).rejects.toMatchObject({ problem: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keepalive notices a host that stops answering: the command is indeterminate and the connection evicted', async () => {
    const { server, endpoint } = await serverFor(lab);
    const pool = testPool({
      pins: pinsTrusting(server, lab.hostKey),
      timeouts: { keepaliveIntervalMs: 100, keepaliveCountMax: 2 },
    });
    open.push({ server, pool });
    const connection = await pool.acquire(endpoint);
    const running = failure(exec(connection, 'sleep 30', { timeoutMs: 10_000 }));
    setTimeout(() => server.freezeAll(), 100);
    const started = Date.now();
    expect(await running).toMatchObject({ outcome: 'dropped', scriptSent: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(connection.isOpen).toBe(false);
    expect(pool.size).toBe(0);
  });

  it('reuses one connection per endpoint and closes everything on dispose', async () => {
    const { pool, endpoint, connection } = await connect();
    const [a, b] = await Promise.all([pool.acquire(endpoint), pool.acquire(endpoint)]);
    expect(a).toBe(connection);
    expect(b).toBe(connection);
    expect(pool.size).toBe(1);
    pool.dispose();
    expect(connection.isOpen).toBe(false);
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'closed' });
  });
});
