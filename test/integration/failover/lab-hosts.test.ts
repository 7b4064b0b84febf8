/**
 * Host faults done for real in the lab, judged from outside (ip addr on each member, the client's
 * probe, systemctl in the hosts, the VIP check, the audit log): a host rebooted after a failover
 * (an address added at runtime does not survive it), a host powered off, and a unit that fails to
 * start on the target. Each test puts the lab back as it found it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Check, CheckView } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { describeLab, type Lab } from '../../helpers/lab';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { defaultSteps, holdersOf, openLabFailover, placeVip, stepIndexOf, type LabFailover } from './lab-failover';

const WEB = ['web-a', 'web-b'] as const;

/** Makes crm fail at once on a host (a runtime drop-in: gone at the next reboot), with a line in its journal. */
const BREAK_CRM = `mkdir -p /run/systemd/system/crm.service.d
cat > /run/systemd/system/crm.service.d/broken.conf <<'EOF'
[Service]
ExecStart=
ExecStart=/bin/sh -c 'echo "crm: cannot read /etc/crm/database.conf: No such file or directory" >&2; exit 3'
Restart=no
EOF
systemctl daemon-reload
systemctl stop crm
systemctl start crm; sleep 0.3; systemctl is-active crm || true`;
const REPAIR_CRM =
  'rm -rf /run/systemd/system/crm.service.d; systemctl daemon-reload; systemctl reset-failed crm; systemctl start crm';

