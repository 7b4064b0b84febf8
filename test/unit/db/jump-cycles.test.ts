import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Server, Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

const save = (name: string, n: number, jumpServerId: number | null = null, id?: number) =>
  ws.dispatcher.dispatch('servers.save', {
    id,
    name,
    addresses: [`192.0.2.${n}`],
    ssh: { host: `192.0.2.${n}`, jumpServerId },
  });
const ok = async (name: string, n: number, jump: number | null = null) => {
  const result = await save(name, n, jump);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Server;
};

describe('jump-host cycles', () => {
  it('servers.save refuses A → B → A, naming both servers, and keeps the old jump host', async () => {
    const a = await ok('a', 1);
    const b = await ok('b', 2, a.id);
    const result = await save('a', 1, b.id, a.id);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: ['ssh', 'jumpServerId'] }] },
    });
    expect(!result.ok && result.error.message).toContain('a → b → a');
    const snap = await ws.ok<Snapshot>('workspace.snapshot');
    expect(snap.servers.find((s) => s.name === 'a')?.ssh.jumpServerId).toBeNull();
  });

  it('servers.save refuses a longer cycle (a → c → b → a)', async () => {
    const a = await ok('a', 1);
    const b = await ok('b', 2, a.id);
    const c = await ok('c', 3, b.id);
    const result = await save('a', 1, c.id, a.id);
    expect(!result.ok && result.error.message).toContain('a → c → b → a');
  });

  it('servers.save accepts a chain without a cycle', async () => {
    const a = await ok('a', 1);
    const b = await ok('b', 2, a.id);
    await ok('c', 3, b.id);
    expect((await ws.ok<Snapshot>('workspace.snapshot')).servers).toHaveLength(3);
  });

  it.each([
    ['two servers', ['a: b', 'b: a'], 'a → b → a'],
    ['three servers', ['a: c', 'b: a', 'c: b'], 'a → c → b → a'],
  ])('import refuses a cycle of %s with its line, and changes nothing', async (_label, jumps, cycle) => {
    const servers = jumps.map(
      (j, i) => `  - name: ${j.split(':')[0]}\n    ssh: { host: 192.0.2.${i + 1}, jump: ${j.split(': ')[1]} }`,
    );
    const result = await ws.dispatcher.dispatch('workspace.importPlan', {
      yaml: `lifeboat: 1\nservers:\n${servers.join('\n')}\n`,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!result.ok && result.error.message).toMatch(
      new RegExp(`line 4, servers\\[0\\]\\.ssh\\.jump: jump hosts make a cycle: ${cycle}`),
    );
    expect((await ws.ok<Snapshot>('workspace.snapshot')).servers).toEqual([]);
  });
});
