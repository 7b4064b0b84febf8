/**
 * The scheduled guarded sync on the lab's real Debian file servers (systemd as PID 1), judged from
 * outside (the lab's own exec into each host): installed on both members, it copies only from the
 * VIP holder; after a failover the next run goes the other way; the stamp gives the actual RPO;
 * stopping the timer raises the freshness alarm within one interval; --max-delete stops a mass
 * deletion. Everything installed is removed at the end, through the API and then from outside.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import type { Check } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import type { SyncTimerPreview } from '../../../shared/contract/sync';
import type { SyncTimerStatus } from '../../../shared/sync-status';
import { startConfirmed } from '../../unit/failover/confirmed';
import { viewRun } from '../../../electron/failover/engine';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { missingAfterSeconds } from '../../../electron/checks/sync-stamp';
import { openLabFailover, placeVip, type LabFailover } from '../failover/lab-failover';

const INTERVAL = 15;
const MAX_DELETE = 5;
const STATE = '/var/lib/lifeboat/sync/files';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeLab('scheduled guarded sync in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  let check: Check;
  const sh = async (host: HostName, script: string) => {
    const result = await lab().exec(host, ['sh', '-c', script], { timeoutMs: 30_000 });
    return result;
  };
  const exists = async (host: HostName, path: string) => (await sh(host, `test -e '${path}'`)).code === 0;
  const stamp = async (host: HostName, name: 'last' | 'good') => {
    const text = (await sh(host, `cat ${STATE}/${name} 2>/dev/null`)).stdout;
    return Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
  };
  /** Wait (bounded) until `ready` holds; returns the milliseconds it took. */
  const until = async (what: string, ready: () => Promise<boolean>, timeoutMs: number) => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await ready()) return Date.now() - started;
      await sleep(1000);
    }
    throw new Error(`${what}: not within ${timeoutMs} ms`);
  };
  const runCheck = async () => (await w.ws.ok<NamedResult[]>('checks.runNow', { checkIds: [check.id] }))[0];
  const cleanFromOutside = async () => {
    for (const host of ['files-a', 'files-b'] as const)
      await sh(
        host,
        `systemctl disable --now lifeboat-sync-files.timer >/dev/null 2>&1; systemctl stop lifeboat-sync-files.service >/dev/null 2>&1
rm -f /etc/systemd/system/lifeboat-sync-files.timer /etc/systemd/system/lifeboat-sync-files.service /usr/local/sbin/lifeboat-sync-files
systemctl daemon-reload; systemctl reset-failed >/dev/null 2>&1; rm -rf /var/lib/lifeboat; rm -rf /srv/files/synctest; true`,
      );
  };

  beforeAll(async () => {
    await cleanFromOutside();
    w = await openLabFailover(lab());
    await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
    check = await w.ws.ok<Check>('checks.save', {
      kind: 'freshness',
      name: 'files sync stamp on files-b',
      groupId: w.group('files').id,
      serverId: w.serverId('files-b'),
      params: { path: STATE, mode: 'sync-stamp' },
      intervalSeconds: 10,
      retries: 0,
    });
  }, 120_000);
  afterAll(async () => {
    try {
      if (w) {
        const status = await w.ws.ok<SyncTimerStatus>('sync.remove', {
          groupId: w.group('files').id,
          confirmation: 'files',
        });
        expect(status.members.map((m) => m.state)).toEqual(['absent', 'absent']);
        expect(await exists('files-a', '/usr/local/sbin/lifeboat-sync-files')).toBe(false);
        expect(await exists('files-b', '/etc/systemd/system/lifeboat-sync-files.timer')).toBe(false);
      }
    } finally {
      await cleanFromOutside();
      await placeVip(lab(), lab().vips.files, 'files-a', ['files-a', 'files-b']);
      await w?.close();
    }
  }, 120_000);

  it('installs the timer on both members after the confirmation, and copies only from the VIP holder', async () => {
    const groupId = w.group('files').id;
    const options = {
      intervalSeconds: INTERVAL,
      maxDelete: MAX_DELETE,
      identityFile: lab().keyPath,
      knownHostsFile: lab().knownHostsPath,
    };
    const preview = await w.ws.ok<SyncTimerPreview>('sync.preview', { groupId, options });
    expect(preview.members.map((m) => m.server)).toEqual(['files-a', 'files-b']);
    // A confirmation bound to other files writes nothing.
    const wrong = await w.ws.dispatcher.dispatch('sync.install', {
      groupId,
      options,
      sha256: '0'.repeat(64),
      confirmation: 'files',
    });
    expect(wrong.ok).toBe(false);
    expect(await exists('files-a', '/usr/local/sbin/lifeboat-sync-files')).toBe(false);
    const status = await w.ws.ok<SyncTimerStatus>('sync.install', {
      groupId,
      options,
      sha256: preview.sha256,
      confirmation: 'files',
    });
    expect(status.members.map((m) => m.state)).toEqual(['installed', 'installed']);
    for (const host of ['files-a', 'files-b'] as const)
      expect((await sh(host, 'systemctl is-active lifeboat-sync-files.timer')).stdout.trim()).toBe('active');
    // Every command went through the audit log.
    expect(
      listAuditRows(w.ws.db, { limit: 500 }).filter(
        (r) => r.kind === 'intent' && r.detail.includes('install the scheduled sync'),
      ),
    ).toHaveLength(2);

    await sh('files-a', 'mkdir -p /srv/files/synctest && echo from-a > /srv/files/synctest/a.txt');
    await sh('files-b', 'mkdir -p /srv/files/synctest && echo only-on-b > /srv/files/synctest/b.txt');
    await until('a.txt reaches files-b', () => exists('files-b', '/srv/files/synctest/a.txt'), 60_000);
    // Mirrored from the holder: the file only the standby had is gone there, and never reached files-a.
    await until(
      'b.txt deleted on files-b',
      async () => !(await exists('files-b', '/srv/files/synctest/b.txt')),
      60_000,
    );
    expect(await exists('files-a', '/srv/files/synctest/b.txt')).toBe(false);
    // The stamp reaches the standby after the copy, in the same run.
    await until('the good stamp on files-b', async () => (await stamp('files-b', 'good')).holder !== undefined, 30_000);
    const good = await stamp('files-b', 'good');
    expect(good.holder).toBe('files-a');
    expect(good.status).toBe('ok');
    expect((await stamp('files-a', 'good')).start).toBeDefined();
    // The standby's own timer ran too, and only noted that it does not hold the VIP.
    await until('files-b notes its run', () => exists('files-b', `${STATE}/idle`), 30_000);
    expect(await exists('files-a', `${STATE}/idle`)).toBe(false);
  }, 240_000);

  it('the stamp gives the actual RPO, which the freshness check reports', async () => {
    const result = await runCheck();
    const good = await stamp('files-b', 'good');
    const now = Number((await sh('files-b', 'date +%s')).stdout.trim());
    expect(result.status, result.summary).toBe('ok');
    const expected = (now - Number(good.start)) / 60;
    expect(Math.abs(Number(result.metrics.ageMinutes) - expected)).toBeLessThan(0.5);
    expect(result.metrics.holder).toBe('files-a');
    const status = await w.ws.ok<SyncTimerStatus>('sync.status', { groupId: w.group('files').id });
    expect(status.actualRpoMinutes).not.toBeNull();
    expect(status.actualRpoMinutes!).toBeLessThanOrEqual(expected + 0.5);
    expect(status.rpoMinutes).toBe(60);
  }, 60_000);

  it('--max-delete stops a mass deletion, and the freshness check raises the alarm', async () => {
    await sh(
      'files-a',
      'mkdir -p /srv/files/synctest/mass && for i in $(seq 1 20); do echo $i > /srv/files/synctest/mass/f$i; done',
    );
    await until('the 20 files reach files-b', async () => exists('files-b', '/srv/files/synctest/mass/f20'), 60_000);
    await sh('files-a', 'rm -rf /srv/files/synctest/mass');
    await until(
      'a run stopped by --max-delete',
      async () => (await stamp('files-a', 'last')).status === 'max-delete',
      60_000,
    );
    const last = await stamp('files-a', 'last');
    expect(last.exit).toBe('25');
    const left = Number((await sh('files-b', 'ls /srv/files/synctest/mass 2>/dev/null | wc -l')).stdout.trim());
    expect(left).toBeGreaterThanOrEqual(20 - MAX_DELETE);
    await until(
      'the stamp reaches files-b',
      async () => (await stamp('files-b', 'last')).status === 'max-delete',
      30_000,
    );
    const result = await runCheck();
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/--max-delete stopped a mass deletion/);
    // Put the files back so the mirror agrees again.
    await sh(
      'files-a',
      'mkdir -p /srv/files/synctest/mass && for i in $(seq 1 20); do echo $i > /srv/files/synctest/mass/f$i; done',
    );
    await until('a good run again', async () => (await stamp('files-b', 'last')).status === 'ok', 60_000);
  }, 240_000);

  it('after a failover (paused during the move) the next run goes the other way', async () => {
    const group = w.group('files');
    const step = (kind: string, host: string, params: Record<string, unknown>) => ({
      type: 'action',
      title: `${kind} on ${host}`,
      serverId: w.serverId(host),
      action: { kind, params },
    });
    const vip = { address: lab().vips.files, prefix: 24, interface: 'eth0' };
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: w.serverId('files-a'),
      targetServerId: w.serverId('files-b'),
      steps: [
        step('sync.pause', 'files-a', { waitSeconds: 60 }),
        step('sync.pause', 'files-b', { waitSeconds: 60 }),
        step('vip.release', 'files-a', vip),
        step('vip.acquire', 'files-b', vip),
        step('sync.resume', 'files-b', {}),
        step('sync.resume', 'files-a', {}),
      ],
    });
    const started = await startConfirmed(w.deps, {
      groupId: group.id,
      targetServerId: w.serverId('files-b'),
      mode: 'drill',
      confirmation: 'files',
    });
    expect(await started.finished, JSON.stringify(viewRun(w.deps, started.runId!).steps)).toBe('succeeded');
    // While paused nobody copied: the pause step waited for any run, and the marker was there until the resume.
    const paused = listAuditRows(w.ws.db, { runId: started.runId!, limit: 500 }).filter(
      (r) => r.kind === 'outcome' && r.detail === 'pause the scheduled sync',
    );
    expect(paused.map((r) => r.output.trim().split('\n').at(-1))).toEqual([
      'lifeboat-sync-pause: paused',
      'lifeboat-sync-pause: paused',
    ]);
    expect(await exists('files-a', `${STATE}/paused`)).toBe(false);
    await sh('files-b', 'echo from-b > /srv/files/synctest/after-failover.txt');
    await until(
      'the file written on files-b reaches files-a',
      () => exists('files-a', '/srv/files/synctest/after-failover.txt'),
      60_000,
    );
    // The stamp written by the new holder reaches the old member after the copy, in the same run.
    await until(
      'the stamp of files-b on files-a',
      async () => (await stamp('files-a', 'good')).holder === 'files-b',
      30_000,
    );
    expect((await stamp('files-a', 'good')).to).toMatch(/^files-a /);
    expect((await stamp('files-b', 'last')).holder).toBe('files-b');
  }, 240_000);

  it('stopping the timer raises the freshness alarm within one interval of the missed run', async () => {
    // files-b holds the VIP now: its timer is the one that copies.
    expect((await runCheck()).status).toBe('ok');
    await sh('files-b', 'systemctl stop lifeboat-sync-files.timer');
    const stoppedAt = Date.now();
    const last = Number((await stamp('files-b', 'last')).start);
    let result = await runCheck();
    const tookMs = await until(
      'the freshness alarm',
      async () => {
        result = await runCheck();
        return result.status === 'fail';
      },
      (missingAfterSeconds(INTERVAL) + 30) * 1000,
    );
    expect(result.summary).toMatch(/no sync run for .* the timer stopped/);
    // Raised once the run that should have come is late by its margin, not later than one more interval.
    const now = Number((await sh('files-b', 'date +%s')).stdout.trim());
    expect(now - last).toBeLessThanOrEqual(missingAfterSeconds(INTERVAL) + INTERVAL);
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(tookMs);
    await sh('files-b', 'systemctl start lifeboat-sync-files.timer');
  }, 180_000);
});
