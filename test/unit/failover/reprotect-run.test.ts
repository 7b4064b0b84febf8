/**
 * Re-protect through the engine, with fake hosts: a failover records the primary now and "without
 * redundancy"; the re-protect of a files group previews what the reverse sync would overwrite or
 * delete on the member coming back, halts for an acknowledgement bound to that list, copies, and
 * records the group redundant again. Readiness says "running without redundancy" in between.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { startConfirmed } from './confirmed';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import type { GroupState, ReprotectPreview } from '../../../shared/contract/reprotect';
import type { StartResult } from '../../../shared/contract/failover';
import type { Snapshot } from '../../../shared/domain';
import type { Runbook } from '../../../shared/runbooks';
import { assessReadiness } from '../../../shared/logic/readiness';
import { redundancyFacts } from '../../../electron/plan/evidence';

let f: FailoverFixture;
/** What the dry run from the VIP holder itemizes on files-a (tests change it mid-run). */
let itemized: string[];
beforeEach(async () => {
  f = await failoverFixture();
  // A push itemizes what it sends with '<' (a file that differs there is overwritten; '+' is new there).
  itemized = ['*deleting   local-only.txt', '<f.st...... README.txt', '<f+++++++++ new-on-b.txt', '.d..t...... ./'];
  f.fake.override((_host, script) =>
    script.includes('--itemize-changes')
      ? {
          kind: 'ok',
          result: { code: 0, stdout: itemized.join('\n') + '\n', stderr: '', truncated: false, durationMs: 1 },
        }
      : undefined,
  );
});
afterEach(() => f.ws.cleanup());

async function failOverFiles(): Promise<void> {
  const started = await startConfirmed(f.deps, {
    groupId: f.groups.files.id,
    targetServerId: f.servers['files-b'].id,
    mode: 'real',
    confirmation: 'files',
  });
  expect(await started.finished, JSON.stringify(viewRun(f.deps, started.runId!).steps)).toBe('succeeded');
}

const states = () => f.ws.ok<GroupState[]>('groups.state');
/** The copies sent since call number `from` (the failover's own final sync came before). */
const copiesSince = (from: number) =>
  f.fake.calls.slice(from).filter((c) => c.script.startsWith('if ! ip -o addr show'));

