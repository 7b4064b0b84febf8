import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { main } from '../../../electron/cli';
import { cliEnv } from '../failover/cli-env';
import { registerRecoverCommands } from '../../../electron/cli/recover';
import { failoverFixture, type FailoverFixture } from '../failover/fixture';
import type { Service } from '../../../shared/domain';

let f: FailoverFixture;
let out: string[];
let err: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
const run = (...args: string[]) => main(['--db', f.ws.file, ...args], io, { runner: f.fake });

beforeEach(async () => {
  f = await failoverFixture();
  await f.ws.ok('settings.save', { companyName: 'Northwind', targetMinutes: 30 });
  const { services } = await f.ws.ok<{ services: Service[] }>('workspace.snapshot');
  const crm = services.find((s) => s.name === 'CRM')!;
  await f.ws.ok('services.save', { ...crm, dependsOn: [services.find((s) => s.name === 'Database')!.id] });
  out = [];
  err = [];
});
afterEach(() => f.ws.cleanup());

/** The recover command with a scripted person answering its questions. */
function withAnswers(answers: string[]) {
  const program = new Command().exitOverride();
  const env = cliEnv(f, io);
  const asked: string[] = [];
  registerRecoverCommands(program, env as never, async (question) => {
    asked.push(question);
    return answers.shift() ?? null;
  });
  return { program, asked };
}

describe('lifeboat recover', () => {
  it('--dry-run prints the priorities, every plan and one pre-flight over every group, and changes nothing', async () => {
    expect(await run('recover', '--dry-run')).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Recovery of Northwind \(target: back within 30 min\):/);
    expect(text).toMatch(
      /priority 1 \(in parallel\):\n {2}db: db-a → db-b[^\n]*\n[\s\S]*priority 2:\n {2}web: web-a → web-b \([0-9]+ steps, RTO 30 min, after db\)/,
    );
    expect(text).toContain("ip addr add '10.77.0.10/24' dev 'eth0'");
    expect(text).toMatch(/One pre-flight over 3 group\(s\) in [0-9]+ ms: passed/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(f.fake.calls.every((c) => c.script.startsWith("echo '--- lifeboat: begin os'"))).toBe(true);
  });

  it('--groups takes names, and refuses one that is no group with the list of groups', async () => {
    expect(await run('recover', '--dry-run', '--groups', 'web,nope')).toBe(2);
    expect(err.join('\n')).toMatch(/no service group named "nope". Groups: db, files, web/);
    out = [];
    expect(await run('recover', '--dry-run', '--groups', 'web')).toBe(0);
    expect(out.join('\n')).toMatch(/web: web-a → web-b \([0-9]+ steps, RTO 30 min, assumes db running\)/);
  });

  it('--yes --json recovers every group and ends with the summary; exit 0', async () => {
    expect(await run('recover', '--yes', '--json')).toBe(0);
    const events = out.map((line) => JSON.parse(line) as { event: string; payload: { status?: string } });
    expect(events[0].event).toBe('plan');
    expect(events[1].event).toBe('preflight');
    expect(events.map((e) => e.event)).toContain('recovery.changed');
    expect(events.map((e) => e.event)).toContain('run.output');
    expect(events.at(-1)).toMatchObject({ event: 'finished', payload: { status: 'succeeded' } });
    for (const vip of ['10.77.0.10', '10.77.0.20', '10.77.0.30']) expect(f.fake.holders(vip)).toHaveLength(1);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });

  it("asks for the company's name and refuses anything else, changing nothing", async () => {
    const { program, asked } = withAnswers(['Northwind Call Centre']);
    await expect(program.parseAsync(['recover'], { from: 'user' })).rejects.toThrow(
      /Type the company's name \(Northwind\) to confirm the recovery/,
    );
    expect(asked[0]).toMatch(/Type the company's name \(Northwind\) to start the recovery of 3 group\(s\)/);
    expect(f.fake.holders('10.77.0.20')).toEqual(['db-a']);
  });

  it('a halt is asked with the group named; aborting db leaves web unmoved and exits 1', async () => {
    f.fake.hosts.get('db-b')!.postgres!.promoteTimesOut = true;
    const { program, asked } = withAnswers(['Northwind', 'abort the database is unwell']);
    await expect(program.parseAsync(['recover'], { from: 'user' })).rejects.toThrow(/exit 1/);
    expect(asked[1]).toMatch(/^\[db\] step [0-9]+: /);
    expect(out.join('\n')).toMatch(/\[web\] held: changed nothing: db did not come back \(its run aborted\)/);
    expect(out.at(-1)).toMatch(/Recovery of Northwind: failed/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    expect(f.fake.holders('10.77.0.30')).toEqual(['files-b']);
  });
});
