/**
 * The clock offset kind: chrony's and ntpd's readings, the comparison with Lifeboat's own clock
 * where neither is synchronised, and unknown (never ok) without a reading. Judged from fake output,
 * then the real script in a real shell with fake chronyc and ntpq on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clockKind, readChrony, readHostTime, readNtpd } from '../../../electron/checks/clock';
import { planCheck } from '../../../electron/checks/plan';
import { sweep } from '../../../electron/checks/sweep';
import type { Observation } from '../../../electron/checks/kind';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import type { CheckOf } from '../../../shared/checks';
import { check, contextOf, loopbackInventory, webA } from './fixtures';
import { fakeToolsDir, LocalShellRunner, ok, unreachable } from './runners';

const T = 1_800_000_000_000;
const chronyLine = (correctionSeconds: string, leap = 'Normal', ref = 'C0000201') =>
  `${ref},192.0.2.1,3,1799999990.5,${correctionSeconds},0.000012,0.000030,-12.345,0.001,0.020,0.000400,0.000200,64.2,${leap}`;
const ntpRv = (offset: string, leap = '00') =>
  [
    'associd=0 status=0615 leap_none, sync_ntp, 1 event, clock_sync,',
    'version="ntpd 4.2.8p15@1.3728-o (1)", processor="x86_64",',
    `system="Linux/6.1.0", leap=${leap}, stratum=3, precision=-24,`,
    `rootdelay=1.234, rootdisp=20.5, refid=192.0.2.1, offset=${offset},`,
    'frequency=-12.345, sys_jitter=0.045678, clk_jitter=0.012',
  ].map((line) => `ntprv=${line}`);
const peers = (line: string) =>
  ['     remote           refid      st t when poll reach   delay   offset  jitter', '='.repeat(78), line].map(
    (l) => `ntppeer=${l}`,
  );

const clock = (params: { warnMs?: number; failMs?: number } = {}) =>
  check({ kind: 'clock', name: 'web-a: clock', serverId: 1, params }) as CheckOf<'clock'>;
/** Judge one output, the host's batch sent at `sentAt` and answered at `answeredAt` by Lifeboat's clock. */
function judge(
  stdout: string | RemoteOutcome,
  window: Observation['window'] | null = { sentAt: T - 20, answeredAt: T + 20 },
  c = clock(),
) {
  const outcome = typeof stdout === 'string' ? ok(stdout) : stdout;
  return clockKind.evaluate([{ server: webA, outcome, window: window ?? undefined }], contextOf(c) as never);
}
const hostNow = (ms: number) => `now=${Math.floor(ms / 1000)}.${String((ms % 1000) * 1e6).padStart(9, '0')}`;

