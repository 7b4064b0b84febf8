/**
 * Locks a person can recover: a run lock left by another machine (the laptop died mid-failover) is
 * broken with a typed confirmation naming its host and run, audited, and the run resumes; a lock
 * whose heartbeat is recent is not; and the on-host lock stops a second workspace failing over the
 * same group while the first one runs, and is shown and broken by hand when left stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { fakeLockBase } from './fake-host-locks';
import { startConfirmed as startRun } from './confirmed';
import { closeRun, respondToRun, viewRun } from '../../../electron/failover/engine';
import { getLock, getRun, insertLock, insertRun } from '../../../electron/db/repositories/runs';
import { definitionHash, loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { pendingSteps } from '../../../electron/failover/run-controller';
import { HEARTBEAT_MS } from '../../../electron/failover/run-lock';
import { hostLockDir, takeScript } from '../../../electron/failover/host-lock';
import { openTempWorkspace } from '../../helpers/workspace';
import type { AuditEntry } from '../../../shared/contract/failover';
import type { HostLockView, RunLockView } from '../../../shared/contract/locks';
import type { Server, ServiceGroup } from '../../../shared/domain';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => {
  vi.useRealTimers();
  f.ws.cleanup();
});

const audit = () =>
  f.ws.db.prepare('SELECT * FROM audit_log ORDER BY id').all() as {
    kind: string;
    detail: string;
    run_id: number | null;
    host: string;
    command: string;
  }[];
const webInput = () => ({
  groupId: f.groups.web.id,
  targetServerId: f.servers['web-b'].id,
  mode: 'real' as const,
  confirmation: 'web',
});

/** The web group's run left 'running' by a process on another machine, step 2 caught mid-way. */
function foreignRun(heartbeatAgoMs: number): number {
  const context = loadGroup(f.ws.db, f.groups.web.id);
  const runbook = resolveRunbook(f.ws.db, context, f.servers['web-b'].id);
  const steps = pendingSteps(runbook).map((s) => (s.index === 0 ? { ...s, status: 'succeeded' as const } : s));
  steps[1] = { ...steps[1], status: 'running' };
  const owner = { pid: 4242, host: 'dead-laptop', token: '123:dead-token' };
  const runId = insertRun(f.ws.db, {
    groupId: context.group.id,
    groupName: 'web',
    sourceServerId: runbook.sourceServerId,
    targetServerId: runbook.targetServerId,
    mode: 'real',
    status: 'running',
    operator: 'sam@dead-laptop',
    owner,
    startedAt: Date.now() - 600_000,
    finishedAt: null,
    definitionHash: definitionHash(context, runbook.steps),
    runbook: runbook.steps,
    preflight: null,
    steps,
    rtoMinutes: 30,
    summary: '',
    note: '',
  });
  insertLock(f.ws.db, {
    groupId: context.group.id,
    runId,
    operator: 'sam@dead-laptop',
    owner,
    acquiredAt: Date.now() - 600_000,
    heartbeatAt: Date.now() - heartbeatAgoMs,
  });
  // Step 1 (release) happened before the laptop died.
  f.fake.hosts.get('web-a')!.addresses = f.fake.hosts.get('web-a')!.addresses.filter((a) => a.address !== '10.77.0.10');
  return runId;
}

