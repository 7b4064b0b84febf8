import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { createEnv } from '../../../electron/cli/env';
import { registerHostCommands } from '../../../electron/cli/hosts';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import { endpointForServer } from '../../../electron/ssh/endpoint';
import { exec } from '../../../electron/ssh/exec';
import { createSshRuntime, type SshRuntime } from '../../../electron/ssh/runtime';
import type { HostKeyPin, HostKeyScan } from '../../../shared/contract/hosts';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { makeKeys, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

let server: TestSshServer | undefined;
let ws: TempWorkspace | undefined;
let serverId: number;
/** A runtime of its own for the direct connections, reading the pins the hosts.* methods keep. */
let runtime: SshRuntime | undefined;
const sshRuntime = (ws: TempWorkspace) => (runtime ??= createSshRuntime(ws.db));
afterEach(async () => {
  runtime?.dispose();
  runtime = undefined;
  ws?.cleanup();
  await server?.close();
  ws = undefined;
  server = undefined;
});

async function setUp(): Promise<{ server: TestSshServer; ws: TempWorkspace }> {
  server = await startSshServer({ hostKey: lab.hostKey, authorizedKeys: [lab.clientKey.publicPath] });
  ws = openTempWorkspace();
  const saved = await ws.ok<{ id: number }>('servers.save', {
    name: 'web-a',
    ssh: {
      host: server.host,
      port: server.port,
      user: 'root',
      auth: { kind: 'key', keyPath: lab.clientKey.privatePath },
    },
  });
  serverId = saved.id;
  return { server, ws };
}

const FAKE = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('migration 0002', () => {
  it('creates host_key_pins, unique per host, port and key type', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 2),
    );
    const pin: HostKeyPin = {
      host: 'h',
      port: 22,
      keyType: 'ssh-ed25519',
      fingerprint: FAKE,
      publicKey: 'AAAA',
      pinnedAt: 'now',
      pinnedBy: 'me',
    };
    insertHostKeyPin(db, pin);
    insertHostKeyPin(db, { ...pin, keyType: 'ssh-rsa' });
    insertHostKeyPin(db, { ...pin, port: 2222 });
    expect(() => insertHostKeyPin(db, { ...pin, fingerprint: 'SHA256:other' })).toThrow(/UNIQUE/);
    expect(() => insertHostKeyPin(db, { ...pin, keyType: 'x', fingerprint: 'md5:aa' })).toThrow(/CHECK/);
    db.close();
  });
});

