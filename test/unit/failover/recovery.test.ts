import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { closeRun, startRun, viewRun } from '../../../electron/failover/engine';
import { insertLock, insertRun } from '../../../electron/db/repositories/runs';
import { appendAudit } from '../../../electron/failover/audit';
import { definitionHash, loadGroup, resolveRunbook } from '../../../electron/failover/definition';
import { pendingSteps } from '../../../electron/failover/run-controller';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

/** A run left 'running' by a process that no longer exists (as after kill -9), with its lock. */
function deadRun(): number {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const context = loadGroup(f.ws.db, f.groups.web.id);
  const runbook = resolveRunbook(f.ws.db, context, f.servers['web-b'].id);
  const steps = pendingSteps(runbook);
  steps[0] = { ...steps[0], status: 'succeeded' };
  steps[1] = { ...steps[1], status: 'running' };
  const owner = { pid: dead, host: os.hostname(), token: `x:${dead}` };
  const runId = insertRun(f.ws.db, {
    groupId: context.group.id, groupName: 'web', sourceServerId: runbook.sourceServerId, targetServerId: runbook.targetServerId, mode: 'real',
    status: 'running', operator: 'sam@laptop', owner, startedAt: Date.now() - 1000, finishedAt: null, definitionHash: definitionHash(context, runbook.steps),
    runbook: runbook.steps, preflight: null, steps, rtoMinutes: 30, summary: '', note: '',
  });
  insertLock(f.ws.db, { groupId: context.group.id, runId, operator: 'sam@laptop', owner, acquiredAt: Date.now() - 1000 });
  appendAudit(f.ws.db, { kind: 'intent', runId, groupId: context.group.id, stepIndex: 1, host: 'web-b', command: 'acquire…' });
  f.fake.hosts.get('web-a')!.addresses = f.fake.hosts.get('web-a')!.addresses.filter((a) => a.address !== '10.77.0.10');
  return runId;
}

describe('after a crash', () => {
  it('a running run whose owner process is gone shows as interrupted at its last intent', () => {
    const runId = deadRun();
    const view = viewRun(f.ws.db, runId);
    expect(view.status).toBe('interrupted');
    expect(view.owner.alive).toBe(false);
    expect(view.lastIntent).toMatchObject({ stepIndex: 1, host: 'web-b' });
    expect(view.lastOutcome).toBeNull();
    expect(view.summary).toMatch(/Nothing resumes by itself/);
  });

  it('refuses a new run of the group until the interrupted one is resumed or closed', async () => {
    const runId = deadRun();
    const input = { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id, mode: 'real' as const, confirmation: 'web' };
    await expect(startRun(f.deps, input)).rejects.toThrow(new RegExp(`Run #${runId} of this group was interrupted`));
    expect(f.fake.calls).toEqual([]);
    closeRun(f.ws.db, runId, 'moved the VIP by hand');
    expect(viewRun(f.ws.db, runId)).toMatchObject({ status: 'closed', note: 'moved the VIP by hand' });
    const started = await startRun(f.deps, input);
    expect(await started.finished).toBe('succeeded');
  });

  it('resumes from a fresh pre-flight, keeping finished steps and re-running the interrupted one', async () => {
    const runId = deadRun();
    const resumed = await startRun(f.deps, { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id, mode: 'real', confirmation: 'web', resumeRunId: runId });
    expect(resumed.runId).toBe(runId);
    expect(resumed.preflight.vips[0].holders).toEqual([]);
    expect(await resumed.finished).toBe('succeeded');
    expect(f.fake.calls.filter((c) => c.script.includes('held=$(')).length).toBe(0);
    expect(f.fake.holders('10.77.0.10')).toEqual(['web-b']);
  });
});
