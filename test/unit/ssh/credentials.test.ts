import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../electron/ssh/credentials';
import { passwordAccount, type Endpoint } from '../../../electron/ssh/endpoint';
import { exec } from '../../../electron/ssh/exec';
import type { ConnectionPool, PoolOptions } from '../../../electron/ssh/pool';
import { makeKey, startSshServer, type KeyFiles, type TestSshServer } from '../../helpers/ssh-server';
import { makeKeys, pinsTrusting, testPool, type Lab } from './setup';

let lab: Lab;
let keys: Record<'ed25519' | 'ecdsa' | 'rsa' | 'encrypted', KeyFiles>;
beforeAll(() => {
  lab = makeKeys();
  keys = {
    ed25519: lab.clientKey,
    ecdsa: makeKey(lab.dir, 'client_ecdsa', 'ecdsa'),
    rsa: makeKey(lab.dir, 'client_rsa', 'rsa'),
    encrypted: makeKey(lab.dir, 'client_encrypted', 'ed25519', 'correct horse'),
  };
});
afterAll(() => lab.cleanup());

const open: { server: TestSshServer; pool: ConnectionPool }[] = [];
afterEach(async () => {
  for (const { server, pool } of open.splice(0)) {
    pool.dispose();
    await server.close();
  }
});

async function setUp(auth: Endpoint['auth'], options: Omit<PoolOptions, 'pins'> = {}, password?: string) {
  const server = await startSshServer({
    hostKey: lab.hostKey,
    authorizedKeys: Object.values(keys).map((k) => k.publicPath),
    password,
  });
  const pool = testPool({ pins: pinsTrusting(server, lab.hostKey), ...options });
  open.push({ server, pool });
  const endpoint: Endpoint = { host: server.host, port: server.port, user: 'root', auth, jump: null };
  return { server, pool, endpoint };
}

const whoami = async (pool: ConnectionPool, endpoint: Endpoint) =>
  (await exec(await pool.acquire(endpoint), 'echo ok', { timeoutMs: 5_000 })).stdout;

describe('key files', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('logs in with an %s key', async (type) => {
    const { pool, endpoint } = await setUp({ kind: 'key', keyPath: keys[type].privatePath });
    expect(await whoami(pool, endpoint)).toBe('ok\n');
  });

  it('asks for the passphrase of an encrypted key once and keeps the key in memory', async () => {
    const asked: string[] = [];
    const passphrases = async ({ keyPath }: { keyPath: string }) => (asked.push(keyPath), 'correct horse');
    const { pool, endpoint } = await setUp({ kind: 'key', keyPath: keys.encrypted.privatePath }, { passphrases });
    const [first, second] = await Promise.all([pool.acquire(endpoint), pool.acquire(endpoint)]);
    expect(first).toBe(second);
    first.close();
    expect(await whoami(pool, endpoint)).toBe('ok\n'); // a new connection, no new prompt
    expect(asked).toEqual([keys.encrypted.privatePath]);
  });

  it('a wrong passphrase is a clear error, and nothing is cached', async () => {
    let attempts = 0;
    const passphrases = async () => (++attempts === 1 ? 'wrong' : 'correct horse');
    const { server, pool, endpoint } = await setUp(
      { kind: 'key', keyPath: keys.encrypted.privatePath },
      { passphrases },
    );
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'wrong_passphrase' });
    expect(server.authAttempts).toBe(0);
    expect(await whoami(pool, endpoint)).toBe('ok\n');
    expect(attempts).toBe(2);
  });

  it('an encrypted key without a passphrase prompt, or a declined prompt, says so', async () => {
    const bare = await setUp({ kind: 'key', keyPath: keys.encrypted.privatePath });
    await expect(bare.pool.acquire(bare.endpoint)).rejects.toMatchObject({ problem: 'passphrase_required' });
    const declined = await setUp(
      { kind: 'key', keyPath: keys.encrypted.privatePath },
      { passphrases: async () => null },
    );
    await expect(declined.pool.acquire(declined.endpoint)).rejects.toMatchObject({ problem: 'passphrase_required' });
  });

  it('refuses a malformed key, a public key, a missing file and a huge file with typed errors', async () => {
    const malformed = path.join(lab.dir, 'malformed');
    fs.writeFileSync(
      malformed,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotakey\n-----END OPENSSH PRIVATE KEY-----\n',
    );
    const huge = path.join(lab.dir, 'huge');
    fs.writeFileSync(huge, Buffer.alloc(200_000, 65));
    const cases: [string, string][] = [
      [malformed, 'key_malformed'],
      [keys.ed25519.publicPath, 'key_is_public'],
      [path.join(lab.dir, 'missing'), 'key_unreadable'],
      [lab.dir, 'key_unreadable'],
      [huge, 'key_malformed'],
    ];
    for (const [keyPath, problem] of cases) {
      const { server, pool, endpoint } = await setUp({ kind: 'key', keyPath });
      await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem });
      expect(server.authAttempts).toBe(0);
    }
  });

  it('a key the server does not accept is auth_failed', async () => {
    const stranger = makeKey(lab.dir, 'stranger');
    const { pool, endpoint } = await setUp({ kind: 'key', keyPath: stranger.privatePath });
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'auth_failed' });
  });
});

describe('passwords', () => {
  it('come from the secret store only', async () => {
    const secrets = new MemorySecretStore();
    const { pool, endpoint } = await setUp({ kind: 'password' }, { secrets }, 's3cret');
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'password_missing' });
    await secrets.setPassword(passwordAccount(endpoint), 's3cret');
    expect(await whoami(pool, endpoint)).toBe('ok\n');
  });

  it('are refused where the store has no real keyring', async () => {
    const secrets = new MemorySecretStore(false);
    const { server, pool, endpoint } = await setUp({ kind: 'password' }, { secrets }, 's3cret');
    await secrets.setPassword(passwordAccount(endpoint), 's3cret');
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'no_keyring' });
    expect(server.authAttempts).toBe(0);
  });

  it('are refused with no store at all', async () => {
    const { pool, endpoint } = await setUp({ kind: 'password' }, {}, 's3cret');
    await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'no_keyring' });
  });
});

describe('the SSH agent', () => {
  let agent: { socket: string; pid: number } | null = null;
  let reason = '';
  beforeAll(async () => {
    try {
      execFileSync('ssh-agent', ['-h'], { stdio: 'ignore' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') reason = 'ssh-agent is not installed';
    }
    if (reason) return;
    const socket = path.join(lab.dir, 'agent.sock');
    const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    if (!fs.existsSync(socket)) {
      child.kill();
      reason = 'ssh-agent did not start';
      return;
    }
    agent = { socket, pid: child.pid as number };
    execFileSync('ssh-add', [keys.ecdsa.privatePath], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
      stdio: 'ignore',
    });
  });
  afterAll(() => {
    if (agent) process.kill(agent.pid);
  });

  it('logs in with a key held by the agent', async (ctx) => {
    if (!agent) {
      console.log(`skipping agent test: ${reason}`);
      return ctx.skip();
    }
    const { pool, endpoint } = await setUp({ kind: 'agent' }, { agentSocket: agent.socket });
    expect(await whoami(pool, endpoint)).toBe('ok\n');
  });

  it('says so when no agent is running', async () => {
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const { pool, endpoint } = await setUp({ kind: 'agent' });
      await expect(pool.acquire(endpoint)).rejects.toMatchObject({ problem: 'agent_unavailable' });
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
