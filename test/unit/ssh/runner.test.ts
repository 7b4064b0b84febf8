import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import type { Server } from '../../../shared/domain';
import { startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { keyTypeOfFile, makeKeys, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

let server: TestSshServer | undefined;
let ws: TempWorkspace | undefined;
afterEach(async () => {
  ws?.cleanup();
  await server?.close();
});

async function setUp(pinned: 'right' | 'wrong' | 'none') {
  server = await startSshServer({ hostKey: lab.hostKey, authorizedKeys: [lab.clientKey.publicPath] });
  ws = openTempWorkspace();
  const saved = await ws.ok<Server>('servers.save', {
    name: 'web-a',
    ssh: {
      host: server.host,
      port: server.port,
      user: 'root',
      auth: { kind: 'key', keyPath: lab.clientKey.privatePath },
    },
  });
  if (pinned !== 'none') {
    const fingerprint = pinned === 'right' ? lab.hostKey.fingerprint : lab.otherHostKey.fingerprint;
    insertHostKeyPin(ws.db, {
      host: server.host,
      port: server.port,
      keyType: keyTypeOfFile(lab.hostKey.publicPath),
      fingerprint,
      publicKey: 'AAAA',
      pinnedAt: 'now',
      pinnedBy: 'test',
    });
  }
  // The context's runner: the SSH engine's, over the workspace's own runtime (closed with it).
  return { runner: ws.ctx.runner!, server: saved };
}

describe('the RemoteRunner over the SSH engine', () => {
  it('reports ok, failed and indeterminate outcomes, for single runs and batches', async () => {
    const { runner, server: web } = await setUp('right');
    expect(await runner.run(web, 'echo one', { timeoutMs: 5_000 })).toMatchObject({
      kind: 'ok',
      result: { code: 0, stdout: 'one\n' },
    });
    expect(await runner.run(web, 'exit 2', { timeoutMs: 5_000 })).toMatchObject({
      kind: 'failed',
      result: { code: 2 },
    });
    expect(await runner.run(web, 'sleep 5', { timeoutMs: 200 })).toMatchObject({
      kind: 'indeterminate',
      reason: 'timeout',
    });
    const batch = await runner.batch(web, ['echo a', 'exit 1', 'echo c'], { timeoutMs: 5_000 });
    expect(batch.map((o) => o.kind)).toEqual(['ok', 'failed', 'ok']);
    await runner.dispose();
  });

  it('reports unknown and changed host keys with fingerprints, and unreachable hosts', async () => {
    const unknown = await setUp('none');
    expect(await unknown.runner.run(unknown.server, 'true', { timeoutMs: 5_000 })).toMatchObject({
      kind: 'host-key',
      status: 'unknown',
      fingerprint: lab.hostKey.fingerprint,
    });
    ws?.cleanup();
    await server?.close();

    const changed = await setUp('wrong');
    expect(await changed.runner.batch(changed.server, ['true'], { timeoutMs: 5_000 })).toMatchObject([
      {
        kind: 'host-key',
        status: 'changed',
        fingerprint: lab.hostKey.fingerprint,
        pinned: lab.otherHostKey.fingerprint,
      },
    ]);
    expect(server?.authAttempts).toBe(0);
    await server?.close();
    const down = { ...changed.server, ssh: { ...changed.server.ssh, port: server?.port as number } };
    expect(await changed.runner.run(down, 'true', { timeoutMs: 5_000 })).toMatchObject({ kind: 'unreachable' });
  });

  it('tells apart no SSH agent (a local problem), a refused login and a host that cannot be reached', async () => {
    const { server: web } = await setUp('right');
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const runner = (ws as TempWorkspace).ctx.runner!;
      const viaAgent = { ...web, ssh: { ...web.ssh, auth: { kind: 'agent' as const } } };
      expect(await runner.run(viaAgent, 'true', { timeoutMs: 5_000 })).toMatchObject({
        kind: 'unreachable',
        cause: 'local',
        detail: expect.stringMatching(/no SSH agent/),
      });
      expect(server?.commands ?? []).toEqual([]);
      const wrongKey = {
        ...web,
        ssh: { ...web.ssh, auth: { kind: 'key' as const, keyPath: lab.otherHostKey.privatePath } },
      };
      expect(await runner.run(wrongKey, 'true', { timeoutMs: 5_000 })).toMatchObject({
        kind: 'unreachable',
        cause: 'refused',
      });
      await server?.close();
      expect(await runner.run(web, 'true', { timeoutMs: 5_000 })).toMatchObject({
        kind: 'unreachable',
        cause: 'network',
      });
      await runner.dispose();
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
