/**
 * Backups you have restored, on the lab's real Debian file server: a backup check sees the newest
 * archive; a restore test extracts a sample from it on files-a and compares its sha256 with the live
 * file: it passes on a good backup and fails on a corrupted one, and readiness stops saying
 * "no backup" / "never restored" for the file share once one has passed. The backups are removed after.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { Check } from '../../../shared/checks';
import type { NamedResult } from '../../../shared/contract/checks';
import type { PlanSummary } from '../../../shared/contract/plan';
import { openLabFailover, type LabFailover } from '../failover/lab-failover';

const BACKUPS = '/var/backups/lifeboat-lab-test';

describeLab('backups and restore tests in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  let backup: Check;
  let restore: Check;
  const sh = (script: string) => lab().exec('files-a', ['sh', '-c', script], { timeoutMs: 30_000 });
  const run = async (check: Check) => (await w.ws.ok<NamedResult[]>('checks.runNow', { checkIds: [check.id] }))[0];
  const fileShareCodes = async () =>
    (await w.ws.ok<PlanSummary>('plan.summary')).readiness.services
      .find((s) => s.name === 'File share')!
      .reasons.map((r) => r.code);

  beforeAll(async () => {
    w = await openLabFailover(lab());
    await sh(
      `rm -rf ${BACKUPS}; mkdir -p ${BACKUPS} /srv/files && echo 'the office handbook' > /srv/files/handbook.txt && touch -d '-1 hour' /srv/files/handbook.txt`,
    );
    const result = await sh(`tar -czf ${BACKUPS}/files-$(date +%s).tar.gz -C /srv/files .`);
    expect(result.code, result.stderr).toBe(0);
    const files = w.group('files');
    backup = await w.ws.ok<Check>('checks.save', {
      kind: 'backup',
      name: 'files backups',
      groupId: files.id,
      serverId: w.serverId('files-a'),
      params: { path: BACKUPS, maxAgeHours: 26 },
    });
    restore = await w.ws.ok<Check>('checks.save', {
      kind: 'restore',
      name: 'files restore test',
      groupId: files.id,
      serverId: w.serverId('files-a'),
      intervalSeconds: 86_400,
      retries: 0,
      params: { method: 'file', backupPath: BACKUPS, sample: './handbook.txt', compareWith: '/srv/files/handbook.txt' },
    });
  }, 120_000);
  afterAll(async () => {
    await sh(`rm -rf ${BACKUPS} /srv/files/handbook.txt`).catch(() => undefined);
    await w?.close();
  });

  it('the backup check finds the newest archive', async () => {
    const result = await run(backup);
    expect(result.status, result.summary).toBe('ok');
    expect(String(result.metrics.newest)).toMatch(/^files-\d+\.tar\.gz$/);
  }, 60_000);

  it('a restore test passes on a good backup, and readiness counts the file share as restored', async () => {
    expect(await fileShareCodes()).toContain('never_restored');
    const result = await run(restore);
    expect(result.status, result.summary).toBe('ok');
    expect(result.summary).toMatch(/sha256 matches/);
    // Nothing of the scratch copy is left behind.
    expect((await sh('ls -d /tmp/lifeboat-restore.* 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
    const codes = await fileShareCodes();
    expect(codes).not.toContain('no_backup');
    expect(codes).not.toContain('never_restored');
  }, 60_000);

  it('a restore test fails on a corrupted backup', async () => {
    // Overwrite the middle of the newest archive (the gzip stream and its checksum no longer agree).
    const newest = (await sh(`ls -1t ${BACKUPS} | head -n 1`)).stdout.trim();
    const corrupt = await sh(
      `f=${BACKUPS}/${newest}; n=$(wc -c < "$f"); dd if=/dev/urandom of="$f" bs=1 seek=$((n / 3)) count=$((n / 3)) conv=notrunc 2>/dev/null`,
    );
    expect(corrupt.code).toBe(0);
    const result = await run(restore);
    expect(result.status, result.summary).toBe('fail');
    expect(result.summary).toMatch(/damaged|corrupt/);
  }, 60_000);
});
