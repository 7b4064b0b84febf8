import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import type { RemoteRunner } from '../../../electron/ports/remote';
import { tempDir } from '../../helpers/workspace';
import { makeKey } from '../../helpers/ssh-server';
import { healthyAnswer } from './healthy';
import { ScriptedRunner, unreachable } from './runners';

let dir: string;
let db: string;
let down: Set<string>;
/** The runner every workspace a command opens is given; undefined: the SSH engine's own. */
let runner: RemoteRunner | undefined;

beforeEach(async () => {
  dir = tempDir();
  db = path.join(dir, 'ws.db');
  down = new Set();
  runner = new ScriptedRunner((server, script) =>
    down.has(server.name) ? unreachable() : healthyAnswer(server, script),
  );
  expect((await run('init', '--example')).code).toBe(0);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) }, { runner });
  return { code, out, err: err.join('\n') };
}

describe('lifeboat check', () => {
  it('adds the default checks when there are none, runs them once and exits 0 when all pass', async () => {
    const result = await run('check');
    expect(result.err).toContain('added 48 default checks');
    expect(result.code).toBe(0);
    expect(result.out.some((line) => /^OK +web: VIP ownership +192\.0\.2\.10 on web-a \(eth0\)$/.test(line))).toBe(
      true,
    );
  });

  it('exits 1 when any check fails, and --json prints one object per check', async () => {
    down.add('db-b');
    const result = await run('check', '--json');
    expect(result.code).toBe(1);
    const lines = result.out.map((line) => JSON.parse(line) as { check: string; status: string; kind: string });
    expect(lines.length).toBe(48);
    expect(lines.find((l) => l.check === 'db-b: SSH')).toMatchObject({ status: 'fail', kind: 'ssh' });
    expect(lines.find((l) => l.check === 'db-b: disk /')).toMatchObject({ status: 'unknown' });
  });

  it("--group runs only that group's checks; an unknown group is a usage error", async () => {
    await run('check');
    const web = await run('check', '--json', '--group', 'web');
    expect(web.code).toBe(0);
    const names = web.out.map((line) => (JSON.parse(line) as { check: string }).check);
    expect(names).toContain('web: VIP ownership');
    expect(names).toContain('web-b: load');
    expect(names.some((n) => n.startsWith('db'))).toBe(false);
    const unknown = await run('check', '--group', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('there is no service group "nope"');
  });

  it('without a runner wired by the app, uses the SSH engine itself: an unreachable host fails (loopback, closed port)', async () => {
    runner = undefined;
    db = path.join(dir, 'loopback.db');
    expect((await run('init')).code).toBe(0);
    // A key Lifeboat can use, so the only problem left is the host (with no agent it would be a local problem: unknown).
    const key = makeKey(dir, 'id_nowhere');
    const saved = await run(
      'call',
      'servers.save',
      JSON.stringify({
        name: 'nowhere',
        ssh: { host: '127.0.0.1', port: 1, auth: { kind: 'key', keyPath: key.privatePath } },
      }),
    );
    const serverId = (JSON.parse(saved.out.join('')) as { id: number }).id;
    expect(
      (await run('call', 'checks.save', JSON.stringify({ kind: 'ssh', name: 'nowhere: SSH', serverId, params: {} })))
        .code,
    ).toBe(0);
    const result = await run('check', '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out[0])).toMatchObject({ check: 'nowhere: SSH', status: 'fail' });
  });
});
