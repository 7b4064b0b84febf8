import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyChanged, HostKeyUnknown } from '../../../electron/ssh/errors';
import { exec } from '../../../electron/ssh/exec';
import {
  MemoryHostKeyPins,
  classifyHostKey,
  hostKeyAlgorithms,
  keyTypeOf,
  sha256Fingerprint,
} from '../../../electron/ssh/host-keys';
import type { ConnectionPool } from '../../../electron/ssh/pool';
import { makeKey, type TestSshServer } from '../../helpers/ssh-server';
import { keyTypeOfFile, makeKeys, pinsTrusting, serverFor, testPool, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

const open: { server?: TestSshServer; pool?: ConnectionPool }[] = [];
afterEach(async () => {
  for (const { server, pool } of open.splice(0)) {
    pool?.dispose();
    await server?.close();
  }
});

const blobOf = (publicPath: string) => Buffer.from(fs.readFileSync(publicPath, 'utf8').split(' ')[1], 'base64');

describe('host key fingerprints', () => {
  it('match ssh-keygen -lf for ed25519, ecdsa and rsa keys', () => {
    for (const type of ['ed25519', 'ecdsa', 'rsa'] as const) {
      const key = makeKey(lab.dir, `fp_${type}`, type);
      expect(sha256Fingerprint(blobOf(key.publicPath))).toBe(key.fingerprint);
      expect(keyTypeOf(blobOf(key.publicPath))).toBe(keyTypeOfFile(key.publicPath));
    }
  });

  it('classifies new, matching and changed keys, a pin of another type counting as changed', () => {
    const presented = { keyType: 'ssh-ed25519', fingerprint: 'SHA256:new' };
    expect(classifyHostKey(presented, []).status).toBe('new');
    expect(classifyHostKey(presented, [{ keyType: 'ssh-ed25519', fingerprint: 'SHA256:new' }]).status).toBe('match');
    expect(classifyHostKey(presented, [{ keyType: 'ssh-ed25519', fingerprint: 'SHA256:old' }])).toEqual({
      status: 'changed',
      pinned: { keyType: 'ssh-ed25519', fingerprint: 'SHA256:old' },
    });
    expect(classifyHostKey(presented, [{ keyType: 'ssh-rsa', fingerprint: 'SHA256:rsa' }]).status).toBe('changed');
  });

  it('offers the algorithms of pinned key types first', () => {
    expect(hostKeyAlgorithms([{ keyType: 'ssh-rsa', fingerprint: 'x' }]).slice(0, 4)).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
    expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
    expect(new Set(hostKeyAlgorithms([{ keyType: 'ecdsa-sha2-nistp256', fingerprint: 'x' }])).size).toBe(7);
  });
});

describe('host key verification', () => {
  it('refuses an unknown key and reports its SHA256 fingerprint, sending nothing', async () => {
    const { server, endpoint } = await serverFor(lab);
    const pool = testPool({ pins: new MemoryHostKeyPins() });
    open.push({ server, pool });
    const error = await pool.acquire(endpoint).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyUnknown);
    expect(error).toMatchObject({
      problem: 'host_key_unknown',
      keyType: 'ssh-ed25519',
      fingerprint: lab.hostKey.fingerprint,
      port: server.port,
    });
    expect(server.authAttempts).toBe(0);
    expect(pool.size).toBe(0);
  });

  it('accepts a pinned key and runs a command', async () => {
    const { server, endpoint } = await serverFor(lab);
    const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
    open.push({ server, pool });
    const connection = await pool.acquire(endpoint);
    expect(connection.hostKey.fingerprint).toBe(lab.hostKey.fingerprint);
    const result = await exec(connection, 'echo hello', { timeoutMs: 5_000 });
    expect(result.stdout).toBe('hello\n');
  });

  it('refuses a changed key before authentication, with both fingerprints', async () => {
    const { server, endpoint } = await serverFor(lab, { hostKey: lab.otherHostKey });
    const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
    open.push({ server, pool });
    const error = await pool.acquire(endpoint).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyChanged);
    expect(error).toMatchObject({
      problem: 'host_key_changed',
      pinnedFingerprint: lab.hostKey.fingerprint,
      presentedFingerprint: lab.otherHostKey.fingerprint,
    });
    expect((error as Error).message).toContain(lab.hostKey.fingerprint);
    expect((error as Error).message).toContain(lab.otherHostKey.fingerprint);
    expect(server.authAttempts).toBe(0);
  });

  it('refuses a host that now presents a key of another type than the pinned one', async () => {
    const ecdsa = makeKey(lab.dir, 'host_ecdsa', 'ecdsa');
    const { server, endpoint } = await serverFor(lab, { hostKey: ecdsa });
    const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
    open.push({ server, pool });
    const error = await pool.acquire(endpoint).catch((e: unknown) => e);
    expect(error).toMatchObject({
      problem: 'host_key_changed',
      keyType: 'ecdsa-sha2-nistp256',
      presentedFingerprint: ecdsa.fingerprint,
    });
    expect(server.authAttempts).toBe(0);
  });

  it('a scan learns the presented key without authenticating', async () => {
    const { server, endpoint } = await serverFor(lab);
    const pool = testPool({ pins: new MemoryHostKeyPins() });
    open.push({ server, pool });
    const key = await pool.scanHostKey(endpoint);
    expect(key).toMatchObject({ keyType: 'ssh-ed25519', fingerprint: lab.hostKey.fingerprint });
    expect(Buffer.from(key.publicKey, 'base64')).toEqual(blobOf(lab.hostKey.publicPath));
    expect(server.authAttempts).toBe(0);
    expect(server.commands).toEqual([]);
  });
});
