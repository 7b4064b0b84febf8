/**
 * sync.pause / sync.resume: succeed only on the marker's answer line, fail clearly while a copy
 * still runs, and stay indeterminate when the host's answer is lost. The pause script itself runs
 * in a local shell on a copy rooted in a temp directory: it waits for a live lock and not for a dead one.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Server, ServiceGroup } from '../../../shared/domain';
import type { StepEnvironment } from '../../../electron/failover/actions/kit';
import { pauseScript, syncPause, syncResume } from '../../../electron/failover/actions/sync-pause';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import { ok, timedOut } from '../checks/runners';
import { tempDir } from '../../helpers/workspace';

const server = Server.parse({ id: 1, name: 'files-a', addresses: ['10.0.0.31'], ssh: { host: '10.0.0.31' } });
const group = ServiceGroup.parse({ id: 5, name: 'files', members: [{ serverId: 1, role: 'primary' }] });
const failed = (code: number, stdout: string): RemoteOutcome => ({
  kind: 'failed',
  result: { code, stdout, stderr: '', truncated: false, durationMs: 1 },
});

function env(outcome: RemoteOutcome): StepEnvironment & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    servers: new Map([[1, server]]),
    group,
    server,
    rpoMinutes: null,
    acknowledgedDeletions: null,
    acknowledgedLag: null,
    reachable: () => true,
    exec: async (_server, _purpose, script) => {
      scripts.push(script);
      return outcome;
    },
    info: () => undefined,
    remainingMs: () => 60_000,
    sleep: async () => undefined,
  };
}

describe('sync.pause and sync.resume', () => {
  it('pause succeeds on the marker line, fails while a copy still runs, is indeterminate on a lost answer', async () => {
    const params = { waitSeconds: 7 };
    const e = env(ok('lifeboat-sync-pause: paused'));
    expect((await syncPause.execute(params, e)).status).toBe('succeeded');
    expect(e.scripts[0]).toContain("d='/var/lib/lifeboat/sync/files'");
    expect(e.scripts[0]).toContain('-gt 7');
    const running = await syncPause.execute(params, env(failed(4, 'lifeboat-sync-pause: running')));
    expect(running.status).toBe('failed');
    expect(running.message).toMatch(/still running on files-a after 7 s/);
    expect((await syncPause.execute(params, env(ok('')))).status).toBe('failed');
    await expect(syncPause.execute(params, env(timedOut()))).rejects.toMatchObject({
      result: { status: 'indeterminate' },
    });
  });

  it('resume succeeds only when the marker is gone', async () => {
    expect((await syncResume.execute({}, env(ok('lifeboat-sync-pause: resumed')))).status).toBe('succeeded');
    expect((await syncResume.execute({}, env(ok('lifeboat-sync-pause: paused')))).status).toBe('failed');
  });

  it('the pause script waits for a live run and not for a dead one', () => {
    const root = tempDir('lifeboat-pause-');
    try {
      const dir = path.join(root, 'files');
      const script = pauseScript('files', 2).replace("d='/var/lib/lifeboat/sync/files'", `d='${dir}'`);
      fs.mkdirSync(path.join(dir, 'lock'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'lock', 'pid'), `${process.pid}\n`);
      const live = spawnSync('/bin/sh', ['-s'], { input: script, encoding: 'utf8', timeout: 10_000 });
      expect(live.status).toBe(4);
      expect(live.stdout).toContain('lifeboat-sync-pause: running');
      expect(fs.existsSync(path.join(dir, 'paused'))).toBe(true);
      fs.writeFileSync(path.join(dir, 'lock', 'pid'), '999999\n');
      const dead = spawnSync('/bin/sh', ['-s'], { input: script, encoding: 'utf8', timeout: 10_000 });
      expect(dead.status).toBe(0);
      expect(dead.stdout.trim()).toBe('lifeboat-sync-pause: paused');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
