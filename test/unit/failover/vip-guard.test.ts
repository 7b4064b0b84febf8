/**
 * The duplicate guard of a VIP move, on fake hosts sharing a fake segment that can delay and lose
 * probes and answers: the listening before the release refuses any MAC but the holder's, the short
 * window needs proof, and the watch after the acquire raises the alarm on a second MAC.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { planOnly, respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { attestAfterPreflight } from '../../helpers/attest';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { parseProbeRun, probeProof, spreadSchedule } from '../../../electron/failover/actions/vip-probe';
import { vipAcquire } from '../../../electron/failover/actions/vip-acquire';
import type { StepEnvironment } from '../../../electron/failover/actions/kit';
import { VipAcquireParams } from '../../../shared/runbooks';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const VIP = '10.77.0.10';
const STRANGER = '02:00:00:00:0e:ee';
const audit = (runId: number) => listAuditRows(f.ws.db, { runId, limit: 1000 });
const changes = (runId: number) =>
  audit(runId).filter((r) => r.kind === 'intent' && /ip addr (add|del)/.test(r.command));

async function startWeb() {
  const started = await startRun(f.deps, {
    groupId: f.groups.web.id,
    targetServerId: f.servers['web-b'].id,
    mode: 'real',
    confirmation: 'web',
  });
  expect(started.refused).toBeNull();
  return started;
}

async function haltedAt(runId: number) {
  await until(() => viewRun(f.deps, runId).waiting !== null || viewRun(f.deps, runId).status !== 'running');
  return viewRun(f.deps, runId);
}

/** Add the stranger once web-a's release has been sent (after the listening). */
function strangerAfterRelease(delayMs: number) {
  let added = false;
  f.fake.override((host, script) => {
    if (!added && host === 'web-a' && script.startsWith('held=$(ip -o addr show')) {
      added = true;
      f.fake.segment.addStranger(VIP, { mac: STRANGER, delayMs, dropFirst: 0 });
    }
    return undefined;
  });
}

describe('listening before the release', () => {
  it('refuses a third party answering 200 ms late, before anything changes', async () => {
    f.fake.segment.addStranger(VIP, { mac: STRANGER, delayMs: 200, dropFirst: 0 });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[0]).toMatchObject({ status: 'refused' });
    expect(view.steps[0].message).toContain(
      `another machine answers for ${VIP}: ${STRANGER}; only web-a's eth0 (${f.fake.segment.macOf('web-a')}) may answer`,
    );
    expect(f.fake.holders(VIP)).toEqual(['web-a']);
    expect(changes(started.runId!)).toEqual([]);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'a stranger answers' });
    expect(await started.finished).toBe('aborted');
  });

  it('refuses a third party whose first answer is lost', async () => {
    f.fake.segment.addStranger(VIP, { mac: STRANGER, delayMs: 0, dropFirst: 1 });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[0]).toMatchObject({ status: 'refused' });
    expect(view.steps[0].message).toContain(STRANGER);
    expect(f.fake.holders(VIP)).toEqual(['web-a']);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'test over' });
    await started.finished;
  });

  it('a lost probe is not fatal: the others still reach the holder, and the move goes on', async () => {
    f.fake.segment.lostProbes.add(0);
    const started = await startWeb();
    expect(await started.finished).toBe('succeeded');
    expect(viewRun(f.deps, started.runId!).steps[0].message).toMatch(
      /only web-a \(02:00:00:00:01:[0-9a-f]{2}\) answered/,
    );
    expect(f.fake.holders(VIP)).toEqual(['web-b']);
  });

  it('refuses when the holder holds the VIP but none of its answers arrive (the probes may not reach the segment)', async () => {
    for (let i = 0; i < 10; i++) f.fake.segment.lostProbes.add(i);
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[0].message).toMatch(/web-a holds 10.77.0.10 but did not answer \d+ probes from web-b/);
    expect(f.fake.holders(VIP)).toEqual(['web-a']);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'test over' });
    await started.finished;
  });

  it("refuses when the holder's MAC cannot be read", async () => {
    f.fake.override((host, script) =>
      host === 'web-a' && script.startsWith('ip -o link show')
        ? {
            kind: 'failed',
            result: { code: 1, stdout: '', stderr: 'Device "eth0" does not exist.', truncated: false, durationMs: 1 },
          }
        : undefined,
    );
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[0].status).toBe('failed');
    expect(view.steps[0].message).toMatch(/reading the interface eth0 of web-a/);
    expect(changes(started.runId!)).toEqual([]);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'test over' });
    await started.finished;
  });

  it('a holder attested powered off that still answers ARP is refused: no MAC may answer', async () => {
    f.fake.hosts.get('web-a')!.reachable = false;
    // Its SSH is gone, but something with its MAC still answers for the VIP.
    f.fake.segment.addStranger(VIP, { mac: f.fake.segment.macOf('web-a'), delayMs: 0, dropFirst: 0 });
    const key = { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id };
    const attestation = await attestAfterPreflight(f.deps, key, [
      { serverId: f.servers['web-a'].id, reason: 'web-a is off' },
    ]);
    const started = await startRun(f.deps, { ...key, mode: 'real', confirmation: 'web', attestation });
    const view = await haltedAt(started.runId!);
    expect(view.steps[0]).toMatchObject({ status: 'refused' });
    expect(view.steps[0].message).toMatch(/nobody may answer \(web-a is attested powered off or isolated\)/);
    expect(f.fake.holders(VIP)).toEqual(['web-a']);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'web-a is not off' });
    await started.finished;
  });
});

