/**
 * Failover of the lab's web VIP with the real SSH engine, judged from outside: the client's HTTP
 * probe, `ip addr` on every member, and the audit log.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { verifyAudit } from '../../../electron/failover/audit';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import {
  defaultSteps,
  holdersOf,
  openLabFailover,
  placeVip,
  probeLoop,
  sampleHolders,
  type LabFailover,
} from './lab-failover';
import { attestAfterPreflight } from '../../helpers/attest';

const WEB = ['web-a', 'web-b'] as const;

describeLab('failover of the web VIP in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    await w?.close();
  });

  it('moves the VIP to web-b, the client follows, one holder throughout', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    expect((await lab().probe(`http://${vip}/`)).host).toBe('web-a');
    const probe = probeLoop(lab(), `http://${vip}/`);
    const sampler = sampleHolders(lab(), vip, WEB);
    const started = await startRun(w.deps, {
      groupId: w.group('web').id,
      targetServerId: w.serverId('web-b'),
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    // One holder throughout: both members sampled from outside, every few ms, during the whole run (listening, move, watch).
    const sampled = await sampler.stop();
    expect(sampled.samples).toBeGreaterThan(10);
    expect(sampled.both).toBe(0);
    expect(sampled.maxHolders).toBe(1);
    // A request caught in the gap waits for its TCP retransmission; keep probing until web-b answers.
    const deadline = Date.now() + 5000;
    let answered = '';
    while (Date.now() < deadline && (answered = (await lab().probe(`http://${vip}/`)).host) !== 'web-b')
      await new Promise((resolve) => setTimeout(resolve, 50));
    const answers = (await probe.stop()).filter((a) => a.ok).map((a) => a.host);
    expect(answered).toBe('web-b');
    expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-b']);
    // The client never goes back to the old member once the new one answered.
    if (answers.includes('web-b')) expect(answers.slice(answers.indexOf('web-b'))).not.toContain('web-a');
    const view = viewRun(w.deps, started.runId!);
    // Every step of the default runbook (the web units stopped on web-a, the VIP moved, the units started and checked on web-b).
    expect(view.steps.map((s) => s.status)).toEqual((await defaultSteps(w, 'web', 'web-b')).map(() => 'succeeded'));
    // The listening heard only web-a; the watch heard nobody but web-b.
    const byKind = async (kind: string) =>
      view.steps[
        (await defaultSteps(w, 'web', 'web-b')).findIndex((s) => s.type === 'action' && s.action.kind === kind)
      ];
    expect((await byKind('vip.listen')).message).toMatch(
      /probes over 1200 ms from web-b: only web-a \([0-9a-f:]{17}\) answered/,
    );
    expect((await byKind('vip.watch')).message).toMatch(/no other MAC answered for .*web-b \([0-9a-f:]{17}\) holds it/);
    const rows = listAuditRows(w.ws.db, { runId: started.runId!, limit: 1000 });
    expect(rows.filter((r) => r.kind === 'intent').length).toBe(rows.filter((r) => r.kind === 'outcome').length);
    expect(
      rows.some(
        (r) => r.kind === 'intent' && r.host === 'web-b' && r.command.includes(`ip addr add '${vip}/24' dev 'eth0'`),
      ),
    ).toBe(true);
    expect(verifyAudit(w.ws.db).ok).toBe(true);
  }, 60_000);

  it('halts with an alarm when the VIP is on both members, changing nothing', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    await lab().exec('web-b', ['ip', 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
    try {
      const started = await startRun(w.deps, {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(started.refused).toMatch(/TWO HOLDERS: web-a and web-b/);
      expect((await holdersOf(lab(), vip, WEB)).sort()).toEqual(['web-a', 'web-b']);
      expect(listAuditRows(w.ws.db, { runId: started.runId!, limit: 100 }).some((r) => r.kind === 'alarm')).toBe(true);
      expect(
        listAuditRows(w.ws.db, { runId: started.runId!, limit: 100 }).every(
          (r) => r.kind !== 'intent' || r.detail.startsWith('read'),
        ),
      ).toBe(true);
    } finally {
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 60_000);

  it('needs an attestation when the old primary is isolated, records it, and then moves the VIP', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    await lab().exec('web-a', ['ip', 'link', 'set', 'eth0', 'down']);
    try {
      const input = {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real' as const,
        confirmation: 'web',
      };
      const refused = await startRun(w.deps, input);
      expect(refused.refused).toMatch(/web-a \(the member being left\) cannot be reached: attest/);
      expect(await holdersOf(lab(), vip, ['web-b'])).toEqual([]);
      const reason = 'web-a unplugged from the switch (lab: eth0 down)';
      const attestation = await attestAfterPreflight(w.deps, input, [{ serverId: w.serverId('web-a'), reason }]);
      const started = await startRun(w.deps, { ...input, attestation });
      expect(await started.finished).toBe('succeeded');
      expect((await lab().probe(`http://${vip}/`)).host).toBe('web-b');
      const attested = listAuditRows(w.ws.db, { runId: started.runId!, limit: 100 }).find(
        (r) => r.kind === 'attestation',
      );
      expect(attested?.detail).toContain(reason);
    } finally {
      await lab().exec('web-a', ['ip', 'link', 'set', 'eth0', 'up']);
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 90_000);

  it('two concurrent failovers of one group: one runs, the other is refused', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    // A second connection to the same file plays the second window or the CLI.
    const other = await import('../../../electron/app').then((m) => m.openApp(w.ws.file, () => undefined));
    try {
      const input = {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real' as const,
        confirmation: 'web',
      };
      const results = await Promise.allSettled([
        startRun(w.deps, input),
        startRun({ ...w.deps, db: other.db, runs: other.ctx.runs }, input),
      ]);
      const won = results.filter(
        (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof startRun>>> => r.status === 'fulfilled',
      );
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(String(lost[0].reason.message)).toMatch(/already running: run #\d+/);
      expect(await won[0].value.finished).toBe('succeeded');
      expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-b']);
    } finally {
      other.dispose();
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 60_000);
});
