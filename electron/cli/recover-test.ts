/**
 * `lifeboat recover --test [--groups a,b] [--json]`: the test recovery from the command line. It
 * reads every step's preconditions on the real hosts and changes nothing; each group's result is
 * stored (a failed one marks the group broken). Exit 0 when every group passed, 1 when one did not.
 */
import type { App } from '../app';
import type { TestRecoveryGroup, TestRecoveryReport } from '../../shared/contract/test-recovery';
import { printable } from '../../shared/validation';
import { Exit, type CliEnv } from './env';

/** `--groups a,b` as group ids, or an exit naming the unknown group. */
export async function groupIdsByName(env: CliEnv, app: App, list: string | undefined): Promise<number[] | undefined> {
  if (list === undefined) return undefined;
  const names = list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) {
    env.io.err('error: --groups takes group names separated by commas (e.g. --groups db,web)');
    throw new Exit(2);
  }
  const snapshot = await env.call(app, 'workspace.snapshot', {});
  return names.map((name) => {
    const group = snapshot.groups.find((g) => g.name === name);
    if (!group) {
      env.io.err(
        `error: no service group named "${printable(name)}". Groups: ${snapshot.groups.map((g) => g.name).join(', ') || '(none)'}`,
      );
      throw new Exit(2);
    }
    return group.id;
  });
}

const seconds = (value: number | null) => (value === null ? 'not measured' : `${value} s`);

/** One group's result as a person reads it. */
export function formatTestGroup(group: TestRecoveryGroup): string {
  const lines = [
    `${group.groupName}: ${group.passed ? 'passed' : `BROKEN: ${group.reason ?? 'unknown'}`} (${group.durationMs} ms)`,
  ];
  for (const d of group.directions) {
    lines.push(
      `  ${d.direction} ${d.source} → ${d.target}${d.live ? ' (from the member running it now)' : ''}: ${d.passed ? 'ok' : 'failed'}, expected ${seconds(d.expectedSeconds)}`,
    );
    for (const c of d.checks)
      if (c.status !== 'ok' || d.live) lines.push(`    [${c.status}] ${c.precondition} ${c.subject}: ${c.detail}`);
    for (const s of d.steps)
      lines.push(
        `    step ${s.index + 1} ${s.title}: expected ${seconds(s.expectedSeconds)}${s.expectedFrom === 'none' ? '' : ` (${s.expectedFrom})`}`,
      );
  }
  return lines.join('\n');
}

export function formatTestReport(report: TestRecoveryReport): string {
  const broken = report.groups.filter((g) => !g.passed);
  return [
    ...report.groups.map(formatTestGroup),
    `Test recovery ${report.passed ? 'passed' : `found ${broken.length} broken group${broken.length === 1 ? '' : 's'}: ${broken.map((g) => g.groupName).join(', ')}`} in ${report.durationMs} ms; nothing was changed.`,
  ].join('\n');
}

/** Run the test recovery and print it; exits 1 when a group is broken. */
export async function recoverTest(env: CliEnv, opts: { groups?: string; json?: boolean }): Promise<void> {
  await env.withApp(async (app) => {
    const groupIds = await groupIdsByName(env, app, opts.groups);
    const report = await env.call(app, 'recovery.test', groupIds ? { groupIds } : {});
    env.io.out(opts.json ? JSON.stringify(report) : formatTestReport(report));
    if (!report.passed) throw new Exit(1);
  });
}
