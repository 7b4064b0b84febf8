/**
 * Faults during a failover of the lab's web VIP, judged from outside (`ip addr` on each member,
 * the audit log): a third party holding the address, SSH dropped mid-step, the standby
 * unreachable at pre-flight. Each test puts the lab back as it found it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { Runbook } from '../../../shared/runbooks';
import { respondToRun, startRun as startUnconfirmed, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import {
  holdersOf,
  openLabFailover,
  placeVip,
  restartSshd,
  sshdPids,
  stepIndexOf,
  type LabFailover,
} from './lab-failover';

const WEB = ['web-a', 'web-b'] as const;

/** Save the web group's runbook to web-b with the full one-second duplicate probe. */
async function useFullProbe(w: LabFailover): Promise<void> {
  const runbook = await w.ws.ok<Runbook>('runbooks.generate', {
    groupId: w.group('web').id,
    targetServerId: w.serverId('web-b'),
  });
  for (const step of runbook.steps)
    if (step.type === 'action' && step.action.kind === 'vip.acquire') step.action.params.probeMilliseconds = 1000;
  await w.ws.ok('runbooks.save', {
    groupId: runbook.groupId,
    direction: runbook.direction,
    sourceServerId: runbook.sourceServerId,
    targetServerId: runbook.targetServerId,
    steps: runbook.steps,
  });
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeLab('failover faults in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
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

  it('refuses a move while a third party answers for the address, before anything changes on the members', async () => {
    const vip = lab().vips.web;
    // The VIP is on no member (web-a lost it), and the client host has taken the address.
    await placeVip(lab(), vip, 'web-a', WEB);
    await lab().exec('web-a', ['ip', 'addr', 'del', `${vip}/24`, 'dev', 'eth0']);
    await lab().exec('client', ['ip', 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
    try {
      const started = await startRun(w.deps, input());
      expect(started.refused).toBeNull();
      await until(() => viewRun(w.deps, started.runId!).waiting !== null, 20_000, 'the listening to halt');
      const view = viewRun(w.deps, started.runId!);
      const listen = await stepIndexOf(w, 'web', 'web-b', 'vip.listen');
      expect(view.steps[listen].status).toBe('refused');
      expect(view.steps[listen].message).toMatch(/another machine answers for .*Refused before anything changed/);
      expect(await holdersOf(lab(), vip, WEB)).toEqual([]);
      respondToRun(w.deps, {
        runId: started.runId!,
        stepIndex: listen,
        action: 'abort',
        reason: 'find who holds the address',
      });
      expect(await started.finished).toBe('aborted');
      expect(await holdersOf(lab(), vip, WEB)).toEqual([]);
      const changes = listAuditRows(w.ws.db, { runId: started.runId!, limit: 200 }).filter(
        (r) => r.kind === 'intent' && /ip addr (add|del)/.test(r.command),
      );
      expect(changes).toEqual([]);
    } finally {
      await lab().exec('client', ['ip', 'addr', 'del', `${vip}/32`, 'dev', 'eth0']);
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 60_000);

  it('SSH dropped mid-step: the step is indeterminate, its state is re-read, and the run halts and asks', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    try {
      // With the full duplicate probe the acquire listens for a second: drop web-b's SSH connection during it.
      await useFullProbe(w);
      const started = await startRun(w.deps, input());
      expect(started.refused).toBeNull();
      await until(
        () =>
          listAuditRows(w.ws.db, { runId: started.runId!, limit: 50 }).some(
            (r) => r.kind === 'intent' && r.host === 'web-b' && r.command.includes('ip addr add'),
          ),
        10_000,
        'the acquire to start',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { sessions } = sshdPids(lab(), 'web-b');
      expect(sessions.length).toBeGreaterThan(0);
      for (const pid of sessions) process.kill(pid, 'SIGKILL');
      await until(() => viewRun(w.deps, started.runId!).waiting !== null, 30_000, 'the run to halt');
      const view = viewRun(w.deps, started.runId!);
      const acquire = await stepIndexOf(w, 'web', 'web-b', 'vip.acquire');
      expect(view.steps[acquire].status).toBe('indeterminate');
      expect(view.steps[acquire].observed).toMatch(/web-b (holds|does not hold) /);
      expect(view.waiting?.options).toEqual(['retry', 'skip', 'abort']);
      // Nothing retried by itself.
      const probes = () =>
        listAuditRows(w.ws.db, { runId: started.runId!, limit: 200 }).filter(
          (r) => r.kind === 'intent' && r.command.includes('ip addr add'),
        ).length;
      const before = probes();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(probes()).toBe(before);
      expect((await holdersOf(lab(), vip, WEB)).length).toBeLessThanOrEqual(1);
      respondToRun(w.deps, { runId: started.runId!, stepIndex: acquire, action: 'retry' });
      expect(await started.finished).toBe('succeeded');
      expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-b']);
    } finally {
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 90_000);

  it('the standby unreachable at pre-flight: refused, nothing run, no command intent on record', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    const { listener, sessions } = sshdPids(lab(), 'web-b');
    for (const pid of [listener, ...sessions]) process.kill(pid, 'SIGKILL');
    try {
      const started = await startRun(w.deps, input());
      expect(started.refused).toMatch(/web-b cannot be reached|the state of web-b is unknown/);
      expect(viewRun(w.deps, started.runId!).status).toBe('failed');
      const intents = listAuditRows(w.ws.db, { runId: started.runId!, limit: 200 }).filter((r) => r.kind === 'intent');
      expect(intents.length).toBeGreaterThan(0);
      expect(intents.every((r) => r.detail.startsWith('read: pre-flight'))).toBe(true);
      expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-a']);
      // Without the confirmed plan nothing is even read.
      await expect(startUnconfirmed(w.deps, input())).rejects.toThrow(/planHash/);
    } finally {
      await restartSshd(lab(), 'web-b');
      await placeVip(lab(), vip, 'web-a', WEB);
    }
  }, 90_000);
});