describe('reading chrony, ntpd and date', () => {
  it('chrony: the correction is how slow the clock is, so the offset is its negative; unsynchronised or garbage is no reading', () => {
    expect(readChrony(chronyLine('0.000250000'))).toEqual({
      synced: true,
      offsetMs: -0.25,
      detail: 'chrony, source 192.0.2.1',
    });
    expect(readChrony(chronyLine('-1.500000000'))).toMatchObject({ synced: true, offsetMs: 1500 });
    expect(readChrony(chronyLine('0.000000000', 'Not synchronised', '00000000'))).toEqual({
      synced: false,
      detail: 'chronyd is not synchronised',
    });
    expect(readChrony('506 Cannot talk to daemon')).toMatchObject({ synced: false });
    expect(readChrony('none')).toMatchObject({ synced: false });
    expect(readChrony(chronyLine('1e3'))).toMatchObject({ synced: false });
    expect(readChrony(undefined)).toBeNull();
  });

  it('ntpd: offset= of the system variables (server minus us, ms), else the * peer; leap 11 is unsynchronised', () => {
    const values = (lines: string[]) => lines.map((l) => l.replace(/^ntp(rv|peer)=/, ''));
    expect(readNtpd(values(ntpRv('-0.123456')), [])).toEqual({ synced: true, offsetMs: 0.123456, detail: 'ntpd' });
    expect(readNtpd(values(ntpRv('2.5', '11')), [])).toEqual({ synced: false, detail: 'ntpd is not synchronised' });
    expect(
      readNtpd([], values(peers('*192.0.2.1      .GPS.            1 u   33   64  377    0.512   -7.250   0.045'))),
    ).toMatchObject({ synced: true, offsetMs: 7.25 });
    expect(
      readNtpd([], values(peers(' 192.0.2.1      .INIT.          16 u    -   64    0    0.000    0.000   0.000'))),
    ).toMatchObject({ synced: false });
    expect(readNtpd(['ntpq: read: Connection refused'], [])).toMatchObject({ synced: false });
  });

  it('date: nanoseconds where %N works, whole seconds where it does not (OpenBSD prints N)', () => {
    expect(readHostTime('1800000000.123456789')).toEqual({ ms: 1_800_000_000_123.456, resolutionMs: 0.001 });
    expect(readHostTime('1800000000.N')).toEqual({ ms: 1_800_000_000_000, resolutionMs: 1000 });
    expect(readHostTime('1800000000')).toEqual({ ms: 1_800_000_000_000, resolutionMs: 1000 });
    expect(readHostTime('yesterday')).toBeNull();
    expect(readHostTime('')).toBeNull();
  });
});

describe('clock check', () => {
  it('judges chrony against the warning and alarm levels, and says chrony was read', () => {
    expect(judge(`${hostNow(T)}\nchrony=${chronyLine('-0.000300000')}`)).toMatchObject({
      status: 'ok',
      summary: 'web-a: clock 0.3 ms ahead (chrony, source 192.0.2.1)',
      metrics: { offsetMs: 0.3, source: 'chrony' },
    });
    expect(judge(`chrony=${chronyLine('0.700000000')}`)).toMatchObject({
      status: 'warn',
      summary: 'web-a: clock 700 ms behind (chrony, source 192.0.2.1) (warn from 500 ms)',
    });
    expect(judge(`chrony=${chronyLine('-6.0')}`)).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('(alarm from 5000 ms)'),
    });
    expect(judge(`chrony=${chronyLine('0.05')}`, undefined, clock({ warnMs: 10, failMs: 40 })).status).toBe('fail');
  });

  it('reads ntpd where chrony is absent', () => {
    expect(judge(`${hostNow(T)}\n${ntpRv('1.5').join('\n')}\nntpq=1`)).toMatchObject({
      status: 'ok',
      summary: 'web-a: clock 1.5 ms behind (ntpd)',
      metrics: { source: 'ntpd' },
    });
    expect(
      judge(
        `${peers('*192.0.2.1      .GPS.            1 u   33   64  377    0.512   900.0   0.045').join('\n')}\nntpq=1`,
      ).status,
    ).toBe('warn');
  });

  it("with neither running, compares with Lifeboat's clock around the round trip and says so", () => {
    const close = judge(hostNow(T + 3));
    expect(close.status).toBe('ok');
    expect(close.summary).toBe(
      "web-a: clock 2.5 ms ahead ± 20.5 ms against Lifeboat's clock, measured around the SSH round trip; neither chrony nor ntpd runs there",
    );
    expect(close.metrics).toMatchObject({ source: 'lifeboat', offsetMs: 2.5, uncertaintyMs: 20.5 });
    expect(judge(hostNow(T - 12_000))).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/12000.5 ms behind .* \(alarm from 5000 ms\)$/),
    });
    expect(judge(hostNow(T + 800)).status).toBe('warn');
  });

  it('is unknown when the round trip is too slow to tell, and never ok without the window or a time', () => {
    const slow = judge(hostNow(T), { sentAt: T - 700, answeredAt: T + 700 });
    expect(slow.status).toBe('unknown');
    expect(slow.summary).toMatch(/^web-a: cannot tell whether the clock is within 500 ms/);
    expect(judge(hostNow(T), null).status).toBe('unknown');
    expect(judge('now=').status).toBe('unknown');
    expect(judge('').summary).toBe(
      'web-a: could not read the clock (neither chrony nor ntpd runs there, and no time from date)',
    );
    expect(judge('now=\u001b[2Jgarbage\nchrony=garbage,,,').status).toBe('unknown');
    expect(judge(unreachable()).status).toBe('unknown');
    // OpenBSD's whole seconds: a host one second off cannot be told from one in step.
    expect(judge('now=1800000000.N', { sentAt: T - 5, answeredAt: T + 5 }).status).toBe('unknown');
  });

  it('warns when a time daemon runs but is not synchronised, even while the clock is still close', () => {
    const result = judge(`${hostNow(T)}\nchrony=${chronyLine('0.0', 'Not synchronised', '00000000')}`);
    expect(result.status).toBe('warn');
    expect(result.summary).toContain("against Lifeboat's clock");
    expect(result.summary).toContain('chronyd is not synchronised');
  });

  it('is a default check on every member of a group', () => {
    const defaults = clockKind.defaults!(loopbackInventory().groups.get(10)!, loopbackInventory());
    expect(defaults).toEqual([
      { name: 'here: clock', serverId: 1, intervalSeconds: 120 },
      { name: 'there: clock', serverId: 2, intervalSeconds: 120 },
    ]);
  });
});

