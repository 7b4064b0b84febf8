/**
 * The rsync guard in the lab: files only flow from the VIP holder to a member without it. The
 * refused direction changes no file on either side; the audit log holds no copy command.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { openLabFailover, placeVip, type LabFailover } from './lab-failover';

async function listing(lab: Lab, host: HostName): Promise<string> {
  const result = await lab.exec(host, ['sh', '-c', 'cd /srv/files && find . -type f -exec sha256sum {} + | sort']);
  return result.stdout;
}

describeLab('rsync guard in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
    await w?.close();
  });

  const rsyncStep = (receiver: string, source: string) => ({
    type: 'action',
    title: `sync ${source} → ${receiver}`,
    serverId: w.serverId(receiver),
    action: {
      kind: 'rsync.sync',
      params: {
        sourceServerId: w.serverId(source),
        vipAddress: lab().vips.files,
        paths: ['/srv/files'],
        identityFile: lab().keyPath,
        knownHostsFile: lab().knownHostsPath,
      },
    },
  });

  it('refuses to copy from files-b (not the VIP holder) to files-a, and no file changes', async () => {
    await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
    await lab().exec('files-b', ['sh', '-c', 'mkdir -p /srv/files && echo stale > /srv/files/README.txt']);
    const before = { a: await listing(lab(), 'files-a'), b: await listing(lab(), 'files-b') };
    const group = w.group('files');
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'switchback',
      sourceServerId: w.serverId('files-b'),
      targetServerId: w.serverId('files-a'),
      steps: [rsyncStep('files-a', 'files-b')],
    });
    const started = await startRun(w.deps, {
      groupId: group.id,
      targetServerId: w.serverId('files-a'),
      mode: 'drill',
      confirmation: 'files',
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && viewRun(w.deps, started.runId!).waiting === null)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const view = viewRun(w.deps, started.runId!);
    expect(view.steps[0].status).toBe('refused');
    expect(view.steps[0].message).toMatch(/files-b \(the source\) does not hold/);
    respondToRun(w.deps, { runId: started.runId!, stepIndex: 0, action: 'abort', reason: 'wrong direction' });
    await started.finished;
    expect(await listing(lab(), 'files-a')).toBe(before.a);
    expect(await listing(lab(), 'files-b')).toBe(before.b);
    expect(listAuditRows(w.ws.db, { runId: started.runId!, limit: 500 }).some((r) => r.command.includes('rsync'))).toBe(
      false,
    );
  }, 60_000);

  it('copies from the holder files-a to files-b in the right direction', async () => {
    const group = w.group('files');
    await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
    // The sync, then the VIP move the final verification checks (every VIP of the group on the target).
    const vip = (kind: 'vip.release' | 'vip.acquire', host: string) => ({
      type: 'action',
      title: `${kind} on ${host}`,
      serverId: w.serverId(host),
      action: { kind, params: { address: lab().vips.files, prefix: 24, interface: 'eth0' } },
    });
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: w.serverId('files-a'),
      targetServerId: w.serverId('files-b'),
      steps: [rsyncStep('files-b', 'files-a'), vip('vip.release', 'files-a'), vip('vip.acquire', 'files-b')],
    });
    const started = await startRun(w.deps, {
      groupId: group.id,
      targetServerId: w.serverId('files-b'),
      mode: 'drill',
      confirmation: 'files',
    });
    expect(await started.finished, JSON.stringify(viewRun(w.deps, started.runId!).steps)).toBe('succeeded');
    expect(viewRun(w.deps, started.runId!).steps[0].status).toBe('succeeded');
    expect(await listing(lab(), 'files-b')).toBe(await listing(lab(), 'files-a'));
  }, 60_000);
});
