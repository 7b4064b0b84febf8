/**
 * Locks recovered by a person, on the lab's real hosts: Lifeboat killed (kill -9) mid-failover on a
 * machine with another hostname leaves a run lock no process here can vouch for; a new run is
 * refused, `lifeboat runs break-lock` (typed "HOST run N", audited) breaks it once its heartbeat has
 * been silent, and the run resumes here, taking over the dead run's on-host lock and giving it back
 * at the end. And two workspaces failing over one group at once: the second is refused by the
 * on-host lock before it changes anything. Judged from outside: ip addr on each host, the lock
 * directory on each host, the audit log.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import { respondToRun, viewRun } from '../../../electron/failover/engine';
import { hostLockDir } from '../../../electron/failover/host-lock';
import { LOCK_SILENT_MS } from '../../../electron/failover/run-lock';
import { main, type CliIo } from '../../../electron/cli';
import type { RunLockView } from '../../../shared/contract/locks';
import type { AuditEntry } from '../../../shared/contract/failover';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { defaultSteps, holdersOf, openLabFailover, placeVip, stepIndexOf, type LabFailover } from './lab-failover';

const ROOT = path.resolve(__dirname, '../../..');
const WEB: readonly HostName[] = ['web-a', 'web-b'];
const LOCK_DIR = hostLockDir({ os: 'linux' }, 'web');

/** The on-host lock's owner record on each web host ('' where there is none), read from outside. */
async function lockRecords(lab: Lab): Promise<string[]> {
  return Promise.all(
    WEB.map(async (host) => (await lab.exec(host, ['sh', '-c', `cat '${LOCK_DIR}/owner' 2>/dev/null; true`])).stdout),
  );
}

async function clearLocks(lab: Lab): Promise<void> {
  for (const host of WEB) await lab.exec(host, ['rm', '-rf', '--', LOCK_DIR]);
}

