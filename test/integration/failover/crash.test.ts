/**
 * Lifeboat killed (SIGKILL) in the middle of a step: the workspace passes quick_check, the run reads
 * interrupted at its last intent, nothing resumes by itself, and the operator can resume it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import { respondToRun, viewRun, viewRuns } from '../../../electron/failover/engine';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { defaultSteps, holdersOf, openLabFailover, placeVip, type LabFailover } from './lab-failover';

const ROOT = path.resolve(__dirname, '../../..');
const WEB = ['web-a', 'web-b'] as const;

describeLab('Lifeboat killed mid-run', (lab: () => Lab) => {
  let w: LabFailover;
  let cli: string;
  beforeAll(async () => {
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
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    await w?.close();
  });

  it('kill -9 during a step leaves an interrupted run at its last intent and a sound database', async () => {
    await placeVip(lab(), lab().vips.web, 'web-a', WEB);
    const group = w.group('web');
    const generated = await defaultSteps(w, 'web', 'web-b');
    const vipStep = (kind: string) => generated.find((step) => step.type === 'action' && step.action.kind === kind);
    const slow = {
      type: 'action',
      title: 'Warm the cache',
      serverId: w.serverId('web-b'),
      timeoutSeconds: 60,
      action: { kind: 'command.run', params: { script: 'sleep 10' } },
    };
    await w.ws.ok('runbooks.save', {
      groupId: group.id,
      direction: 'failover',
      sourceServerId: w.serverId('web-a'),
      targetServerId: w.serverId('web-b'),
      steps: [vipStep('vip.release'), slow, vipStep('vip.acquire')],
    });

    // The bundle exports main() as bin/lifeboat.cjs calls it.
    const launch = `require(${JSON.stringify(cli)}).main(process.argv.slice(1)).then((code) => process.exit(code))`;
    const child = spawn(
      process.execPath,
      ['-e', launch, '--', '--db', w.ws.file, 'failover', 'web', '--to', 'web-b', '--yes', '--json'],
      {
        env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the CLI never reached the slow step:\n${stdout}\n${stderr}`)),
        30_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.split('\n').some((line) => line.includes('"event":"run.output"') && line.includes('sleep 10'))) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await killed;
    await exited;

    const raw = new Database(w.ws.file);
    expect(raw.pragma('quick_check', { simple: true })).toBe('ok');
    raw.close();
    const run = viewRuns(w.deps, { groupId: group.id, limit: 1 })[0];
    expect(run.status).toBe('interrupted');
    expect(run.owner.alive).toBe(false);
    expect(run.lastIntent?.command).toBe('sleep 10');
    expect(run.lastOutcome?.intentId).not.toBe(run.lastIntent?.id);
    expect(run.steps[0].status).toBe('succeeded');
    // Nothing resumed by itself: the VIP is released and nobody took it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual([]);

    const resumed = await startRun(w.deps, {
      groupId: group.id,
      targetServerId: w.serverId('web-b'),
      mode: 'real',
      confirmation: 'web',
      resumeRunId: run.id,
    });
    expect(resumed.refused).toBeNull();
    // The interrupted step is not re-run blindly: it shows as indeterminate and waits for an answer.
    const deadline = Date.now() + 10_000;
    while (viewRun(w.deps, run.id).waiting === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const halted = viewRun(w.deps, run.id);
    expect(halted.steps[1].status).toBe('indeterminate');
    expect(halted.waiting).toMatchObject({ stepIndex: 1, options: ['retry', 'skip', 'abort'] });
    respondToRun(w.deps, { runId: run.id, stepIndex: 1, action: 'skip', reason: 'the cache warms itself' });
    expect(await resumed.finished).toBe('succeeded');
    expect(viewRun(w.deps, run.id).status).toBe('succeeded');
    expect(await holdersOf(lab(), lab().vips.web, WEB)).toEqual(['web-b']);
  }, 120_000);
});