describe('the short window after the release', () => {
  it('refuses a holder that appeared after the listening, even with one of its probes lost', async () => {
    strangerAfterRelease(0);
    f.fake.override((host, script) => {
      // The first probe of the acquire is lost on the wire; the other two are answered.
      if (host === 'web-b' && script.includes('ip addr add')) f.fake.segment.loseNext(1);
      return undefined;
    });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[2]).toMatchObject({ status: 'refused' });
    expect(view.steps[2].message).toMatch(/another machine answers for 10.77.0.10; nothing was added/);
    expect(f.fake.holders(VIP)).toEqual([]);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'abort', reason: 'test over' });
    await started.finished;
  });

  it('a probe run that could not send is run again, longer; without proof the acquire is refused', async () => {
    f.fake.override((host, script) => {
      if (host === 'web-b' && script.includes('ip addr add')) f.fake.segment.unsentRuns = 6;
      return undefined;
    });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps[2]).toMatchObject({ status: 'refused' });
    expect(view.steps[2].message).toMatch(/no proof that 10.77.0.10 is free; nothing was added/);
    expect(f.fake.holders(VIP)).toEqual([]);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 2, action: 'abort', reason: 'test over' });
    await started.finished;
  });
});

describe('the watch after the acquire', () => {
  it('raises the alarm and halts on a second MAC answering 300 ms late, and says what to do', async () => {
    let added = false;
    f.fake.override((host, script) => {
      if (!added && host === 'web-b' && script.includes('--- lifeboat: link')) {
        added = true;
        f.fake.segment.addStranger(VIP, { mac: STRANGER, delayMs: 300, dropFirst: 1 });
      }
      return undefined;
    });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
    expect(view.steps[3].message).toMatch(
      new RegExp(
        `TWO HOLDERS of 10.77.0.10: web-b \\(${f.fake.segment.macOf('web-b')}\\) holds it and ${STRANGER} also answers for it. Halted.*remove 10.77.0.10 from it`,
      ),
    );
    expect(
      audit(started.runId!).some((r) => r.kind === 'alarm' && r.stepIndex === 3 && r.detail.includes(STRANGER)),
    ).toBe(true);
    expect(
      f.events.some(
        (e) =>
          e.event === 'run.output' &&
          (e.payload as { stream: string; text: string }).stream === 'alarm' &&
          (e.payload as { text: string }).text.includes('TWO HOLDERS'),
      ),
    ).toBe(true);
    expect(view.waiting?.options).toEqual(['retry', 'skip', 'abort']);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 3, action: 'abort', reason: 'rogue host found' });
    expect(await started.finished).toBe('aborted');
  });

  it('a holder that appeared in the short window while every probe of it was lost is caught by the watch', async () => {
    strangerAfterRelease(0);
    f.fake.override((host, script) => {
      // Every probe of the acquire's window is lost on the wire: silence, with proof that they went out.
      if (host === 'web-b' && script.includes('ip addr add')) f.fake.segment.loseNext(3);
      return undefined;
    });
    const started = await startWeb();
    const view = await haltedAt(started.runId!);
    expect(view.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
    expect(view.steps[3].message).toMatch(/TWO HOLDERS of 10.77.0.10/);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 3, action: 'abort', reason: 'test over' });
    await started.finished;
  });
});