describeLab('locks recovered by a person', (lab: () => Lab) => {
  let w: LabFailover;
  let cli: string;
  beforeAll(async () => {
    await clearLocks(lab());
    w = await openLabFailover(lab());
    cli = path.join(w.ws.dir, 'cli.cjs');
    await build({
      entryPoints: [path.join(ROOT, 'electron/cli.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features', 'playwright-core', 'nodemailer'],
      logLevel: 'error',
    });
  }, 90_000);
  afterAll(async () => {
    // Never leave a lock behind for the other lab tests, whatever happened here.
    await clearLocks(lab());
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    await w?.close();
  });

  /** The web runbook with a slow step between the release and the acquire. */
  async function slowRunbook(seconds: number): Promise<number> {
    const group = w.group('web');
    const steps = await defaultSteps(w, 'web', 'web-b');
    const release = await stepIndexOf(w, 'web', 'web-b', 'vip.release');
    const slow = {
      type: 'action',
      title: 'Warm the cache',
      serverId: w.serverId('web-b'),
      timeoutSeconds: 60,
      action: { kind: 'command.run', params: { script: `sleep ${seconds}` } },
    };
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: w.serverId('web-a'),
      targetServerId: w.serverId('web-b'),
      steps: [...steps.slice(0, release + 1), slow, ...steps.slice(release + 1)],
    });
    return release + 1;
  }

  async function cliCall(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) };
    return { code: await main(['--db', w.ws.file, ...argv], io), out, err };
  }

  it('kill -9 on another machine, then break-lock here (typed, audited) and resume: the run ends with the VIP on web-b and no lock left', async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    const slowIndex = await slowRunbook(20);
    // The first Lifeboat runs on "dead-laptop" (its own UTS namespace) and is killed mid-step.
    const launch = `require(${JSON.stringify(cli)}).main(process.argv.slice(1)).then((code) => process.exit(code))`;
    const child = spawn(
      'unshare',
      [
        '--uts',
        '--',
        'sh',
        '-c',
        'hostname dead-laptop && exec "$0" "$@"',
        process.execPath,
        '-e',
        launch,
        '--',
        '--db',
        w.ws.file,
        'failover',
        'web',
        '--to',
        'web-b',
        '--yes',
        '--json',
      ],
      {
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the CLI never reached the slow step:\n${stdout}\n${stderr}`)),
        40_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.split('\n').some((line) => line.includes('"event":"run.output"') && line.includes('sleep 20'))) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await exited;
    expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual([]);
    const records = await lockRecords(lab());
    expect(records[0]).toMatch(/^token=.*\nrun=\d+\n.*\nhost=dead-laptop\n/s);

    // Here, the run reads as another machine's: a new start is refused and says how to go on.
    const [lock] = await w.ws.ok<RunLockView[]>('runs.locks');
    expect(lock).toMatchObject({
      ownerHost: 'dead-laptop',
      local: false,
      confirmation: `dead-laptop run ${lock.runId}`,
    });
    const runId = lock.runId;
    await expect(
      startRun(w.deps, {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      }),
    ).rejects.toThrow(/on dead-laptop.*runs break-lock/);
    const early = await cliCall(
      'runs',
      'break-lock',
      String(runId),
      '--reason',
      'the laptop died mid-failover',
      '--confirm',
      `dead-laptop run ${runId}`,
    );
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/may still be running/);

    // Once its heartbeat has been silent long enough, a person breaks it, typing host and run.
    const deadline = Date.now() + LOCK_SILENT_MS + 15_000;
    while ((await w.ws.ok<RunLockView[]>('runs.locks'))[0]?.refusal && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 500));
    const wrong = await cliCall(
      'runs',
      'break-lock',
      String(runId),
      '--reason',
      'the laptop died mid-failover',
      '--confirm',
      'web',
    );
    expect(wrong.code).toBe(1);
    const broken = await cliCall(
      'runs',
      'break-lock',
      String(runId),
      '--reason',
      'the laptop died mid-failover',
      '--confirm',
      `dead-laptop run ${runId}`,
    );
    expect(broken.err).toBe('');
    expect(broken.code).toBe(0);
    expect(broken.out).toMatch(
      new RegExp(`lock broken \\(audited\\): run #${runId} is interrupted.*--resume ${runId}`),
    );
    const audit = await w.ws.ok<AuditEntry[]>('audit.list', { runId, limit: 500 });
    expect(audit.find((row) => row.kind === 'lock')?.detail).toMatch(
      new RegExp(
        `broke the run lock of run #${runId} \\(web\\) held by pid \\d+ on dead-laptop.*typing "dead-laptop run ${runId}": the laptop died mid-failover`,
      ),
    );

    // Resume here from a fresh pre-flight: the dead run's on-host lock is taken over, then given back.
    const resumed = await startRun(w.deps, {
      groupId: w.group('web').id,
      targetServerId: w.serverId('web-b'),
      mode: 'real',
      confirmation: 'web',
      resumeRunId: runId,
    });
    expect(resumed.refused).toBeNull();
    const until = Date.now() + 20_000;
    while (viewRun(w.deps, runId).waiting === null && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewRun(w.deps, runId).waiting).toMatchObject({ stepIndex: slowIndex });
    const during = await lockRecords(lab());
    expect(during[0]).toMatch(new RegExp(`run=${runId}\\n`));
    expect(during[0]).not.toMatch(/host=dead-laptop/);
    respondToRun(w.deps, { runId, stepIndex: slowIndex, action: 'skip', reason: 'the cache warms itself' });
    expect(await resumed.finished).toBe('succeeded');
    expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual(['web-b']);
    expect(await lockRecords(lab())).toEqual(['', '']);
  }, 150_000);

  it('two workspaces fail over the same group at once: the second is refused by the on-host lock and changes nothing', async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    const slowIndex = await slowRunbook(3);
    const other = await openLabFailover(lab());
    try {
      const first = await startRun(w.deps, {
        groupId: w.group('web').id,
        targetServerId: w.serverId('web-b'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(first.refused).toBeNull();
      // The first is inside its slow step: the VIP is released, the lock held on both members.
      const deadline = Date.now() + 20_000;
      while (viewRun(w.deps, first.runId!).steps[slowIndex].status !== 'running' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await startRun(other.deps, {
        groupId: other.group('web').id,
        targetServerId: other.serverId('web-a'),
        mode: 'real',
        confirmation: 'web',
      });
      expect(second.refused).toMatch(
        /on-host lock: web-a is locked by another failover of web: run #\d+ of web by lab-test@lifeboat/,
      );
      const changes = (await other.ws.ok<AuditEntry[]>('audit.list', { limit: 500 })).filter(
        (r) => r.kind === 'intent' && r.detail.startsWith('change:'),
      );
      expect(changes.every((r) => /on-host lock/.test(r.detail))).toBe(true);
      expect(await first.finished).toBe('succeeded');
      expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual(['web-b']);
      expect(await lockRecords(lab())).toEqual(['', '']);
    } finally {
      await other.close();
    }
  }, 120_000);
});