describe('re-protect after a failover', () => {
  it('a failover records the primary now and "without redundancy"; readiness says so', async () => {
    expect(await states()).toEqual([]);
    await failOverFiles();
    const [state] = await states();
    expect(state).toMatchObject({
      groupId: f.groups.files.id,
      primaryServerId: f.servers['files-b'].id,
      redundancy: 'without-redundancy',
    });
    const snapshot = await f.ws.ok<Snapshot>('workspace.snapshot');
    const readiness = assessReadiness(snapshot, { redundancy: redundancyFacts(f.ws.db) });
    const share = readiness.services.find((s) => s.name === 'File share')!;
    expect(share.reasons.map((r) => r.text)).toContainEqual(
      expect.stringMatching(/Group "files" is running without redundancy on files-b/),
    );
    // The other groups did not move: nothing is said about them.
    expect(readiness.services.find((s) => s.name === 'CRM')!.reasons.map((r) => r.code)).not.toContain('no_redundancy');
  });

  it('the dry run shows what the reverse sync would overwrite or delete on files-a, and changes nothing', async () => {
    await failOverFiles();
    const before = f.fake.calls.length;
    const preview = await f.ws.ok<ReprotectPreview>('reprotect.preview', { groupId: f.groups.files.id });
    expect(preview.plan.direction).toBe('reprotect');
    expect(preview.plan.targetServerId).toBe(f.servers['files-a'].id);
    expect(preview.preflight?.passed).toBe(true);
    expect(preview.overwrites).toHaveLength(1);
    expect(preview.overwrites[0]).toMatchObject({
      host: 'files-a',
      count: 2,
      lines: ['*deleting   local-only.txt', '<f.st...... README.txt'],
    });
    const sent = f.fake.calls.slice(before);
    expect(sent.some((c) => c.script.includes('--itemize-changes'))).toBe(true);
    expect(sent.some((c) => c.script.startsWith('if ! ip -o addr show'))).toBe(false);
  });

  it('halts on the list, copies once it is acknowledged (deleting at most what was listed), and records "redundant"', async () => {
    await failOverFiles();
    const from = f.fake.calls.length;
    const preview = await f.ws.ok<ReprotectPreview>('reprotect.preview', { groupId: f.groups.files.id });
    const started = await f.ws.ok<StartResult>('failover.start', {
      groupId: f.groups.files.id,
      targetServerId: preview.plan.targetServerId,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'files',
      planHash: preview.plan.planHash,
    });
    const runId = started.runId!;
    await until(() => viewRun(f.deps, runId).waiting !== null, 5000);
    const halted = viewRun(f.deps, runId);
    expect(halted.steps[0].status).toBe('needs-acknowledgement');
    expect(halted.waiting?.prompt).toMatch(/2 file\(s\) on files-a would be overwritten or deleted \(1 deleted/);
    expect(copiesSince(from)).toEqual([]);
    respondToRun(f.deps, { runId, stepIndex: 0, action: 'acknowledge' });
    await until(() => viewRun(f.deps, runId).status !== 'running', 5000);
    const done = viewRun(f.deps, runId);
    expect(done.status, JSON.stringify(done.steps)).toBe('succeeded');
    expect(done.summary).toMatch(/^Re-protect of files/);
    const [copy] = copiesSince(from);
    expect(copy.host).toBe('files-b');
    expect(copy.script).toContain('--delete --max-delete=1 ');
    expect((await states())[0]).toMatchObject({ primaryServerId: f.servers['files-b'].id, redundancy: 'redundant' });
  });

  it('a list that changed after the acknowledgement asks again', async () => {
    await failOverFiles();
    const from = f.fake.calls.length;
    const plan = (await f.ws.ok<ReprotectPreview>('reprotect.plan', { groupId: f.groups.files.id })).plan;
    const started = await f.ws.ok<StartResult>('failover.start', {
      groupId: f.groups.files.id,
      targetServerId: plan.targetServerId,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'files',
      planHash: plan.planHash,
    });
    const runId = started.runId!;
    await until(() => viewRun(f.deps, runId).waiting !== null, 5000);
    itemized = [...itemized, '<f..t...... scripts/greeting.txt'];
    respondToRun(f.deps, { runId, stepIndex: 0, action: 'acknowledge' });
    await until(() => viewRun(f.deps, runId).waiting?.prompt.includes('The list changed') === true, 5000);
    expect(copiesSince(from)).toEqual([]);
    respondToRun(f.deps, { runId, stepIndex: 0, action: 'abort', reason: 'test done' });
    await until(() => viewRun(f.deps, runId).status !== 'running', 5000);
    expect((await states())[0].redundancy).toBe('without-redundancy');
  });

  it('a re-protect is refused when its target is not the member the recorded state rebuilds', async () => {
    await failOverFiles();
    const plan = (await f.ws.ok<ReprotectPreview>('reprotect.plan', { groupId: f.groups.files.id })).plan;
    const refused = await f.ws.dispatcher.dispatch('failover.start', {
      groupId: f.groups.files.id,
      targetServerId: f.servers['files-b'].id,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'files',
      planHash: plan.planHash,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('takes how the members reach each other from the saved runbooks of the group (key and known-hosts files)', async () => {
    const g = f.groups.files;
    const generated = await f.ws.ok<Runbook>('runbooks.generate', {
      groupId: g.id,
      targetServerId: f.servers['files-b'].id,
    });
    await f.ws.ok('runbooks.save', {
      groupId: g.id,
      direction: 'failover',
      sourceServerId: generated.sourceServerId,
      targetServerId: generated.targetServerId,
      steps: generated.steps.map((step) =>
        step.type === 'action' && step.action.kind === 'rsync.sync'
          ? {
              ...step,
              action: { ...step.action, params: { ...step.action.params, identityFile: '/etc/lifeboat/sync_key' } },
            }
          : step,
      ),
    });
    const { plan } = await f.ws.ok<ReprotectPreview>('reprotect.plan', { groupId: g.id });
    const copy = plan.steps[0].commands.find((c) => !c.readOnly)!;
    expect(copy.script).toContain('-i /etc/lifeboat/sync_key');
    expect(copy.script).toContain('--delete');
  });
});