describeLab('host faults in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  let checks: Check[];
  const runNow = async (name: string) => {
    const check = checks.find((c) => c.name === name);
    if (!check) throw new Error(`no check ${name}`);
    const [result] = await w.ws.ok<NamedResult[]>('checks.runNow', { checkIds: [check.id] });
    return result;
  };
  const failoverWeb = async () => {
    const started = await startRun(w.deps, {
      groupId: w.group('web').id,
      targetServerId: w.serverId('web-b'),
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toBeNull();
    expect(
      await started.finished,
      JSON.stringify(viewRun(w.deps, started.runId!).steps.map((s) => `${s.title}: ${s.status} ${s.message}`)),
    ).toBe('succeeded');
    expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual(['web-b']);
  };

  beforeAll(async () => {
    w = await openLabFailover(lab());
    await w.ws.ok('checks.generateDefaults', {});
    checks = (await w.ws.ok<CheckView[]>('checks.list', {})).map((v) => v.check);
  }, 60_000);
  afterAll(async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    await w?.close();
  });

  it('after a failover, the new primary rebooting drops the VIP: the VIP check alarms that no member holds it', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    await failoverWeb();
    expect(await runNow('web: VIP ownership')).toMatchObject({ status: 'ok', summary: `${vip} on web-b (eth0)` });

    await lab().reboot('web-b');
    // It came back with its own address and its units, and without the address the failover added.
    const after = await lab().exec('web-b', 'ip -4 -o addr show dev eth0; systemctl is-active nginx crm');
    expect(after.stdout).toContain(` ${lab().hosts['web-b'].ip}/24 `);
    expect(after.stdout).not.toContain(` ${vip}/`);
    expect(after.stdout.trim().split('\n').slice(-2)).toEqual(['active', 'active']);
    expect(await holdersOf(lab(), vip, WEB)).toEqual([]);
    const none = await runNow('web: VIP ownership');
    expect(none.status).toBe('fail');
    expect(none.summary).toBe(`${vip} is held by no member (none holds it)`);
    expect((await lab().probe(`http://${vip}/`, { timeoutMs: 1_000 })).ok).toBe(false);
  }, 120_000);

  it('after a failover, the old primary rebooting does not take the VIP back', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    await failoverWeb();
    await lab().reboot('web-a');
    // web-a runs its units again (they are enabled), but the VIP stays where the failover put it.
    expect((await lab().exec('web-a', ['systemctl', 'is-active', 'nginx', 'crm'])).stdout).toBe('active\nactive\n');
    expect(await holdersOf(lab(), vip, WEB)).toEqual(['web-b']);
    expect(await runNow('web: VIP ownership')).toMatchObject({ status: 'ok', summary: `${vip} on web-b (eth0)` });
    expect((await lab().probe(`http://${vip}/`)).host).toBe('web-b');
  }, 120_000);

  it('a powered-off standby answers nothing, and a failover to it is refused at pre-flight', async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    await lab().powerOff('web-b');
    try {
      const ping = await lab().exec('client', ['ping', '-c', '1', '-W', '1', lab().hosts['web-b'].ip], {
        timeoutMs: 5_000,
      });
      expect(ping.code).not.toBe(0);
      expect((await lab().probe(`http://${lab().hosts['web-b'].ip}/`, { timeoutMs: 1_000 })).ok).toBe(false);
      await expect(lab().exec('web-b', 'true')).rejects.toThrow(/not running/);
      const started = await startRun(w.deps, {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(started.refused).toMatch(/web-b cannot be reached|the state of web-b is unknown/);
      expect(await holdersOf(lab(), vip, ['web-a'])).toEqual(['web-a']);
    } finally {
      await lab().powerOn('web-b');
    }
    expect((await lab().exec('web-b', ['systemctl', 'is-active', 'nginx', 'crm'])).stdout).toBe('active\nactive\n');
    expect((await lab().probe(`http://${lab().hosts['web-b'].ip}/`)).host).toBe('web-b');
  }, 120_000);

  it("a unit that fails on the target halts the run at its wait.check, with the unit's last journal lines", async () => {
    const vip = lab().vips.web;
    await placeVip(lab(), vip, 'web-a', WEB);
    const broken = await lab().exec('web-b', BREAK_CRM, { timeoutMs: 30_000 });
    expect(broken.stdout.trim().split('\n').pop()).toBe('failed');
    try {
      const group = w.group('web');
      const vipStep = (kind: 'vip.release' | 'vip.acquire', host: string) => ({
        type: 'action',
        title: `${kind} on ${host}`,
        serverId: w.serverId(host),
        action: { kind, params: { address: vip, prefix: 24, interface: 'eth0' } },
      });
      const wait = {
        type: 'action',
        title: 'Wait until crm is active on web-b',
        serverId: w.serverId('web-b'),
        timeoutSeconds: 30,
        action: {
          kind: 'wait.check',
          params: { check: { probe: 'service-active', unit: 'crm' }, deadlineSeconds: 4, intervalSeconds: 1 },
        },
      };
      await w.ws.ok('runbooks.save', {
        groupId: group.id,
        direction: 'failover',
        sourceServerId: w.serverId('web-a'),
        targetServerId: w.serverId('web-b'),
        steps: [vipStep('vip.release', 'web-a'), vipStep('vip.acquire', 'web-b'), wait],
      });
      const started = await startRun(w.deps, {
        groupId: group.id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(started.refused).toBeNull();
      const deadline = Date.now() + 30_000;
      while (viewRun(w.deps, started.runId!).waiting === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const view = viewRun(w.deps, started.runId!);
      expect(view.waiting?.stepIndex).toBe(2);
      expect(view.steps[2].status).toBe('failed');
      expect(view.steps[2].message).toMatch(/^crm is active on web-b: not within 4 s/);
      expect(view.steps[2].message).toContain('Last journal lines of crm:');
      expect(view.steps[2].message).toContain('crm: cannot read /etc/crm/database.conf: No such file or directory');
      // The journal read is a read, audited like every command.
      const reads = listAuditRows(w.ws.db, { runId: started.runId!, limit: 500 }).filter(
        (r) => r.kind === 'intent' && r.command.startsWith('journalctl'),
      );
      expect(reads.map((r) => [r.host, r.command, r.detail.startsWith('read')])).toEqual([
        ['web-b', "journalctl -u 'crm' -n 10 --no-pager", true],
      ]);
      respondToRun(w.deps, { runId: started.runId!, stepIndex: 2, action: 'abort', reason: 'crm is broken on web-b' });
      expect(await started.finished).toBe('aborted');

      // The default runbook meets the same unit at its start step, which reads the unit's state right after starting it.
      const steps = await defaultSteps(w, 'web', 'web-b');
      await w.ws.ok('runbooks.save', {
        groupId: group.id,
        direction: 'failover',
        sourceServerId: w.serverId('web-a'),
        targetServerId: w.serverId('web-b'),
        steps,
      });
      await lab().exec('web-b', REPAIR_CRM, { timeoutMs: 30_000 });
      await placeVip(lab(), vip, 'web-a', WEB);
      await lab().exec('web-b', BREAK_CRM, { timeoutMs: 30_000 });
      const again = await startRun(w.deps, {
        groupId: group.id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(again.refused).toBeNull();
      const until = Date.now() + 60_000;
      while (viewRun(w.deps, again.runId!).waiting === null && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const halted = viewRun(w.deps, again.runId!);
      const startCrm = halted.steps.findIndex((s) => s.title === 'Start crm on web-b');
      expect(startCrm).toBeGreaterThan(await stepIndexOf(w, 'web', 'web-b', 'vip.acquire'));
      expect(halted.waiting?.stepIndex).toBe(startCrm);
      expect(halted.steps[startCrm]).toMatchObject({ status: 'failed' });
      expect(halted.steps[startCrm].message).toMatch(/crm on web-b is not active after start/);
      respondToRun(w.deps, {
        runId: again.runId!,
        stepIndex: startCrm,
        action: 'abort',
        reason: 'crm is broken on web-b',
      });
      expect(await again.finished).toBe('aborted');
    } finally {
      const repaired = await lab().exec('web-b', REPAIR_CRM, { timeoutMs: 30_000 });
      expect(repaired.code, repaired.stderr).toBe(0);
    }
  }, 150_000);
});
