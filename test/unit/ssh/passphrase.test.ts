/**
 * The passphrase of an encrypted key file, asked through the contract in a long-lived host and
 * answered like the window would: asked once, asked again after a wrong answer, declined or
 * unanswered means no login; the passphrase never comes back in an event.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import { startLiveHost, type LiveHost, type LiveHostOptions } from '../../../electron/live';
import type { CheckResult } from '../../../shared/checks';
import type { PassphraseRequest } from '../../../shared/contract/hosts';
import type { Server } from '../../../shared/domain';
import { makeKey, startSshServer, type KeyFiles, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { keyTypeOfFile, makeKeys, type Lab } from './setup';

const PASSPHRASE = 'open sesame 42';

let keys: Lab;
let encrypted: KeyFiles;
beforeAll(() => {
  keys = makeKeys();
  encrypted = makeKey(keys.dir, 'client_encrypted', 'ed25519', PASSPHRASE);
});
afterAll(() => keys.cleanup());

let server: TestSshServer;
let ws: TempWorkspace;
let live: LiveHost | null = null;
let events: { event: string; payload: unknown }[];

afterEach(async () => {
  await live?.dispose();
  live = null;
  ws?.cleanup();
  await server?.close();
});

/** A server that takes the encrypted key; `answers` are given in turn to each question. */
async function setUp(answers: (string | null | 'silence')[], options: LiveHostOptions = {}): Promise<void> {
  server = await startSshServer({ hostKey: keys.hostKey, authorizedKeys: [encrypted.publicPath] });
  ws = openTempWorkspace();
  const web = await ws.ok<Server>('servers.save', {
    name: 'web-a',
    ssh: { host: server.host, port: server.port, auth: { kind: 'key', keyPath: encrypted.privatePath } },
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
  await ws.ok('checks.save', { kind: 'ssh', name: 'web-a answers', serverId: web.id, retries: 0, params: {} });
  events = [];
  ws.dispatcher.subscribe((event, payload) => {
    events.push({ event, payload });
    if (event !== 'hosts.passphraseRequested') return;
    const answer = answers.shift();
    if (answer === 'silence' || answer === undefined) return;
    void ws.dispatcher.dispatch('hosts.answerPassphrase', {
      requestId: (payload as PassphraseRequest).requestId,
      passphrase: answer,
    });
  });
  live = startLiveHost(ws, options);
}

const questions = () =>
  events.filter((e) => e.event === 'hosts.passphraseRequested').map((e) => e.payload as PassphraseRequest);
const runNow = async () => (await ws.ok<CheckResult[]>('checks.runNow', {}))[0];

describe('the passphrase of an encrypted key', () => {
  it('is asked once through the contract, then the decrypted key is reused', async () => {
    await setUp([PASSPHRASE]);
    expect(await runNow()).toMatchObject({ status: 'ok' });
    expect(questions()).toEqual([
      { requestId: expect.any(String), keyPath: encrypted.privatePath, attempt: 1, expiresAt: expect.any(Number) },
    ]);
    expect(events.map((e) => e.event)).toContain('hosts.passphraseSettled');
    // The host drops the connection: the new login uses the key decrypted in memory, without asking.
    server.dropAll();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await runNow();
    expect(again.status).toBe('ok');
    expect(questions()).toHaveLength(1);
    expect(await ws.ok('hosts.pendingPassphrases')).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(PASSPHRASE);
  });

  it('is asked again after a wrong one, and the key works once it is right', async () => {
    await setUp(['not it', PASSPHRASE]);
    const first = await runNow();
    expect(first.status).toBe('unknown');
    expect(first.summary).toContain('the passphrase for');
    expect(await runNow()).toMatchObject({ status: 'ok' });
    expect(questions().map((q) => q.attempt)).toEqual([1, 2]);
  });

  it('declined, means no login and says why, and is not asked again for a while', async () => {
    await setUp([null, PASSPHRASE], { passphraseQuietMs: 500 });
    const result = await runNow();
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('is encrypted and no passphrase was given');
    expect(server.authAttempts).toBe(0);
    // Right after a decline (a sweep every few seconds, say), no new question.
    expect((await runNow()).status).toBe('unknown');
    expect(questions()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await runNow()).toMatchObject({ status: 'ok' });
    // Asked afresh, not as a retry after a wrong passphrase.
    expect(questions().map((q) => q.attempt)).toEqual([1, 1]);
  });

  it('unanswered, counts as declined at its deadline, and shows as pending until then', async () => {
    await setUp(['silence'], { passphraseTimeoutMs: 400 });
    const running = runNow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pending = await ws.ok<PassphraseRequest[]>('hosts.pendingPassphrases');
    expect(pending).toEqual([expect.objectContaining({ keyPath: encrypted.privatePath, attempt: 1 })]);
    const result = await running;
    expect(result.status).toBe('unknown');
    expect(await ws.ok('hosts.pendingPassphrases')).toEqual([]);
    // An answer that comes too late is not taken.
    expect(await ws.ok('hosts.answerPassphrase', { requestId: pending[0].requestId, passphrase: PASSPHRASE })).toEqual({
      requestId: pending[0].requestId,
      answered: false,
    });
  });

  it('is refused with a clear error where no host asks (a bare workspace, as the CLI opens it)', async () => {
    ws = openTempWorkspace();
    const envelope = await ws.dispatcher.dispatch('hosts.answerPassphrase', {
      requestId: '00000000-0000-4000-8000-000000000000',
      passphrase: 'x',
    });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(
      await ws.dispatcher.dispatch('hosts.answerPassphrase', { requestId: 'not-an-id', passphrase: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
