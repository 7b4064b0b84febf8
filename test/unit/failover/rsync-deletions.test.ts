/**
 * rsync --delete: the acknowledgement is bound to the count and sha256 of the list shown. A
 * different list at run time (here: one that grows after the operator acknowledged) asks again;
 * more than the runbook's maxDelete cap is refused before anything is copied; the copy itself
 * deletes at most the acknowledged count (rsync --max-delete).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed } from './confirmed';
import { deletionList } from '../../../electron/failover/actions/rsync-sync';
import { DEFAULT_MAX_DELETE } from '../../../shared/runbooks';
import { listAuditRows } from '../../../electron/db/repositories/audit';

let f: FailoverFixture;
/** What the source's dry run lists as deletions on the receiver, changed by the tests mid-run. */
let listed: string[];
beforeEach(async () => {
  f = await failoverFixture();
  listed = ['old.txt'];
  f.fake.override((_host, script) =>
    script.includes('rsync -a -s -n --delete')
      ? {
          kind: 'ok',
          result: {
            code: 0,
            stdout: listed.map((name) => `*deleting   ${name}\n`).join(''),
            stderr: '',
            truncated: false,
            durationMs: 1,
          },
        }
      : undefined,
  );
});
afterEach(() => f.ws.cleanup());

/** Run the files group's sync with --delete (then the VIP move) as a drill, until it halts or ends. */
async function runSync(params: Record<string, unknown> = {}) {
  const g = f.groups.files;
  const [a, b] = [f.servers['files-a'].id, f.servers['files-b'].id];
  const move = (kind: 'vip.release' | 'vip.acquire', serverId: number) => ({
    type: 'action',
    title: kind,
    serverId,
    action: { kind, params: { address: '10.77.0.30', prefix: 24, interface: 'eth0' } },
  });
  const sync = {
    type: 'action',
    title: 'sync',
    serverId: b,
    action: {
      kind: 'rsync.sync',
      params: { sourceServerId: a, vipAddress: '10.77.0.30', paths: ['/srv/files'], delete: true, ...params },
    },
  };
  await f.ws.ok('runbooks.save', {
    groupId: g.id,
    direction: 'failover',
    sourceServerId: a,
    targetServerId: b,
    steps: [sync, move('vip.release', a), move('vip.acquire', b)],
  });
  const started = await startConfirmed(f.deps, {
    groupId: g.id,
    targetServerId: b,
    mode: 'drill',
    confirmation: 'files',
  });
  const settled = () =>
    until(
      () => viewRun(f.deps, started.runId!).waiting !== null || viewRun(f.deps, started.runId!).status !== 'running',
    );
  await settled();
  return { started, settled };
}

const copies = () => f.fake.calls.filter((c) => c.script.startsWith('if ! ip -o addr show'));

describe('the --delete acknowledgement', () => {
  it('names the count and the hash of the list shown', async () => {
    const { started } = await runSync();
    const view = viewRun(f.deps, started.runId!);
    const shown = deletionList('*deleting   old.txt\n');
    expect(view.steps[0].status).toBe('needs-acknowledgement');
    expect(view.waiting?.prompt).toContain(
      `1 file(s) would be deleted on files-b (list sha256 ${shown.sha256.slice(0, 12)}`,
    );
    expect(copies()).toEqual([]);
  });

  it('asks again when the list at run time is larger than the one acknowledged, and copies only after that', async () => {
    const { started, settled } = await runSync();
    listed = ['old.txt', 'q3-report.ods', 'customers.db'];
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    await until(() => viewRun(f.deps, started.runId!).waiting?.prompt.includes('The list changed') === true);
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[0].status).toBe('needs-acknowledgement');
    expect(view.waiting?.prompt).toMatch(
      /The list changed since you acknowledged 1 \(sha256 [0-9a-f]{12}\): 3 file\(s\) would be deleted/,
    );
    expect(copies()).toEqual([]);
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    await settled();
    expect(await started.finished).toBe('succeeded');
    expect(copies()).toHaveLength(1);
    // The copy may delete no more than the three acknowledged.
    expect(copies()[0].script).toContain('--delete --max-delete=3 ');
    const acks = listAuditRows(f.ws.db, { runId: started.runId!, limit: 200 }).filter(
      (r) => r.kind === 'acknowledgement',
    );
    expect(acks).toHaveLength(2);
  });

  it('asks again when the list has the same count but other files', async () => {
    const { started } = await runSync();
    listed = ['new-name.txt'];
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    await until(() => viewRun(f.deps, started.runId!).waiting?.prompt.includes('The list changed') === true);
    expect(copies()).toEqual([]);
  });

  it(`refuses more deletions than the default cap (${DEFAULT_MAX_DELETE}) before anything is copied`, async () => {
    listed = Array.from({ length: DEFAULT_MAX_DELETE + 1 }, (_, i) => `file-${i}.txt`);
    const { started } = await runSync();
    const view = viewRun(f.deps, started.runId!);
    expect(view.steps[0].status).toBe('refused');
    expect(view.steps[0].message).toMatch(
      /101 files would be deleted on files-b, above the runbook's cap of 100 \(maxDelete\): nothing was copied/,
    );
    expect(copies()).toEqual([]);
  });

  it('a runbook that raises maxDelete is asked to acknowledge the larger list instead', async () => {
    listed = Array.from({ length: DEFAULT_MAX_DELETE + 1 }, (_, i) => `file-${i}.txt`);
    const { started } = await runSync({ maxDelete: 500 });
    expect(viewRun(f.deps, started.runId!).steps[0].status).toBe('needs-acknowledgement');
  });

  it('a copy that finds more to delete than acknowledged (rsync exit 25) fails and says to look again', async () => {
    f.fake.override((_host, script) =>
      script.startsWith('if ! ip -o addr show')
        ? {
            kind: 'ok',
            result: {
              code: 25,
              stdout: '',
              stderr: 'Deletions stopped due to --max-delete limit (2 skipped)',
              truncated: false,
              durationMs: 1,
            },
          }
        : undefined,
    );
    const { started } = await runSync();
    respondToRun(f.deps, { runId: started.runId!, stepIndex: 0, action: 'acknowledge' });
    await until(() => viewRun(f.deps, started.runId!).steps[0].status === 'failed');
    expect(viewRun(f.deps, started.runId!).steps[0].message).toMatch(
      /more to delete on files-b than the 1 acknowledged/,
    );
  });
});
