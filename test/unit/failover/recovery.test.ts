import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { closeRun, respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from './confirmed';
import { insertLock, insertRun } from '../../../electron/db/repositories/runs';
import { appendAudit } from '../../../electron/failover/audit';
import { definitionHash, loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { pendingSteps } from '../../../electron/failover/run-controller';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

/**
 * A run left 'running' by a process that no longer exists (as after kill -9), with its lock: the
 * web group's listening and release done and its acquire on web-b caught mid-way, or the db group's
 * promotion of db-b caught mid-way.
 */
function deadRun(mode: 'real' | 'drill' = 'real', group: 'web' | 'db' = 'web'): number {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const context = loadGroup(f.ws.db, f.groups[group].id);
  const runbook = resolveRunbook(f.ws.db, context, f.servers[`${group}-b`].id);
  const caught = runbook.steps.findIndex(
    (s) => s.type === 'action' && s.action.kind === (group === 'web' ? 'vip.acquire' : 'postgres.promote'),
  );
  const steps = pendingSteps(runbook).map((s) => (s.index < caught ? { ...s, status: 'succeeded' as const } : s));
  steps[caught] = { ...steps[caught], status: 'running' };
  const owner = { pid: dead, host: os.hostname(), token: `x:${dead}` };
  const runId = insertRun(f.ws.db, {
    groupId: context.group.id,
    groupName: group,
    sourceServerId: runbook.sourceServerId,
    targetServerId: runbook.targetServerId,
    mode,
    status: 'running',
    operator: 'sam@laptop',
    owner,
    startedAt: Date.now() - 1000,
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
    operator: 'sam@laptop',
    owner,
    acquiredAt: Date.now() - 1000,
  });
  appendAudit(f.ws.db, {
    kind: 'intent',
    runId,
    groupId: context.group.id,
    stepIndex: caught,
    host: `${group}-b`,
    command: 'acquire…',
  });
  const vip = group === 'web' ? '10.77.0.10' : '10.77.0.20';
  f.fake.hosts.get(`${group}-a`)!.addresses = f.fake.hosts
    .get(`${group}-a`)!
    .addresses.filter((a) => a.address !== vip);
  return runId;
}

describe('after a crash', () => {
  it('a running run whose owner process is gone shows as interrupted at its last intent', () => {
    const runId = deadRun();
    const view = viewRun(f.deps, runId);
    expect(view.status).toBe('interrupted');
    expect(view.owner.alive).toBe(false);
    expect(view.lastIntent).toMatchObject({ stepIndex: 2, host: 'web-b' });
    expect(view.lastOutcome).toBeNull();
    expect(view.summary).toMatch(/Nothing resumes by itself/);
  });

  it('refuses a new run of the group until the interrupted one is resumed or closed', async () => {
    const runId = deadRun();
    const input = {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real' as const,
      confirmation: 'web',
    };
    await expect(startRun(f.deps, input)).rejects.toThrow(new RegExp(`Run #${runId} of this group was interrupted`));
    expect(f.fake.calls).toEqual([]);
    closeRun(f.deps, runId, 'moved the VIP by hand');
    expect(viewRun(f.deps, runId)).toMatchObject({ status: 'closed', note: 'moved the VIP by hand' });
    const started = await startRun(f.deps, input);
    expect(await started.finished).toBe('succeeded');
  });

  it('resumes from a fresh pre-flight: re-reads who holds the VIP and asks before the interrupted step runs again', async () => {
    const runId = deadRun();
    const resumed = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
      resumeRunId: runId,
    });
    expect(resumed.runId).toBe(runId);
    expect(resumed.preflight.vips[0].holders).toEqual([]);
    await until(() => viewRun(f.deps, runId).waiting !== null);
    const view = viewRun(f.deps, runId);
    // Listen and release were done; the acquire (step 3) was caught mid-way.
    expect(view.steps.slice(0, 2).map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    expect(view.steps[2]).toMatchObject({ status: 'indeterminate' });
    expect(view.steps[2].message).toMatch(/Lifeboat stopped during this step \(was running/);
    expect(view.steps[2].observed).toBe('web-b does not hold 10.77.0.10');
    expect(view.waiting).toMatchObject({ stepIndex: 2, options: ['retry', 'skip', 'abort'] });
    // Nothing changed anything yet: neither the release nor the acquire ran again.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(f.fake.calls.some((c) => c.script.includes('held=$(') || c.script.includes('ip addr add'))).toBe(false);
    respondToRun(f.deps, { runId, stepIndex: 2, action: 'retry' });
    expect(await resumed.finished).toBe('succeeded');
    expect(f.fake.calls.filter((c) => c.script.includes('ip addr add'))).toHaveLength(1);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });

  it('a resumed step can be skipped with a reason after its state was re-read, and the run keeps its drill mode', async () => {
    const runId = deadRun('drill');
    f.fake.hosts.get('web-b')!.addresses.push({ interface: 'eth0', address: '10.77.0.10', prefix: 24 });
    const resumed = await startRun(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
      resumeRunId: runId,
    });
    await until(() => viewRun(f.deps, runId).waiting !== null);
    expect(viewRun(f.deps, runId).steps[2].observed).toBe('web-b holds 10.77.0.10 (eth0, /24)');
    respondToRun(f.deps, { runId, stepIndex: 2, action: 'skip', reason: 'web-b already holds it (re-read)' });
    expect(await resumed.finished).toBe('succeeded');
    const view = viewRun(f.deps, runId);
    expect(view.mode).toBe('drill');
    expect(view.summary).toMatch(/^Drill of web/);
    expect(f.fake.calls.some((c) => c.script.includes('ip addr add'))).toBe(false);
  });

  it('a resumed promotion re-reads pg_is_in_recovery() before asking', async () => {
    const runId = deadRun('real', 'db');
    const resumed = await startRun(f.deps, {
      groupId: f.groups.db.id,
      targetServerId: f.servers['db-b'].id,
      mode: 'real',
      confirmation: 'db',
      resumeRunId: runId,
    });
    await until(() => viewRun(f.deps, runId).waiting !== null);
    const view = viewRun(f.deps, runId);
    const index = view.waiting!.stepIndex;
    expect(view.steps[index].observed).toMatch(
      /^db-b is a standby \(replay lag 0 s\); PostgreSQL on db-a is (running|stopped)/,
    );
    expect(f.fake.calls.some((c) => c.script.includes('pg_promote'))).toBe(false);
    respondToRun(f.deps, { runId, stepIndex: index, action: 'abort', reason: 'check the database by hand' });
    expect(await resumed.finished).toBe('aborted');
  });
});