describe('the probes themselves', () => {
  it('already held on lo does not count: the acquire adds the VIP on the interface', async () => {
    const server = f.servers['web-b'];
    f.fake.hosts.get('web-a')!.addresses = f.fake.hosts.get('web-a')!.addresses.filter((a) => a.address !== VIP);
    f.fake.hosts.get('web-b')!.addresses.push({ interface: 'lo', address: VIP, prefix: 32 });
    const env = {
      servers: new Map(Object.values(f.servers).map((s) => [s.id, s])),
      group: f.groups.web,
      server,
      rpoMinutes: null,
      acknowledged: false,
      acknowledgedLag: null,
      reachable: () => true,
      info: () => undefined,
      remainingMs: () => 10_000,
      sleep: async () => undefined,
      exec: (target: typeof server, _purpose: string, script: string, options: { okCodes?: readonly number[] }) =>
        f.fake.run(target, script, { timeoutMs: 10_000, okCodes: options.okCodes }),
    } as unknown as StepEnvironment;
    const result = await vipAcquire.execute(VipAcquireParams.parse({ address: VIP, interface: 'eth0' }), env);
    expect(result).toMatchObject({ status: 'succeeded', message: `web-b holds ${VIP} on eth0` });
    expect(
      f.fake.hosts
        .get('web-b')!
        .addresses.filter((a) => a.address === VIP)
        .map((a) => a.interface)
        .sort(),
    ).toEqual(['eth0', 'lo']);
    // Held on the interface now: a second acquire changes nothing.
    expect(await vipAcquire.execute(VipAcquireParams.parse({ address: VIP, interface: 'eth0' }), env)).toMatchObject({
      status: 'no-op',
    });
  });

  it('a listening is proof only when every run reported, ended with statistics and sent', () => {
    const schedule = spreadSchedule('ask', 1200);
    const run = (exit: string, sent = 1) =>
      `ARPING x\nSent ${sent} probes (${sent} broadcast(s))\nReceived 0 response(s)\nlifeboat: arping exit ${exit}\n`;
    expect(probeProof(parseProbeRun(run('1').repeat(3), VIP), schedule)).toBeNull();
    expect(probeProof(parseProbeRun(run('1').repeat(2), VIP), schedule)).toMatch(/2 of 3 probe runs reported/);
    expect(probeProof(parseProbeRun(run('1') + run('2') + run('1'), VIP), schedule)).toMatch(
      /1 of 3 probe runs failed/,
    );
    expect(probeProof(parseProbeRun(run('1') + run('1', 0) + run('1'), VIP), schedule)).toMatch(
      /only 2 of 3 probe runs sent/,
    );
    // A reply for another address is not an answer for this one.
    expect(
      parseProbeRun(
        `Unicast reply from 10.77.0.99 [02:00:00:00:00:01]  1ms\nUnicast reply from ${VIP} [02:00:00:00:00:02]  1ms\n`,
        VIP,
      ).macs,
    ).toEqual(['02:00:00:00:00:02']);
  });

  it('the plan says the guard is weaker on OpenBSD', async () => {
    const server = f.servers['web-b'];
    await f.ws.ok('servers.save', { ...server, os: 'openbsd' });
    const plan = planOnly(f.ws.db, f.groups.web.id, server.id);
    const listen = plan.steps.find((s) => s.kind === 'vip.listen')!;
    expect(listen.description).toMatch(/OpenBSD has no arping: the ARP table is read after a ping.*weaker guard/);
    expect(listen.commands.at(-1)!.script).toMatch(/arp -d '10.77.0.10'.*\n.*ping -c 5 .*\n.*arp -n '10.77.0.10'/);
    expect(plan.steps.find((s) => s.kind === 'vip.acquire')!.description).toMatch(/weaker guard/);
    expect(plan.steps.find((s) => s.kind === 'vip.watch')!.description).toMatch(/weaker guard/);
  });
});