describe('hosts.* methods', () => {
  it('scan shows a new key without logging in; trust pins only the confirmed key; the pool then connects', async () => {
    const { server, ws } = await setUp();
    const scan = await ws.ok<HostKeyScan>('hosts.scanKey', { serverId });
    expect(scan).toEqual({
      host: server.host,
      port: server.port,
      keyType: 'ssh-ed25519',
      fingerprint: lab.hostKey.fingerprint,
      pinned: null,
      status: 'new',
    });
    expect(server.authAttempts).toBe(0);

    const wrong = await ws.dispatcher.dispatch('hosts.trust', { serverId, keyType: 'ssh-ed25519', fingerprint: FAKE });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await ws.ok('hosts.pins')).toEqual([]);

    const pin = await ws.ok<HostKeyPin>('hosts.trust', {
      serverId,
      keyType: 'ssh-ed25519',
      fingerprint: lab.hostKey.fingerprint,
    });
    expect(pin).toMatchObject({ host: server.host, port: server.port, fingerprint: lab.hostKey.fingerprint });
    expect(Date.parse(pin.pinnedAt)).not.toBeNaN();
    expect(await ws.ok<HostKeyPin[]>('hosts.pins')).toEqual([pin]);
    expect(
      await ws.ok('hosts.trust', { serverId, keyType: 'ssh-ed25519', fingerprint: lab.hostKey.fingerprint }),
    ).toEqual(pin);
    expect(await ws.ok<HostKeyScan>('hosts.scanKey', { serverId })).toMatchObject({
      status: 'match',
      pinned: lab.hostKey.fingerprint,
    });

    const connection = await sshRuntime(ws).pool.acquire(endpointForServer(ws.db, serverId));
    expect((await exec(connection, 'echo trusted', { timeoutMs: 5_000 })).stdout).toBe('trusted\n');
  });

  it('a changed key is shown as changed, never re-pinned by trust, and needs an explicit forget', async () => {
    const { server, ws } = await setUp();
    insertHostKeyPin(ws.db, {
      host: server.host,
      port: server.port,
      keyType: 'ssh-ed25519',
      fingerprint: FAKE,
      publicKey: 'AAAA',
      pinnedAt: 'then',
      pinnedBy: 'me',
    });
    expect(await ws.ok<HostKeyScan>('hosts.scanKey', { serverId })).toMatchObject({
      status: 'changed',
      pinned: FAKE,
      fingerprint: lab.hostKey.fingerprint,
    });
    const refused = await ws.dispatcher.dispatch('hosts.trust', {
      serverId,
      keyType: 'ssh-ed25519',
      fingerprint: lab.hostKey.fingerprint,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(refused.ok ? '' : refused.error.message).toMatch(/forget its pin first/);
    await expect(sshRuntime(ws).pool.acquire(endpointForServer(ws.db, serverId))).rejects.toMatchObject({
      problem: 'host_key_changed',
    });
    expect(server.authAttempts).toBe(0);

    expect(await ws.ok('hosts.forget', { serverId })).toEqual({
      serverId,
      host: server.host,
      port: server.port,
      forgotten: 1,
    });
    expect(
      await ws.ok<HostKeyPin>('hosts.trust', {
        serverId,
        keyType: 'ssh-ed25519',
        fingerprint: lab.hostKey.fingerprint,
      }),
    ).toMatchObject({
      fingerprint: lab.hostKey.fingerprint,
    });
    // The forget and the trust are in the audit log; the refused trust is not (nothing changed).
    const changes = (
      ws.db.prepare("SELECT detail FROM audit_log WHERE kind = 'change' ORDER BY id").all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .filter((d) => /host key/.test(d));
    expect(changes).toEqual([
      `forgot 1 pinned host key(s) of server #${serverId} (${server.host}:${server.port})`,
      `trusted the ssh-ed25519 host key ${lab.hostKey.fingerprint} of server #${serverId} (${server.host}:${server.port})`,
    ]);
  });

  it('validates the input of trust at the contract', async () => {
    const { ws } = await setUp();
    const bad = await ws.dispatcher.dispatch('hosts.trust', { serverId, keyType: 'ssh-dss', fingerprint: 'MD5:aa' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('importSshConfig returns drafts and problems and saves nothing', async () => {
    const { ws } = await setUp();
    const result = await ws.ok<{ hosts: { alias: string; draft: unknown }[] }>('hosts.importSshConfig', {
      text: 'Host files-a\n  HostName 10.77.0.41\n',
    });
    expect(result.hosts[0]).toMatchObject({
      alias: 'files-a',
      draft: { name: 'files-a', ssh: { host: '10.77.0.41' } },
    });
    expect((await ws.ok<{ servers: unknown[] }>('workspace.snapshot')).servers).toHaveLength(1);
  });
});

describe('lifeboat trust / untrust / hosts / import-ssh-config', () => {
  const run = async (ws: TempWorkspace, argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--db', ws.file, ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('pins non-interactively only with the matching --fingerprint', async () => {
    const { server, ws } = await setUp();
    const wrong = await run(ws, ['trust', 'web-a', '--fingerprint', FAKE]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(lab.hostKey.fingerprint);
    const right = await run(ws, ['trust', 'web-a', '--fingerprint', lab.hostKey.fingerprint]);
    expect(right).toMatchObject({ code: 0 });
    expect(right.out).toContain(`trusted web-a: ${server.host}:${server.port} ssh-ed25519 ${lab.hostKey.fingerprint}`);
    expect((await run(ws, ['trust', 'web-a'])).out).toContain('already trusted');
    expect((await run(ws, ['hosts'])).out).toContain(lab.hostKey.fingerprint);
    expect((await run(ws, ['untrust', 'web-a'])).out).toContain('forgot 1 pinned key');
    expect((await run(ws, ['trust', 'nosuch'])).code).toBe(2);
  });

  it('asks for a typed yes, and pins nothing on any other answer', async () => {
    const { server, ws } = await setUp();
    const questions: string[] = [];
    const answers = ['no', 'yes'];
    const out: string[] = [];
    const program = new Command('lifeboat').exitOverride();
    const env = createEnv({ out: (t) => out.push(t), err: (t) => out.push(t) }, () => ws.file);
    registerHostCommands(program, env, async (question) => (questions.push(question), answers.shift() ?? null));
    await expect(program.parseAsync(['trust', 'web-a'], { from: 'user' })).rejects.toMatchObject({ code: 1 });
    await program.parseAsync(['trust', 'web-a'], { from: 'user' });
    expect(questions[0]).toBe(
      `${server.host}:${server.port} ssh-ed25519 ${lab.hostKey.fingerprint} — type 'yes' to trust: `,
    );
    expect(out.join('\n')).toContain('not trusted: nothing was pinned');
    expect(out.join('\n')).toContain('trusted web-a');
  });

  it('imports an SSH config file and prints what it would add', async () => {
    const { ws } = await setUp();
    const file = path.join(ws.dir, 'ssh_config');
    fs.writeFileSync(file, 'Host gw-a\n  HostName 10.77.0.11\n  User root\nHost broken\n  Port 0\n');
    const result = await run(ws, ['import-ssh-config', file]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('gw-a                 root@10.77.0.11:22 agent');
    expect(result.out).toContain('broken               not importable');
    expect(result.out).toContain('1 of 2 hosts can be added (nothing was saved)');
  });
});
