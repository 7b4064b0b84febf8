/**
 * The password path end to end against an in-process ssh2 server: stored through the contract into
 * a safeStorage-backed store, read by the SSH engine's credential lookup at login; and refused, with
 * the reason, by `serve` (no safeStorage) and by a process with no store at all (the CLI).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADLESS_PASSWORDS } from '../../../electron/cli/workspace';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import { startLiveHost, type LiveHost } from '../../../electron/live';
import { safeStorageSecrets } from '../../../electron/shell/secret-store';
import { refusingSecretStore, type SecretStore } from '../../../electron/ssh/credentials';
import type { CheckResult } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import { FakeSafeStorage } from '../../helpers/fake-electron';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { keyTypeOfFile, makeKeys, type Lab } from './setup';

const PASSWORD = 'pbx-admin-s3cret';

let keys: Lab;
beforeAll(() => {
  keys = makeKeys();
});
afterAll(() => keys.cleanup());

let server: TestSshServer;
let ws: TempWorkspace;
let live: LiveHost | null = null;

afterEach(async () => {
  await live?.dispose();
  live = null;
  ws?.cleanup();
  await server?.close();
});

/** A password-only server, pinned, with an ssh check; `secrets` is the host's store. */
async function setUp(secrets: (ws: TempWorkspace) => SecretStore | undefined): Promise<Server> {
  server = await startSshServer({ hostKey: keys.hostKey, password: PASSWORD });
  ws = openTempWorkspace();
  const pbx = await ws.ok<Server>('servers.save', {
    name: 'pbx',
    ssh: { host: server.host, port: server.port, user: 'admin', auth: { kind: 'password' } },
  });
  insertHostKeyPin(ws.db, {
    host: server.host,
    port: server.port,
    keyType: keyTypeOfFile(keys.hostKey.publicPath),
    fingerprint: keys.hostKey.fingerprint,
    publicKey: 'AAAA',
    pinnedAt: 'now',
    pinnedBy: 'test',
  });
  await ws.ok('checks.save', { kind: 'ssh', name: 'pbx answers', serverId: pbx.id, retries: 0, params: {} });
  const store = secrets(ws);
  if (store) live = startLiveHost(ws, { secrets: store, timeouts: { connectMs: 2_000, handshakeMs: 2_000 } });
  return pbx;
}

async function refusal(method: string, payload: unknown): Promise<string> {
  const envelope = await ws.dispatcher.dispatch(method, payload);
  if (envelope.ok) throw new Error(`${method} was accepted`);
  return envelope.error.message;
}

describe('SSH passwords', () => {
  it('stored in the desktop keyring, log the engine in', async () => {
    const pbx = await setUp((w) => safeStorageSecrets(w.db, new FakeSafeStorage(), 'linux'));
    const before = await ws.ok<CheckResult[]>('checks.runNow', {});
    // No password is a local problem: nothing was exchanged, so the host's state is unknown, not down.
    expect(before[0]).toMatchObject({ status: 'unknown' });
    expect(before[0].summary).toMatch(
      /^Lifeboat cannot log in to pbx \(a local problem.*no password is stored for admin@127\.0\.0\.1/,
    );
    await ws.ok('hosts.setPassword', { serverId: pbx.id, password: PASSWORD });
    const after = await ws.ok<CheckResult[]>('checks.runNow', {});
    expect(after[0]).toMatchObject({ status: 'ok', summary: expect.stringContaining('pbx answers over SSH') });
    expect(server.commands.length).toBeGreaterThan(0);
    expect(JSON.stringify(after)).not.toContain(PASSWORD);
  });

  it('a wrong stored password is an authentication failure, not a success', async () => {
    const pbx = await setUp((w) => safeStorageSecrets(w.db, new FakeSafeStorage(), 'linux'));
    await ws.ok('hosts.setPassword', { serverId: pbx.id, password: 'not-the-password' });
    const [result] = await ws.ok<CheckResult[]>('checks.runNow', {});
    expect(result.status).toBe('fail');
    expect(server.commands).toEqual([]);
  });

  it('are refused by `lifeboat serve`, which has no safeStorage, saying so', async () => {
    const pbx = await setUp(() => refusingSecretStore(HEADLESS_PASSWORDS));
    expect(await refusal('hosts.setPassword', { serverId: pbx.id, password: PASSWORD })).toBe(
      `the password for pbx was not stored: ${HEADLESS_PASSWORDS}`,
    );
    const [result] = await ws.ok<CheckResult[]>('checks.runNow', {});
    // Lifeboat has no way to log in here (a local problem): the host's state is unknown, not down.
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('password login is refused: `lifeboat serve` has no Electron safeStorage');
    expect(server.authAttempts).toBe(0);
  });

  it('are refused by a process with no store (the CLI), saying where they can be kept', async () => {
    const pbx = await setUp(() => undefined);
    expect(await refusal('hosts.setPassword', { serverId: pbx.id, password: PASSWORD })).toMatch(
      /not stored: this process has no secure keyring \(only the Lifeboat desktop app keeps SSH passwords/,
    );
  });
});
