import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv } from './cli-env';
import { main } from '../../../electron/cli';
import { registerFailoverCommands } from '../../../electron/cli/failover';
import { failoverFixture, type FailoverFixture } from './fixture';

let f: FailoverFixture;
let out: string[];
let err: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
const run = (...args: string[]) => main(['--db', f.ws.file, ...args], io, { runner: f.fake });

beforeEach(async () => {
  f = await failoverFixture();
  out = [];
  err = [];
});
afterEach(() => {
  f.ws.cleanup();
});

describe('lifeboat failover', () => {
  it('--dry-run prints the pre-flight and the exact commands, and changes nothing', async () => {
    expect(await run('failover', 'web', '--to', 'web-b', '--dry-run')).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/\[ok\] VIP 10.77.0.10: held by web-a/);
    expect(text).toContain("ip addr add '10.77.0.10/24' dev 'eth0'");
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('--yes --json runs the failover and emits one JSON event per line', async () => {
    expect(await run('failover', 'web', '--to', 'web-b', '--yes', '--json')).toBe(0);
    const events = out.map((line) => JSON.parse(line) as { event: string });
    expect(events[0].event).toBe('plan');
    expect(events.map((e) => e.event)).toContain('run.step');
    expect(events.at(-1)?.event).toBe('run.finished');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });

  it('without --yes asks for the typed group name and refuses a wrong one', async () => {
    const { Command } = await import('commander');
    const program = new Command().exitOverride();
    const env = cliEnv(f, io);
    registerFailoverCommands(program, env as never, async () => 'wbe');
    await expect(program.parseAsync(['failover', 'web', '--to', 'web-b'], { from: 'user' })).rejects.toThrow(
      /Type the group's name \(web\)/,
    );
    // Only the pre-flight's reads ran; nothing changed.
    expect(f.fake.calls.length).toBeGreaterThan(0);
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
  });

  it('shows the plan and the live pre-flight before asking for the typed name', async () => {
    const { Command } = await import('commander');
    const program = new Command().exitOverride();
    const env = cliEnv(f, io);
    let shownBeforeAsking = '';
    registerFailoverCommands(program, env as never, async () => {
      shownBeforeAsking = out.join('\n');
      return 'web';
    });
    await program.parseAsync(['failover', 'web', '--to', 'web-b'], { from: 'user' });
    expect(shownBeforeAsking).toContain("ip addr add '10.77.0.10/24' dev 'eth0'");
    expect(shownBeforeAsking).toMatch(/\[ok\] VIP 10.77.0.10: held by web-a/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });

  it('refuses a malformed --acknowledge-lag, --deadline or --resume before anything is read', async () => {
    expect(await run('failover', 'db', '--to', 'db-b', '--yes', '--acknowledge-lag', 'lots')).toBe(2);
    expect(await run('failover', 'db', '--to', 'db-b', '--yes', '--deadline', '0')).toBe(2);
    expect(await run('failover', 'db', '--to', 'db-b', '--yes', '--resume', '1.5')).toBe(2);
    expect(err.join('\n')).toMatch(
      /--acknowledge-lag takes the lag shown in seconds[\s\S]*--deadline takes whole minutes[\s\S]*--resume takes a run number/,
    );
    expect(f.fake.calls).toEqual([]);
  });

  it('refuses an unknown member with the names there are', async () => {
    expect(await run('failover', 'web', '--to', 'db-b', '--yes')).toBe(2);
    expect(err.join('\n')).toMatch(/"db-b" is not a member of web \(members: web-a, web-b\)/);
  });
});

describe('lifeboat audit', () => {
  it('--verify reports an intact chain, and a broken row after tampering', async () => {
    await run('failover', 'web', '--to', 'web-b', '--yes');
    out = [];
    expect(await run('audit', '--verify')).toBe(0);
    expect(out.join('\n')).toMatch(/audit log intact: \d+ rows/);
    f.ws.db.prepare("UPDATE audit_log SET output = 'nothing to see' WHERE id = 3").run();
    expect(await run('audit', '--verify')).toBe(1);
    expect(err.join('\n')).toMatch(/AUDIT LOG BROKEN at row 3/);
  });

  it('--format csv exports the rows', async () => {
    await run('failover', 'web', '--to', 'web-b', '--yes');
    out = [];
    expect(await run('audit', '--format', 'csv')).toBe(0);
    expect(out.join('').split('\r\n')[0]).toMatch(/^id,at,kind/);
  });
});
