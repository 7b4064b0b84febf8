import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { tempDir } from '../../helpers/workspace';

let dir: string;
let db: string;
beforeEach(() => {
  dir = tempDir();
  db = path.join(dir, 'ws.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lifeboat CLI', () => {
  it('init --example, export, import into another workspace, export again: same file', async () => {
    expect((await run('init', '--example')).code).toBe(0);
    const planFile = path.join(dir, 'plan.yaml');
    expect((await run('export', '--out', planFile)).code).toBe(0);
    const first = fs.readFileSync(planFile, 'utf8');
    db = path.join(dir, 'other.db');
    const imported = await run('import', planFile);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('9 servers');
    const again = await run('export');
    expect(again.out.trimEnd()).toBe(first.trimEnd());
  });

  it('import names what it removed with entries no longer in the plan, and prints no stray field', async () => {
    const planFile = path.join(dir, 'plan.yaml');
    fs.writeFileSync(planFile, 'lifeboat: 1\nservers:\n  - name: web-a\n    ssh: { host: 192.0.2.11 }\n');
    expect((await run('import', planFile)).code).toBe(0);
    expect(
      (await run('call', 'checks.save', JSON.stringify({ name: 'web-a SSH', kind: 'ssh', params: {}, serverId: 1 })))
        .code,
    ).toBe(0);
    fs.writeFileSync(planFile, 'lifeboat: 1\n');
    const imported = await run('import', planFile);
    expect(imported.code).toBe(0);
    expect(imported.out).toBe(
      `imported ${planFile}: 0 sites, 0 servers, 0 services, 0 groups, 0 contacts\nremoved: check "web-a SSH": server "web-a" is not in the plan`,
    );
  });

  it('refuses to re-init a workspace with content unless forced', async () => {
    await run('init', '--example');
    const second = await run('init');
    expect(second.code).toBe(1);
    expect(second.err).toContain('--force');
    expect((await run('init', '--force')).code).toBe(0);
  });

  it('refuses a bad plan file with its line and leaves the workspace as it was', async () => {
    await run('init', '--example');
    const before = (await run('export')).out;
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, before.replace('escalationOrder: 2', 'escalationOrder: second'));
    const result = await run('import', bad);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/line \d+, contacts\[1\]\.escalationOrder/);
    expect((await run('export')).out).toBe(before);
  });

  it('refuses a 50 MB plan file before reading it', async () => {
    const big = path.join(dir, 'big.yaml');
    fs.writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 'a'));
    const result = await run('import', big);
    expect(result.code).toBe(1);
    expect(result.err).toContain('10 MiB at most');
  });

  it('calls any method with validation, and explains bad arguments', async () => {
    const bad = await run('call', 'servers.save', '{"name":"web-a","ssh":{"host":"192.0.2.1","port":0}}');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('ssh.port');
    expect((await run('call', 'nope.nothing')).code).toBe(2);
    expect((await run('call', 'workspace.snapshot', '{not json')).err).toContain('not valid JSON');
    expect((await run('serve', '--port', '70000')).code).toBe(2);
  });
});