describe('clock check: the real script in a real shell', () => {
  const tools = fakeToolsDir('lifeboat-clock-');

  async function run(fakes: Record<string, string>) {
    const bin = fs.mkdtempSync(path.join(tools.dir(), 'bin-'));
    for (const [name, body] of Object.entries(fakes))
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    tools.usePath(`${bin}:/usr/bin:/bin`);
    const planned = planCheck(
      check({ kind: 'clock', name: 'here: clock', serverId: 1, params: {}, timeoutSeconds: 10 }),
      loopbackInventory(),
    );
    return (await sweep([planned], new LocalShellRunner())).runs[0].evaluation;
  }

  it('reads chronyc tracking', async () => {
    const result = await run({ chronyc: `[ "$*" = "-n -c tracking" ] && echo '${chronyLine('-0.000041000')}'` });
    expect(result).toMatchObject({ status: 'ok', summary: 'here: clock 0.041 ms ahead (chrony, source 192.0.2.1)' });
  });

  it('reads ntpq where chronyc cannot talk to its daemon', async () => {
    const rv = ntpRv('-2.25').map((l) => l.replace(/^ntprv=/, ''));
    const result = await run({
      chronyc: "echo '506 Cannot talk to daemon' >&2; exit 1",
      ntpq: `case "$*" in '-n -c rv') printf '%s\\n' '${rv.join("' '")}' ;; *) exit 1 ;; esac`,
    });
    expect(result).toMatchObject({ status: 'ok', summary: 'here: clock 2.3 ms ahead (ntpd)' });
  });

  it('reads the time in microseconds through perl where date has no %N (OpenBSD)', async () => {
    const result = await run({ date: 'echo "$(/bin/date +%s).N"' });
    expect(result.status).toBe('ok');
    // Whole seconds would leave ±500 ms at least: the fraction came from perl.
    expect(result.metrics.uncertaintyMs as number).toBeLessThan(250);
  });

  it("with neither tool, compares this machine's clock with itself: ok, within the round trip", async () => {
    const result = await run({});
    expect(result.status).toBe('ok');
    expect(result.summary).toMatch(
      /^here: clock [0-9.]+ ms (ahead|behind) ± [0-9.]+ ms against Lifeboat's clock, measured around the SSH round trip; neither chrony nor ntpd runs there$/,
    );
    expect(Math.abs(result.metrics.offsetMs as number)).toBeLessThanOrEqual(
      (result.metrics.uncertaintyMs as number) + 0.1,
    );
  });
});
