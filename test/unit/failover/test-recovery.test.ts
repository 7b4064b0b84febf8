/**
 * The test recovery against fake hosts that fail like real ones: a healthy company passes with no
 * command that changes anything, and each broken precondition is named exactly (the others stay
 * ok or skipped); a read that does not prove itself fails the test as unknown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import { memberReadAnswer } from './fake-reads';
import { failoverFixture, type FailoverFixture } from './fixture';
import { runTestRecovery, type TestRecoveryDeps } from '../../../electron/failover/test-recovery';
import { describeSteps } from '../../../electron/failover/test-recovery-checks';
import { main } from '../../../electron/cli';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { TestRecoveryReport } from '../../../shared/contract/test-recovery';
import type { Runbook } from '../../../shared/runbooks';

const section = (name: string, text: string, code = 0) =>
  `--- lifeboat: begin ${name}\n${text}\n\n--- lifeboat: end ${name} ${code}\n`;
const ok = (stdout: string, code = 0): RemoteOutcome => ({
  kind: code === 0 ? 'ok' : 'failed',
  result: { code, stdout, stderr: '', truncated: false, durationMs: 1 },
});

/** What each fake host says to the parts of the read the pre-flight does not send. */
interface Extra {
  enabled: Record<string, string>;
  walReceiver: string;
  availableKb: number;
  clockOffsetMs: number;
  /** The enabled section never ends (output cut short). */
  cutEnabled: boolean;
}

let f: FailoverFixture;
let extra: Map<string, Extra>;
let deps: TestRecoveryDeps;