describe('a run lock left by another machine', () => {
  it('refuses new runs, names the way out, and is broken only with the typed host and run, audited; then the run resumes', async () => {
    const runId = foreignRun(10 * 60_000);
    await expect(startRun(f.deps, webInput())).rejects.toThrow(
      /already running: run #\d+.*on dead-laptop.*runs break-lock/,
    );
    const [lock] = await f.ws.ok<RunLockView[]>('runs.locks');
    expect(lock).toMatchObject({
      runId,
      ownerHost: 'dead-laptop',
      local: false,
      alive: false,
      refusal: null,
      confirmation: `dead-laptop run ${runId}`,
    });

    const wrong = await f.ws.dispatcher.dispatch('runs.breakLock', {
      runId,
      confirmation: 'web',
      reason: 'laptop died',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(getLock(f.ws.db, f.groups.web.id)).toBeDefined();

    const broken = await f.ws.ok<{ status: string }>('runs.breakLock', {
      runId,
      confirmation: `dead-laptop run ${runId}`,
      reason: 'the laptop died in the server room',
    });
    expect(broken.status).toBe('interrupted');
    expect(getLock(f.ws.db, f.groups.web.id)).toBeUndefined();
    const row = audit().find((r) => r.kind === 'lock');
    expect(row?.run_id).toBe(runId);
    expect(row?.detail).toMatch(
      new RegExp(
        `broke the run lock of run #${runId} .*pid 4242 on dead-laptop.*typing "dead-laptop run ${runId}": the laptop died in the server room`,
      ),
    );

    // A new run is refused with the way to go on; resuming it works from a fresh pre-flight.
    await expect(startRun(f.deps, webInput())).rejects.toThrow(new RegExp(`--resume ${runId}`));
    const resumed = await startRun(f.deps, { ...webInput(), resumeRunId: runId });
    await until(() => viewRun(f.deps, runId).waiting !== null);
    respondToRun(f.deps, { runId, stepIndex: 1, action: 'retry' });
    expect(await resumed.finished).toBe('succeeded');
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });

  it('is not broken while its heartbeat is recent (it may still be running there)', async () => {
    const runId = foreignRun(2_000);
    const [lock] = await f.ws.ok<RunLockView[]>('runs.locks');
    expect(lock.refusal).toMatch(/heartbeat 2 s ago: it may still be running/);
    const refused = await f.ws.dispatcher.dispatch('runs.breakLock', {
      runId,
      confirmation: `dead-laptop run ${runId}`,
      reason: 'impatient',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(getRun(f.ws.db, runId)?.status).toBe('running');
    expect(audit().some((r) => r.kind === 'refusal' && /refused to break the run lock/.test(r.detail))).toBe(true);
  });

  it('a live run writes its heartbeat while it runs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    f.fake.duplicates.add('10.77.0.10');
    const started = await startRun(f.deps, webInput());
    await until(() => viewRun(f.deps, started.runId!).waiting !== null);
    const first = getLock(f.ws.db, f.groups.web.id)!.heartbeatAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(getLock(f.ws.db, f.groups.web.id)!.heartbeatAt).toBeGreaterThan(first);
    const [lock] = await f.ws.ok<RunLockView[]>('runs.locks');
    expect(lock).toMatchObject({ local: true, alive: true });
    expect(lock.refusal).toMatch(/still running on this machine/);
    respondToRun(f.deps, {
      runId: started.runId!,
      stepIndex: viewRun(f.deps, started.runId!).waiting!.stepIndex,
      action: 'abort',
      reason: 'test over',
    });
    expect(await started.finished).toBe('aborted');
    expect(getLock(f.ws.db, f.groups.web.id)).toBeUndefined();
  });
});

/** A second workspace with the same company, its commands going to the same (fake) hosts. */
async function secondWorkspace() {
  const ws = openTempWorkspace();
  const servers: Record<string, Server> = {};
  for (const name of ['web-a', 'web-b'])
    servers[name] = await ws.ok<Server>('servers.save', {
      name,
      addresses: [f.servers[name].addresses[0]],
      ssh: { host: f.servers[name].ssh.host },
    });
  const group = await ws.ok<ServiceGroup>('groups.save', {
    name: 'web',
    members: [
      { serverId: servers['web-a'].id, role: 'primary' },
      { serverId: servers['web-b'].id, role: 'standby' },
    ],
    vips: [
      {
        address: '10.77.0.10',
        prefix: 24,
        interfaces: [
          { serverId: servers['web-a'].id, interface: 'eth0' },
          { serverId: servers['web-b'].id, interface: 'eth0' },
        ],
      },
    ],
    data: { kind: 'none' },
    processes: [],
  });
  ws.ctx.runner = f.fake;
  return {
    ws,
    servers,
    group,
    deps: { db: ws.db, runner: f.fake, emit: () => undefined, runs: ws.ctx.runs, actor: 'kim@jumpbox' },
  };
}

describe('the on-host lock', () => {
  it('refuses a second workspace failing over the same group while the first runs; nothing is changed by the second', async () => {
    f.fake.duplicates.add('10.77.0.10');
    const first = await startRun(f.deps, webInput());
    await until(() => viewRun(f.deps, first.runId!).waiting !== null);
    const dir = hostLockDir({ os: 'linux' }, 'web').replace('/run/lifeboat', fakeLockBase(f.fake.runRoot, 'web-a'));
    expect(fs.readFileSync(path.join(dir, 'owner'), 'utf8')).toMatch(
      new RegExp(`^token=.*\\nrun=${first.runId}\\nworkspace=[0-9a-f-]{36}\\nowner=tester@test\\n`),
    );

    const other = await secondWorkspace();
    try {
      const callsBefore = f.fake.calls.length;
      const second = await startRun(other.deps, {
        groupId: other.group.id,
        targetServerId: other.servers['web-b'].id,
        mode: 'real',
        confirmation: 'web',
      });
      expect(second.refused).toMatch(
        /on-host lock: web-a is locked by another failover of web: run #\d+ of web by tester@test/,
      );
      const sent = f.fake.calls.slice(callsBefore);
      expect(
        sent.filter(
          (c) => c.script.includes('ip addr del') || c.script.includes('ip addr add') || c.script.includes('arping'),
        ),
      ).toEqual([]);
      expect(fs.readFileSync(path.join(dir, 'owner'), 'utf8')).toMatch(new RegExp(`run=${first.runId}\\n`));

      // The first run ends: its lock is given back on every member, and the second may go.
      f.fake.duplicates.delete('10.77.0.10');
      respondToRun(f.deps, {
        runId: first.runId!,
        stepIndex: viewRun(f.deps, first.runId!).waiting!.stepIndex,
        action: 'retry',
      });
      expect(await first.finished).toBe('succeeded');
      expect(fs.existsSync(dir)).toBe(false);
      const again = await startRun(other.deps, {
        groupId: other.group.id,
        targetServerId: other.servers['web-a'].id,
        mode: 'real',
        confirmation: 'web',
      });
      expect(again.refused).toBeNull();
      expect(await again.finished).toBe('succeeded');
      expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    } finally {
      other.ws.cleanup();
    }
  });

  it('a stale lock is shown (owner, run, age) and broken only with the typed member and run, audited', async () => {
    // Another workspace's run #7 died on the jump box holding the lock on web-a.
    const owner = {
      token: '99:jumpbox-token',
      runId: 7,
      workspaceId: '00000000-0000-4000-8000-000000000007',
      actor: 'kim@jumpbox',
      machine: 'jumpbox',
      groupName: 'web',
      at: Date.now() - 90_000,
    };
    expect(
      await f.fake.run(f.servers['web-a'], takeScript({ os: 'linux' }, 'web', owner, []).text, { timeoutMs: 5000 }),
    ).toMatchObject({ kind: 'ok' });
    const started = await startRun(f.deps, webInput());
    expect(started.refused).toMatch(
      /web-a is locked by another failover of web: run #7 of web by kim@jumpbox on jumpbox \(workspace 00000000, taken (89|9\d) s ago\)/,
    );
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);

    const views = await f.ws.ok<HostLockView[]>('runs.hostLocks', { groupId: f.groups.web.id });
    const held = views.find((v) => v.host === 'web-a')!;
    expect(held).toMatchObject({ state: 'held', ours: false, confirmation: 'web-a run 7' });
    expect(held.lock).toMatchObject({ owner: 'kim@jumpbox', runId: 7, groupName: 'web', token: '99:jumpbox-token' });
    expect(held.ageSeconds).toBeGreaterThanOrEqual(89);
    expect(views.find((v) => v.host === 'web-b')?.state).toBe('free');
    const wrong = await f.ws.dispatcher.dispatch('runs.breakHostLock', {
      groupId: f.groups.web.id,
      serverId: held.serverId,
      token: held.lock!.token,
      confirmation: 'web-a',
      reason: 'jump box rebooted',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const stale = await f.ws.dispatcher.dispatch('runs.breakHostLock', {
      groupId: f.groups.web.id,
      serverId: held.serverId,
      token: 'not-the-token',
      confirmation: held.confirmation,
      reason: 'jump box rebooted',
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await f.ws.ok('runs.breakHostLock', {
      groupId: f.groups.web.id,
      serverId: held.serverId,
      token: held.lock!.token,
      confirmation: held.confirmation,
      reason: 'jump box rebooted',
    });
    const lockRows = audit().filter((r) => r.kind === 'lock');
    expect(lockRows.at(-1)?.detail).toMatch(
      /breaks the on-host lock of web on web-a, run #7 of web by kim@jumpbox.*: jump box rebooted/,
    );
    expect(audit().some((r) => r.kind === 'intent' && r.host === 'web-a' && r.command.includes('lifeboat-lock'))).toBe(
      true,
    );
    expect((await f.ws.ok<HostLockView[]>('runs.hostLocks', { groupId: f.groups.web.id })).map((v) => v.state)).toEqual(
      ['free', 'free'],
    );
    const after = await startRun(f.deps, webInput());
    expect(after.refused).toBeNull();
    expect(await after.finished).toBe('succeeded');
  });

  it("the on-host lock of this workspace's run closed after a crash is taken over by the next run, not left to block it", async () => {
    const runId = foreignRun(10 * 60_000);
    const dead = getRun(f.ws.db, runId)!;
    const owner = {
      token: dead.owner.token,
      runId,
      workspaceId: '00000000-0000-4000-8000-000000000001',
      actor: 'sam@dead-laptop',
      machine: 'dead-laptop',
      groupName: 'web',
      at: Date.now() - 600_000,
    };
    expect(
      await f.fake.run(f.servers['web-a'], takeScript({ os: 'linux' }, 'web', owner, []).text, { timeoutMs: 5000 }),
    ).toMatchObject({ kind: 'ok' });
    await f.ws.ok('runs.breakLock', { runId, confirmation: `dead-laptop run ${runId}`, reason: 'the laptop died' });
    closeRun(f.deps, runId, 'put the VIP back on web-a by hand');
    f.fake.hosts.get('web-a')!.addresses.push({ interface: 'eth0', address: '10.77.0.10', prefix: 24 });
    const started = await startRun(f.deps, webInput());
    expect(started.refused).toBeNull();
    expect(await started.finished).toBe('succeeded');
    const dir = hostLockDir({ os: 'linux' }, 'web').replace('/run/lifeboat', fakeLockBase(f.fake.runRoot, 'web-a'));
    expect(fs.existsSync(dir)).toBe(false);
    // Another workspace's lock (a token this workspace never had) is never taken over.
    const stranger = { ...owner, token: '7:somebody-else', runId: 99 };
    expect(
      await f.fake.run(f.servers['web-a'], takeScript({ os: 'linux' }, 'web', stranger, []).text, { timeoutMs: 5000 }),
    ).toMatchObject({ kind: 'ok' });
    expect((await startRun(f.deps, { ...webInput(), targetServerId: f.servers['web-a'].id })).refused).toMatch(
      /web-a is locked by another failover of web: run #99/,
    );
  });

  it('an on-host lock that cannot be read refuses the run before any change (fail closed)', async () => {
    f.fake.override((host, script) =>
      host === 'web-b' && script.includes('lifeboat-lock')
        ? {
            kind: 'ok',
            result: { code: 0, stdout: 'lifeboat-lock: taken\n', stderr: '', truncated: false, durationMs: 1 },
          }
        : undefined,
    );
    const started = await startRun(f.deps, webInput());
    expect(started.refused).toMatch(/the on-host lock on web-b could not be taken \(the lock script did not finish/);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-a']);
    const entries = (await f.ws.ok<AuditEntry[]>('audit.list', { limit: 100 })).filter(
      (e) => e.kind === 'intent' && e.detail.startsWith('change:'),
    );
    expect(entries.map((e) => e.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/release the on-host lock of web on web-a/)]),
    );
    expect(entries.some((e) => /VIP|release 10|acquire/.test(e.detail))).toBe(false);
  });
});
