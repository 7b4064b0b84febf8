/**
 * The test recovery of the whole company, timed against the lab (run by scripts/bench-recover.mjs):
 * once cold (the SSH connections are opened by it), then warm (connections pooled), as the
 * operator's button or the schedule would run it. Prints `test recovery: N s` (warm, the median)
 * and the cold figure beside it. Every group must pass: a timing of a failing test proves nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../../../electron/app';
import type { MethodInput, MethodName, MethodOutput } from '../../../../shared/contract';
import type { TestRecoveryReport } from '../../../../shared/contract/test-recovery';
import { importLabCompany } from '../../../lab/console';
import type { Lab } from '../../../lab/lab';

const WARM_RUNS = Number(process.env.BENCH_TEST_RECOVERY_RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const secondsText = (ms: number) => (ms / 1000).toFixed(2);

/** Time the test recovery of every group of the example company in the lab; returns 0 when every run passed. */
export async function testRecoveryBench(lab: Lab, log: (line: string) => void): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-test-recovery-'));
  const app = openApp(path.join(dir, 'workspace.db'), () => undefined);
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const answer = await app.dispatcher.dispatch(method, input);
    if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
    return answer.value as MethodOutput<M>;
  };
  try {
    await importLabCompany(call, lab);
    const snapshot = await call('workspace.snapshot', {});
    // The files runbooks as an admin sets them up: rsync reaches the receiver with the lab's key.
    const files = snapshot.groups.find((g) => g.name === 'files')!;
    for (const member of files.members) {
      const runbook = await call('runbooks.generate', { groupId: files.id, targetServerId: member.serverId });
      const steps = runbook.steps.map((step) =>
        step.type === 'action' && step.action.kind === 'rsync.sync'
          ? {
              ...step,
              action: {
                ...step.action,
                params: { ...step.action.params, identityFile: lab.keyPath, knownHostsFile: lab.knownHostsPath },
              },
            }
          : step,
      );
      const { groupId, direction, sourceServerId, targetServerId } = runbook;
      if (direction === 'reprotect') continue;
      await call('runbooks.save', { groupId, direction, sourceServerId, targetServerId, steps });
    }
    // A standby that has not replayed what it received has no provable lag: wait (bounded) until db-b is caught up.
    const deadline = Date.now() + 30_000;
    let replication = '';
    while (Date.now() < deadline && replication !== 'streaming|t') {
      const read = await lab.psql(
        'db-b',
        'select (select status from pg_stat_wal_receiver), pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn();',
      );
      replication = read.stdout.trim();
      if (replication !== 'streaming|t') await new Promise((resolve) => setTimeout(resolve, 200));
    }
    log(`db-b replication before the bench: ${replication}`);
    const timed = async (): Promise<{ ms: number; report: TestRecoveryReport }> => {
      const started = performance.now();
      const report = await call('recovery.test', {});
      return { ms: performance.now() - started, report };
    };
    const cold = await timed();
    const warm: number[] = [];
    let failed = cold.report.passed ? null : cold.report;
    for (let i = 0; i < WARM_RUNS; i++) {
      const run = await timed();
      warm.push(run.ms);
      if (!run.report.passed) failed = run.report;
    }
    for (const group of cold.report.groups)
      log(
        `  ${group.groupName}: ${group.passed ? 'passed' : `BROKEN: ${group.reason}`} in ${group.durationMs} ms (cold)`,
      );
    log(
      `test recovery of ${cold.report.groups.length} groups (${cold.report.groups.flatMap((g) => g.directions).length} directions): cold ${secondsText(cold.ms)} s, warm median of ${warm.length}: ${secondsText(median(warm))} s (${warm.map((ms) => secondsText(ms)).join(', ')} s); goal < 2 s warm`,
    );
    log(`test recovery (cold): ${secondsText(cold.ms)} s`);
    log(`test recovery: ${secondsText(median(warm))} s`);
    if (failed) {
      log(
        `a test recovery did not pass: ${failed.groups
          .filter((g) => !g.passed)
          .map((g) => `${g.groupName}: ${g.reason}`)
          .join('; ')}`,
      );
      return 1;
    }
    return 0;
  } finally {
    app.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
