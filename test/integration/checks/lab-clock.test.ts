/**
 * The clock offset check against the lab's hosts over the real SSH engine. The hosts run no time
 * daemon and share this machine's kernel clock, so the check compares each host's time with
 * Lifeboat's around the round trip and must find them in step. A chronyc placed on one host
 * (printing what chrony prints for a clock 7 s slow) shows the chrony path end to end: the alarm.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CheckView } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import { describeLab } from '../../helpers/lab';
import { openLabWorkspace, type LabWorkspace } from './lab-workspace';

describeLab('the clock offset check against the lab', (lab) => {
  let session: LabWorkspace;
  let clockChecks: CheckView['check'][];
  const runClocks = () => session.ws.ok<NamedResult[]>('checks.runNow', { checkIds: clockChecks.map((c) => c.id) });

  beforeAll(async () => {
    session = await openLabWorkspace(lab());
    await session.ws.ok('checks.generateDefaults', {});
    clockChecks = (await session.ws.ok<CheckView[]>('checks.list', {}))
      .map((v) => v.check)
      .filter((c) => c.kind === 'clock');
  }, 120_000);
  afterAll(async () => {
    await lab()?.exec('web-b', ['rm', '-f', '/usr/local/bin/chronyc']);
    await session?.close();
  });

  it("finds every host's clock in step with Lifeboat's, and says it compared over SSH", async () => {
    expect(clockChecks.map((c) => c.name).sort()).toEqual(
      session.snapshot.servers.map((s) => `${s.name}: clock`).sort(),
    );
    await runClocks(); // the first run also logs in: the second measures a warm round trip
    const results = await runClocks();
    console.log(results.map((r) => `${r.status.padEnd(8)}${r.summary}`).join('\n'));
    for (const r of results) {
      expect(r.status, r.summary).toBe('ok');
      expect(r.metrics.source).toBe('lifeboat');
      expect(r.summary).toMatch(
        /against Lifeboat's clock, measured around the SSH round trip; neither chrony nor ntpd runs there$/,
      );
      // The same kernel clock: no offset, so zero lies inside the measured range (both figures rounded to 0.1 ms).
      expect(Math.abs(r.metrics.offsetMs as number)).toBeLessThanOrEqual((r.metrics.uncertaintyMs as number) + 0.1);
    }
  }, 60_000);

  it('reads chronyc where it answers, and raises the alarm for a clock 7 s slow', async () => {
    const chronyc =
      "#!/bin/sh\n[ \"$*\" = '-n -c tracking' ] || exit 1\necho 'C0000201,192.0.2.1,3,1799999990.5,7.000000000,0.000012,0.000030,-12.345,0.001,0.020,0.000400,0.000200,64.2,Normal'\n";
    const placed = await lab().exec(
      'web-b',
      ['sh', '-c', 'cat > /usr/local/bin/chronyc && chmod 755 /usr/local/bin/chronyc'],
      { input: chronyc },
    );
    expect(placed.code, placed.stderr).toBe(0);
    const webB = clockChecks.find((c) => c.name === 'web-b: clock')!;
    const [result] = await session.ws.ok<NamedResult[]>('checks.runNow', { checkIds: [webB.id] });
    expect(result).toMatchObject({
      status: 'fail',
      summary: 'web-b: clock 7000 ms behind (chrony, source 192.0.2.1) (alarm from 5000 ms)',
      metrics: { source: 'chrony' },
    });
    const removed = await lab().exec('web-b', ['rm', '/usr/local/bin/chronyc']);
    expect(removed.code, removed.stderr).toBe(0);
    const [after] = await session.ws.ok<NamedResult[]>('checks.runNow', { checkIds: [webB.id] });
    expect(after.metrics.source).toBe('lifeboat');
  }, 60_000);
});
