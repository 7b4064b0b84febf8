/** A run of checks counts failing, unknown and unreachable apart, and never says "none failing" when nothing was read. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckScheduler } from '../../../electron/checks/scheduler';
import { summariseRun, type RunResultLike } from '../../../shared/logic/check-run-summary';
import type { NamedResult } from '../../../shared/contract/checks';
import type { Server } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { healthyAnswer } from './healthy';
import { ScriptedRunner, unreachable } from './runners';

const r = (status: RunResultLike['status'], ...hosts: string[]): RunResultLike => ({ status, unreachable: hosts });

describe('summariseRun', () => {
  it('says nothing could be read when every check failed to reach its host, whatever status retries gave it', () => {
    const summary = summariseRun([r('warn', 'db-a'), r('unknown', 'db-a'), r('fail', 'db-b'), r('unknown', 'db-b')]);
    expect(summary.counts).toEqual({ ok: 0, warn: 0, failing: 0, unknown: 0, unreachable: 4 });
    expect(summary.unreachableHosts).toEqual(['db-a', 'db-b']);
    expect(summary.text).toBe(
      '4 checks run, nothing could be read: 4 could not reach their server (2 hosts unreachable: db-a, db-b).',
    );
    expect(summary.text).not.toMatch(/none failing|0 failing/);
  });

  it('counts each check once: failing, warning, ok, unknown and unreachable apart', () => {
    const summary = summariseRun([
      r('ok'),
      r('ok'),
      r('fail'),
      r('warn'),
      r('unknown'),
      r('unknown', 'pbx'),
      r('ok', 'db-b'),
    ]);
    // A group check that read one member fine while another was unreachable is ok, and the host is still named.
    expect(summary.counts).toEqual({ ok: 3, warn: 1, failing: 1, unknown: 1, unreachable: 1 });
    expect(summary.text).toBe(
      '7 checks run: 1 failing, 1 warning, 3 ok, 1 could not reach their server (2 hosts unreachable: db-b, pbx), 1 unknown (reached, but could not tell).',
    );
  });

  it('says 0 failing only beside what was read, and a run of nothing is no news', () => {
    expect(summariseRun([r('ok'), r('unknown')]).text).toBe(
      '2 checks run: 0 failing, 1 ok, 1 unknown (reached, but could not tell).',
    );
    expect(summariseRun([r('unknown')]).text).toBe(
      '1 check run, nothing could be read: 1 unknown (reached, but could not tell).',
    );
    expect(summariseRun([]).text).toBe('No enabled checks to run.');
  });
});

describe('Run all now with hosts unreachable', () => {
  let ws: TempWorkspace;
  let down: Set<string>;
  let runner: ScriptedRunner;
  beforeEach(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    await ws.ok('checks.generateDefaults', {});
    down = new Set();
    runner = new ScriptedRunner((server: Server, script: string) =>
      down.has(server.name) ? unreachable('connect EHOSTUNREACH') : healthyAnswer(server, script),
    );
  });
  afterEach(() => {
    ws.cleanup();
  });

  it('with every host unreachable, the monitor run counts every check unreachable and says nothing was read', async () => {
    const scheduler = new CheckScheduler({ db: ws.db, runner: () => runner });
    const snapshot = await ws.ok<{ servers: { name: string }[] }>('workspace.snapshot', {});
    snapshot.servers.forEach((s) => down.add(s.name));
    const results = await scheduler.runNow();
    await scheduler.dispose();
    expect(results.length).toBeGreaterThan(30);
    // Retries show the ssh checks as warnings and the rest as unknown: the old text said "none failing" here.
    expect(results.some((x) => x.status === 'warn')).toBe(true);
    const summary = summariseRun(results);
    expect(summary.counts.unreachable).toBe(results.length);
    expect(summary.unreachableHosts).toHaveLength(snapshot.servers.length);
    expect(summary.text).toMatch(
      new RegExp(
        `^${results.length} checks run, nothing could be read: ${results.length} could not reach their server`,
      ),
    );
    expect(summary.text).not.toMatch(/failing/);
    // A host that answered nothing is asked once per sweep: its clock reading is not sent after the batch.
    expect(runner.calls.map((c) => c.server).sort()).toEqual(snapshot.servers.map((s) => s.name).sort());
    expect(results.find((x) => x.name === 'web-a: clock')).toMatchObject({ status: 'unknown', unreachable: ['web-a'] });
  });

  it('through the API (no monitor here), each result names the servers it could not reach', async () => {
    ws.ctx.runner = runner;
    down.add('db-b');
    const results = await ws.ok<NamedResult[]>('checks.runNow', {});
    const named = (name: string) => results.find((x) => x.name === name)!;
    expect(named('db-b: SSH')).toMatchObject({ status: 'fail', unreachable: ['db-b'] });
    expect(named('db-b: disk /')).toMatchObject({ status: 'unknown', unreachable: ['db-b'] });
    expect(named('db-a: disk /')).toMatchObject({ status: 'ok', unreachable: [] });
    const summary = summariseRun(results);
    expect(summary.unreachableHosts).toEqual(['db-b']);
    expect(summary.counts.failing).toBe(0);
    expect(summary.counts.unreachable).toBe(
      results.filter((x) => x.status !== 'ok' && x.unreachable.includes('db-b')).length,
    );
    expect(summary.counts.ok).toBe(results.length - summary.counts.unreachable);
    expect(summary.text).toContain('1 host unreachable: db-b');
  });
});
