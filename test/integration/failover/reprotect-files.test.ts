/**
 * Files round trip in the lab, judged from outside: fail the file share over to files-b, then
 * write on files-a while it is "down" (a new file, and a change to one it had). The re-protect's
 * dry run (and `lifeboat reprotect files --dry-run`) shows both before anything is copied; the run
 * halts on that list, copies once it is acknowledged, and files-a then mirrors files-b. Switching
 * back and re-protecting files-b leaves the share where it started, on files-a.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { respondToRun, startRun, viewRun } from '../../../electron/failover/engine';
import { main } from '../../../electron/cli';
import { startConfirmed } from '../../unit/failover/confirmed';
import type { GroupState, ReprotectPreview } from '../../../shared/contract/reprotect';
import { holdersOf, openLabFailover, startUnits, type LabFailover } from './lab-failover';
import { saveLabFilesRunbook } from './recovery-lab';

const DOWN_FILE = 'written-while-down.txt';
const NEW_ON_B = 'written-on-b-after-failover.txt';

describeLab('files round trip: fail over, write on the old member, re-protect, switch back', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    for (const host of ['files-a', 'files-b'] as const)
      await lab()
        .exec(host, ['rm', '-f', `/srv/files/${DOWN_FILE}`, `/srv/files/${NEW_ON_B}`])
        .catch(() => undefined);
    await w?.close();
  });

  const sha = async (host: 'files-a' | 'files-b', file: string) =>
    (await lab().exec(host, ['sh', '-c', `sha256sum /srv/files/${file} 2>/dev/null || echo missing`])).stdout
      .trim()
      .split(' ')[0];

  const began = Date.now();
  const phase = (text: string) =>
    console.log(`[reprotect-files] ${((Date.now() - began) / 1000).toFixed(1)} s: ${text}`);

  /** Wait (bounded) until the run ends or halts; a halt nobody expected fails the test with its question. */
  async function settled(runId: number, expectHalt = false): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const view = viewRun(w.deps, runId);
      if (view.status !== 'running') return;
      if (view.waiting) {
        if (expectHalt) return;
        throw new Error(`run #${runId} halted at step ${view.waiting.stepIndex + 1}: ${view.waiting.prompt}`);
      }
      if (Date.now() > deadline) throw new Error(`run #${runId} neither ended nor halted in 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function move(target: 'files-a' | 'files-b'): Promise<void> {
    const started = await startConfirmed(w.deps, {
      groupId: w.group('files').id,
      targetServerId: w.serverId(target),
      mode: 'real',
      confirmation: 'files',
    });
    expect(started.refused).toBeNull();
    // A switchback's final sync shows what it would overwrite first: with nothing at risk it does not halt.
    await settled(started.runId!);
    expect(await started.finished, JSON.stringify(viewRun(w.deps, started.runId!).steps)).toBe('succeeded');
    phase(`moved to ${target}`);
  }

  it('the preview shows what was written on files-a while it was down; acknowledged, files-a mirrors files-b', async () => {
    const groupId = w.group('files').id;
    await saveLabFilesRunbook(w, lab(), 'files-b');
    await saveLabFilesRunbook(w, lab(), 'files-a');
    await move('files-b');
    expect(await holdersOf(lab(), lab().vips.files, ['files-a', 'files-b'])).toEqual(['files-b']);
    // files-a is "down" (it no longer serves): someone writes on it locally; files-b takes new work.
    await lab().exec('files-a', [
      'sh',
      '-c',
      `echo local > /srv/files/${DOWN_FILE}; echo edited >> /srv/files/README.txt`,
    ]);
    await lab().exec('files-b', ['sh', '-c', `echo new > /srv/files/${NEW_ON_B}`]);

    const preview = await w.ws.ok<ReprotectPreview>('reprotect.preview', { groupId });
    phase(`previewed: ${JSON.stringify(preview.overwrites)} ${preview.previewProblems.join('; ')}`);
    expect(preview.state).toMatchObject({ primaryServerId: w.serverId('files-b'), redundancy: 'without-redundancy' });
    expect(preview.plan.targetServerId).toBe(w.serverId('files-a'));
    expect(preview.previewProblems).toEqual([]);
    const [list] = preview.overwrites;
    expect(list.host).toBe('files-a');
    expect(list.lines).toContainEqual(expect.stringMatching(new RegExp(`^\\*deleting +${DOWN_FILE}$`)));
    expect(list.lines).toContainEqual(expect.stringMatching(/^<f\S+ README\.txt$/));
    expect(list.lines.join('\n')).not.toContain(NEW_ON_B);
    expect(list.count).toBe(2);

    // The CLI's dry run (through the dispatcher) prints the same list and changes nothing.
    const out: string[] = [];
    const code = await main(
      ['--db', w.ws.file, 'reprotect', 'files', '--dry-run'],
      { out: (t) => void out.push(t), err: (t) => void out.push(t) },
      { runner: w.runner },
    );
    phase('CLI dry run done');
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`\\*deleting +${DOWN_FILE}`));
    expect(out.join('\n')).toContain(`--acknowledge-overwrites 2:${list.sha256.slice(0, 12)}`);
    expect(await sha('files-a', DOWN_FILE)).not.toBe('missing');

    const started = await startRun(w.deps, {
      groupId,
      targetServerId: preview.plan.targetServerId,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'files',
      planHash: preview.plan.planHash,
    });
    const runId = started.runId!;
    await settled(runId, true);
    const halted = viewRun(w.deps, runId);
    expect(halted.steps[0].status).toBe('needs-acknowledgement');
    expect(halted.waiting?.prompt).toContain(`list sha256 ${list.sha256.slice(0, 12)}`);
    // Nothing copied before the acknowledgement.
    expect(await sha('files-a', DOWN_FILE)).not.toBe('missing');
    expect(await sha('files-a', NEW_ON_B)).toBe('missing');
    respondToRun(w.deps, { runId, stepIndex: 0, action: 'acknowledge', reason: 'the local writes are not needed' });
    await settled(runId);
    phase('re-protected files-a');
    expect(await started.finished, JSON.stringify(viewRun(w.deps, runId).steps)).toBe('succeeded');

    expect(await sha('files-a', DOWN_FILE)).toBe('missing');
    expect(await sha('files-a', NEW_ON_B)).toBe(await sha('files-b', NEW_ON_B));
    expect(await sha('files-a', 'README.txt')).toBe(await sha('files-b', 'README.txt'));
    const [state] = (await w.ws.ok<GroupState[]>('groups.state')).filter((s) => s.groupId === groupId);
    expect(state).toMatchObject({ primaryServerId: w.serverId('files-b'), redundancy: 'redundant' });

    // Switch back, and re-protect files-b: nothing is at risk now, so nothing halts.
    await move('files-a');
    const back = await w.ws.ok<ReprotectPreview>('reprotect.plan', { groupId });
    expect(back.plan.targetServerId).toBe(w.serverId('files-b'));
    const again = await startRun(w.deps, {
      groupId,
      targetServerId: back.plan.targetServerId,
      mode: 'real',
      purpose: 'reprotect',
      confirmation: 'files',
      planHash: back.plan.planHash,
    });
    await settled(again.runId!);
    phase('re-protected files-b');
    expect(await again.finished, JSON.stringify(viewRun(w.deps, again.runId!).steps)).toBe('succeeded');
    expect(await holdersOf(lab(), lab().vips.files, ['files-a', 'files-b'])).toEqual(['files-a']);
    // The lab's standby runs the share's unit too (a failover stopped it there): lab repair from outside.
    await startUnits(lab(), ['files-a', 'files-b']);
  }, 300_000);
});