beforeEach(async () => {
  f = await failoverFixture();
  extra = new Map();
  for (const name of f.fake.hosts.keys())
    extra.set(name, {
      enabled: {},
      walReceiver: 'streaming',
      availableKb: 10_000_000,
      clockOffsetMs: 0,
      cutEnabled: false,
    });
  await f.ws.ok('groups.save', { ...f.groups.web, processes: ['crm'] });
  for (const name of ['web-a', 'web-b']) f.fake.hosts.get(name)!.activeUnits.add('crm');
  f.fake.override((hostName, script) => {
    const host = f.fake.hosts.get(hostName);
    const more = extra.get(hostName);
    if (!host || !more || !host.reachable) return undefined;
    if (script.startsWith("echo '--- lifeboat: begin clock'"))
      return ok(section('clock', ((Date.now() + more.clockOffsetMs) / 1000).toFixed(6)));
    if (script.includes('rsync -a -s -n --itemize-changes --stats'))
      return ok('>f+++++++++ README.txt\nTotal transferred file size: 5 bytes\n');
    if (!/begin (enabled|walreceiver|disk)'/.test(script)) return undefined;
    const base = memberReadAnswer(host, script, []);
    if (!base) return undefined;
    let out = base.stdout;
    const units = /begin enabled'\n\{\ncommand -v systemctl >\/dev\/null && for u in ((?:'[^']+' ?)+); do/.exec(script);
    if (units) {
      const names = [...units[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
      const text = names.map((u) => `${u} ${more.enabled[u] ?? 'enabled'}`).join('\n');
      out += more.cutEnabled ? `--- lifeboat: begin enabled\n${text}\n` : section('enabled', text);
    }
    if (script.includes('begin walreceiver')) out += section('walreceiver', more.walReceiver);
    if (script.includes("begin disk'"))
      out += section(
        'disk',
        `Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 20000000 100 ${more.availableKb} 1% /`,
      );
    return ok(out);
  });
  // sshd's banner, as the SSH runner reads it: only a reachable host answers.
  f.fake.sshBanner = async (server) =>
    f.fake.hosts.get(server.name)?.reachable
      ? { ok: true, banner: 'SSH-2.0-OpenSSH_9.2' }
      : { ok: false, why: `sshd does not answer at ${server.ssh.host}:22: connect ECONNREFUSED` };
  deps = {
    db: f.ws.db,
    runner: f.fake,
    actor: 'tester@test',
    trigger: 'operator',
  };
});
afterEach(() => f.ws.cleanup());

const group = (report: TestRecoveryReport, name: string) => report.groups.find((g) => g.groupName === name)!;

/** Scripts that would change a host, as the actions send them. */
const CHANGES = [/ip addr (add|del)/, /systemctl (stop|start|restart) /, /pg_promote/, /rsync -a -s (?!-n)/, / stop$/m];

describe('test recovery', () => {
  it('passes on a healthy company, every command a read, and stores each group', async () => {
    const report = await runTestRecovery(deps);
    for (const g of report.groups)
      expect({ group: g.groupName, reason: g.reason }).toEqual({ group: g.groupName, reason: null });
    expect(report.passed).toBe(true);
    for (const call of f.fake.calls) for (const change of CHANGES) expect(call.script).not.toMatch(change);
    const rows = listAuditRows(f.ws.db, { limit: 1000 });
    expect(rows.filter((r) => r.kind === 'intent').every((r) => r.detail.startsWith('read: '))).toBe(true);
    const db = group(report, 'db');
    const live = db.directions.find((d) => d.live)!;
    expect([live.source, live.target]).toEqual(['db-a', 'db-b']);
    expect(live.checks.find((c) => c.precondition === 'replication')?.status).toBe('ok');
    expect(group(report, 'files').directions[0].checks.find((c) => c.precondition === 'rsync')?.detail).toMatch(
      /1 change would move \(5 bytes\): README\.txt/,
    );
    const stored = await f.ws.ok<{ groupName: string; passed: boolean }[]>('recovery.testResults', {});
    expect(stored.map((s) => [s.groupName, s.passed])).toEqual([
      ['web', true],
      ['db', true],
      ['files', true],
    ]);
  });

  const broken: [string, string, () => void, string, RegExp][] = [
    ['the standby unreachable', 'web', () => (f.fake.hosts.get('web-b')!.reachable = false), 'login', /web-b/],
    [
      'the unit disabled',
      'web',
      () => (extra.get('web-b')!.enabled.crm = 'disabled'),
      'unit',
      /crm is disabled on web-b/,
    ],
    [
      'the unit removed',
      'web',
      () => (f.fake.hosts.get('web-b')!.installedUnits = new Set()),
      'unit',
      /crm does not exist on web-b/,
    ],
    [
      'pg_ctl missing',
      'db',
      () => (f.fake.hosts.get('db-b')!.faults = { pg: 'missing' }),
      'postgres',
      /no pg_ctl of version 15/,
    ],
    ['replication stopped', 'db', () => (extra.get('db-b')!.walReceiver = 'none'), 'replication', /not streaming/],
    [
      'lag above the RPO',
      'db',
      () => (f.fake.hosts.get('db-b')!.postgres!.lagSeconds = 900),
      'replication',
      /above the RPO of 5 min/,
    ],
    [
      'the receiver disk full',
      'files',
      () => (extra.get('files-b')!.availableKb = 100),
      'disk',
      /0\.1 MiB free for \/srv\/files on files-b/,
    ],
    [
      'the interface down',
      'web',
      () => (f.fake.hosts.get('web-b')!.links = [{ interface: 'eth0', up: false }]),
      'interface',
      /eth0 on web-b is down/,
    ],
    [
      'a stranger answering for the VIP',
      'web',
      () => f.fake.segment.addStranger('10.77.0.10', { mac: '02:00:00:00:99:99', delayMs: 0, dropFirst: 0 }),
      'vip-holder',
      /02:00:00:00:99:99/,
    ],
    [
      'a clock 5 s off',
      'web',
      () => (extra.get('web-b')!.clockOffsetMs = 5000),
      'clock',
      /web-b is (49|50)\d\d ms ahead/,
    ],
    ['the enabled states cut short', 'web', () => (extra.get('web-b')!.cutEnabled = true), 'unit', /no end line/],
  ];
  for (const [what, name, breakIt, precondition, detail] of broken) {
    it(`names exactly "${precondition}" when ${what}, and changes nothing`, async () => {
      breakIt();
      const report = await runTestRecovery(deps);
      const g = group(report, name);
      expect(g.passed).toBe(false);
      expect(g.failed).toEqual([precondition]);
      expect(g.reason).toMatch(new RegExp(`^${precondition}: `));
      expect(g.reason).toMatch(detail);
      for (const other of report.groups.filter((o) => o.groupName !== name)) expect(other.passed).toBe(true);
      for (const call of f.fake.calls) for (const change of CHANGES) expect(call.script).not.toMatch(change);
    });
  }

  it('refuses an unknown group before reading anything', async () => {
    await expect(runTestRecovery(deps, [9999])).rejects.toThrow(/no service group with id 9999/);
    expect(f.fake.calls).toEqual([]);
  });
});

describe('lifeboat recover --test', () => {
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['--db', f.ws.file, 'recover', ...args],
      { out: (t) => void out.push(t), err: (t) => void err.push(t) },
      { runner: f.fake },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('exits 0 when every chosen group passes, 1 naming the broken group and its precondition', async () => {
    expect((await cli('--test', '--groups', 'web,db')).code).toBe(0);
    extra.get('web-b')!.enabled.crm = 'masked';
    const broken = await cli('--test', '--groups', 'web');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^web: BROKEN: unit: crm is masked on web-b/m);
    expect(broken.out).toMatch(/found 1 broken group: web in \d+ ms; nothing was changed/);
    const json = await cli('--test', '--json');
    const report = JSON.parse(json.out) as TestRecoveryReport;
    expect(json.code).toBe(1);
    expect(report.groups.map((g) => [g.groupName, g.passed])).toEqual([
      ['db', true],
      ['files', true],
      ['web', false],
    ]);
  });

  it('refuses an unknown group name before reading anything', async () => {
    const unknown = await cli('--test', '--groups', 'web,mail');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no service group named "mail"/);
    expect(f.fake.calls).toEqual([]);
  });
});

describe('expected step times', () => {
  const runbook = {
    steps: [
      { type: 'manual', title: 'Call the vendor', instruction: '', role: 'admin', expectedMinutes: 10 },
      {
        type: 'action',
        title: 'Start crm',
        serverId: 1,
        timeoutSeconds: 60,
        whenUnreachable: 'halt',
        action: { kind: 'service.start', params: { unit: 'crm' } },
      },
      {
        type: 'action',
        title: 'Acquire',
        serverId: 1,
        timeoutSeconds: 60,
        whenUnreachable: 'halt',
        action: { kind: 'vip.acquire', params: { address: '10.0.0.1', prefix: 24, interface: 'eth0' } },
      },
    ],
  } as unknown as Runbook;

  it('come from the last good drill, else a manual estimate, else none', () => {
    const steps = describeSteps(runbook, new Map([['1:Start crm', 2.5]]));
    expect(steps.map((s) => [s.expectedSeconds, s.expectedFrom])).toEqual([
      [600, 'manual estimate'],
      [2.5, 'drill'],
      [null, 'none'],
    ]);
    expect(steps[1].preconditions).toEqual(['login', 'unit']);
  });
});
