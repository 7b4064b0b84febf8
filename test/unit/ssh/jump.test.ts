import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../electron/ssh/endpoint';
import { HostKeyChanged, HostKeyUnknown } from '../../../electron/ssh/errors';
import { exec } from '../../../electron/ssh/exec';
import { MemoryHostKeyPins } from '../../../electron/ssh/host-keys';
import type { ConnectionPool } from '../../../electron/ssh/pool';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { keyTypeOfFile, makeKeys, testPool, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

const open: { servers: TestSshServer[]; pool: ConnectionPool }[] = [];
afterEach(async () => {
  for (const { servers, pool } of open.splice(0)) {
    pool.dispose();
    for (const server of servers) await server.close();
  }
});

/** A bastion (the jump) and a target behind it, each with its own host key. */
async function twoHops() {
  const jumpServer = await startSshServer({ hostKey: lab.hostKey, authorizedKeys: [lab.clientKey.publicPath] });
  const targetServer = await startSshServer({ hostKey: lab.otherHostKey, authorizedKeys: [lab.clientKey.publicPath] });
  const auth = { kind: 'key' as const, keyPath: lab.clientKey.privatePath };
  const jump: Endpoint = { host: jumpServer.host, port: jumpServer.port, user: 'root', auth, jump: null };
  const target: Endpoint = { host: targetServer.host, port: targetServer.port, user: 'root', auth, jump };
  const pins = new MemoryHostKeyPins();
  const pinJump = () =>
    pins.pin(jumpServer.host, jumpServer.port, {
      keyType: keyTypeOfFile(lab.hostKey.publicPath),
      fingerprint: lab.hostKey.fingerprint,
    });
  const pinTarget = (fingerprint = lab.otherHostKey.fingerprint) =>
    pins.pin(targetServer.host, targetServer.port, {
      keyType: keyTypeOfFile(lab.otherHostKey.publicPath),
      fingerprint,
    });
  const pool = testPool({ pins });
  open.push({ servers: [jumpServer, targetServer], pool });
  return { jumpServer, targetServer, jump, target, pins, pinJump, pinTarget, pool };
}

describe('jump hosts', () => {
  it('reach the target through forwardOut with both host keys verified', async () => {
    const { pool, target, jump, pinJump, pinTarget, targetServer } = await twoHops();
    pinJump();
    pinTarget();
    const connection = await pool.acquire(target);
    expect(connection.hostKey.fingerprint).toBe(lab.otherHostKey.fingerprint);
    expect((await exec(connection, 'echo through', { timeoutMs: 5_000 })).stdout).toBe('through\n');
    expect(targetServer.commands).toHaveLength(1);
    expect(pool.size).toBe(2); // the jump connection is pooled and reused
    expect((await pool.acquire(jump)).isOpen).toBe(true);
  });

  it('refuse an unpinned jump host before touching the target', async () => {
    const { pool, target, pinTarget, jumpServer, targetServer } = await twoHops();
    pinTarget();
    const error = await pool.acquire(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyUnknown);
    expect(error).toMatchObject({ port: jumpServer.port, fingerprint: lab.hostKey.fingerprint });
    expect(jumpServer.authAttempts).toBe(0);
    expect(targetServer.authAttempts).toBe(0);
  });

  it('refuse a target whose key changed, without authenticating to it', async () => {
    const { pool, target, pinJump, pinTarget, targetServer } = await twoHops();
    pinJump();
    pinTarget('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const error = await pool.acquire(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyChanged);
    expect(error).toMatchObject({ port: targetServer.port, presentedFingerprint: lab.otherHostKey.fingerprint });
    expect(targetServer.authAttempts).toBe(0);
  });

  it('scan the target key through the jump', async () => {
    const { pool, target, pinJump } = await twoHops();
    pinJump();
    expect(await pool.scanHostKey(target)).toMatchObject({ fingerprint: lab.otherHostKey.fingerprint });
  });

  it('drop the target connection when the jump connection drops', async () => {
    const { pool, target, jump, pinJump, pinTarget } = await twoHops();
    pinJump();
    pinTarget();
    const connection = await pool.acquire(target);
    (await pool.acquire(jump)).close();
    for (let i = 0; i < 100 && connection.isOpen; i++) await new Promise((r) => setTimeout(r, 20));
    expect(connection.isOpen).toBe(false);
    expect(pool.size).toBe(0);
    expect((await exec(await pool.acquire(target), 'echo again', { timeoutMs: 5_000 })).stdout).toBe('again\n');
  });
});
