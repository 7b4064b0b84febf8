/**
 * The duplicate guard of a VIP move against real hosts, judged from outside (`ip addr` on each
 * host, the audit log): a third party on the segment (the lab's pbx) holding the web VIP and
 * answering ARP for it slowly, or losing its first answer, is refused before anything changes; one
 * that takes the VIP right after the move is caught by the watch, which raises the alarm and halts.
 * This kernel has no netem: the slow third party has its own ARP replies off (arp_ignore=8) and
 * answers from a raw-socket responder (arp-responder.py).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { holdersOf, openLabFailover, placeVip, stepIndexOf, type LabFailover } from './lab-failover';

const WEB = ['web-a', 'web-b'] as const;
const THIRD = 'pbx' as const;
const RESPONDER = fs.readFileSync(path.join(__dirname, 'arp-responder.py'), 'utf8');

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeLab('the duplicate guard of a VIP move, with a third party on the segment', (lab: () => Lab) => {
  let w: LabFailover;
  let itf: string;
  let thirdMac: string;
  beforeAll(async () => {
    w = await openLabFailover(lab());
    itf = lab().hosts[THIRD].interface;
    const link = await lab().exec(THIRD, ['ip', '-o', 'link', 'show', 'dev', itf]);
    thirdMac = /link\/ether ([0-9a-f:]{17})/.exec(link.stdout)?.[1] ?? '';
    expect(thirdMac).toMatch(/^[0-9a-f:]{17}$/);
  }, 60_000);
  afterAll(async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    await w?.close();
  });
  const input = () => ({
    groupId: w.group('web').id,
    targetServerId: w.serverId('web-b'),
    mode: 'real' as const,
    confirmation: 'web',
  });
  const audit = (runId: number) => listAuditRows(w.ws.db, { runId, limit: 500 });

  /**
   * The third party holds the VIP with its kernel's ARP replies off, and answers from the responder
   * (`delayMs` late, losing its first `dropFirst` answers to each asker). Checks from the client
   * that it answers as configured, then runs `body`; puts everything back.
   */
  async function withSlowThirdParty(
    delayMs: number,
    dropFirst: number,
    body: () => Promise<void>,
  ): Promise<{ requesters: string[]; answered: number; minDelayMs: number | null }> {
    const vip = lab().vips.web;
    const key = `net.ipv4.conf.${itf}.arp_ignore`;
    const before = (await lab().exec(THIRD, ['sysctl', '-n', key])).stdout.trim();
    await lab().exec(THIRD, ['sysctl', '-qw', `${key}=8`]);
    await lab().exec(THIRD, ['ip', 'addr', 'add', `${vip}/32`, 'dev', itf]);
    const responder = lab().exec(
      THIRD,
      ['python3', '-c', RESPONDER, itf, vip, String(delayMs), String(dropFirst), '12'],
      { timeoutMs: 30_000 },
    );
    try {
      // The client hears the third party (arping -b keeps broadcasting past its lost answers).
      let heard = '';
      await until(
        async () => {
          heard = (
            await lab().exec(
              'client',
              [
                'arping',
                '-b',
                '-c',
                String(dropFirst + 2),
                '-w',
                String(dropFirst + 3),
                '-I',
                lab().hosts.client.interface,
                vip,
              ],
              { timeoutMs: 10_000 },
            )
          ).stdout;
          return heard.toLowerCase().includes(thirdMac);
        },
        15_000,
        'the third party to answer the client',
      );
      await body();
    } finally {
      await lab().exec(THIRD, ['ip', 'addr', 'del', `${vip}/32`, 'dev', itf]);
      await lab().exec(THIRD, ['sysctl', '-qw', `${key}=${before || '0'}`]);
    }
    const done = JSON.parse((await responder).stdout) as {
      requesters: string[];
      answered: number;
      minDelayMs: number | null;
    };
    // Every answer it sent left at least the configured delay after the request (timed by the responder itself).
    expect(done.minDelayMs).toBeGreaterThanOrEqual(delayMs);
    return done;
  }

  /** A run refused by the listening: nothing changed on the members, no change sent, and the run is aborted. */
  async function expectRefusedBeforeAnyChange(): Promise<void> {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    const started = await startRun(w.deps, input());
    expect(started.refused).toBeNull();
    await until(() => viewRun(w.deps, started.runId!).waiting !== null, 20_000, 'the listening to halt');
    const view = viewRun(w.deps, started.runId!);
    expect(view.steps[0].status).toBe('refused');
    expect(view.steps[0].message).toContain(`another machine answers for ${vip}: ${thirdMac}`);
    expect(view.steps[0].message).toMatch(/Refused before anything changed/);
    expect(view.steps.slice(1).every((s) => s.status === 'pending')).toBe(true);
    expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-a']);
    expect(audit(started.runId!).some((r) => r.kind === 'intent' && /ip addr (add|del)/.test(r.command))).toBe(false);
    respondToRun(w.deps, {
      runId: started.runId!,
      stepIndex: 0,
      action: 'abort',
      reason: 'a third party answers for the VIP',
    });
    expect(await started.finished).toBe('aborted');
    expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-a']);
  }

  it('a third party answering ARP for the VIP 200 ms late is refused before anything changes', async () => {
    const done = await withSlowThirdParty(200, 0, expectRefusedBeforeAnyChange);
    const webB = /link\/ether ([0-9a-f:]{17})/.exec(
      (await lab().exec('web-b', ['ip', '-o', 'link', 'show', 'dev', 'eth0'])).stdout,
    )?.[1];
    // It was web-b's listening that heard it.
    expect(done.requesters).toContain(webB);
  }, 90_000);

  it('a third party whose first ARP answer is lost is refused before anything changes', async () => {
    const done = await withSlowThirdParty(0, 1, expectRefusedBeforeAnyChange);
    expect(done.answered).toBeGreaterThan(1);
  }, 90_000);

  it('a third party that takes the VIP right after the move: the watch raises the alarm and halts', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    const started = await startRun(w.deps, input());
    expect(started.refused).toBeNull();
    try {
      // Right after the release and the acquire, the third party adds the address (its kernel answers ARP).
      await until(async () => (await holdersOf(lab(), vip, ['web-b'])).length === 1, 20_000, 'the acquire on web-b');
      await lab().exec(THIRD, ['ip', 'addr', 'add', `${vip}/32`, 'dev', itf]);
      await until(
        () => viewRun(w.deps, started.runId!).waiting !== null || viewRun(w.deps, started.runId!).status !== 'running',
        20_000,
        'the watch to halt',
      );
      const view = viewRun(w.deps, started.runId!);
      const watch = await stepIndexOf(w, 'web', 'web-b', 'vip.watch');
      // Every step before the watch went well; the watch halted the run.
      expect(view.steps.map((s) => s.status)).toEqual(
        view.steps.map((_, i) => (i < watch ? 'succeeded' : i === watch ? 'failed' : 'pending')),
      );
      expect(view.steps[watch].message).toContain(`TWO HOLDERS of ${vip}: web-b (`);
      expect(view.steps[watch].message).toContain(`${thirdMac} also answers for it. Halted.`);
      expect(view.steps[watch].message).toMatch(/remove .* from it/);
      expect(view.waiting).toMatchObject({ stepIndex: watch, options: ['retry', 'skip', 'abort'] });
      expect(
        audit(started.runId!).some((r) => r.kind === 'alarm' && r.stepIndex === watch && r.detail.includes(thirdMac)),
      ).toBe(true);
      expect((await holdersOf(lab(), vip, [...WEB, THIRD])).sort()).toEqual(['pbx', 'web-b']);
      respondToRun(w.deps, {
        runId: started.runId!,
        stepIndex: watch,
        action: 'abort',
        reason: 'pbx took the address',
      });
      expect(await started.finished).toBe('aborted');
    } finally {
      await lab().exec(THIRD, ['ip', 'addr', 'del', `${vip}/32`, 'dev', itf]);
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 90_000);
});
