/** `lifeboat check`: run every enabled health check once and say which fail. */
import type { Command } from 'commander';
import type { App } from '../app';
import { Exit, type CliEnv } from './env';
import { summariseRun } from '../../shared/logic/check-run-summary';

const LABEL = { ok: 'OK', warn: 'WARN', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

interface CheckOptions {
  json?: boolean;
  group?: string;
}

/** Register `lifeboat check`. */
export function registerCheckCommands(program: Command, env: CliEnv): void {
  program
    .command('check')
    .description('run every enabled health check once; exits 1 when any fails or cannot be judged')
    .option('--json', 'print one JSON object per check (one per line)')
    .option('--group <name>', 'only the checks of this service group')
    .action((opts: CheckOptions) => env.withApp((app) => runChecks(env, app, opts)));
}

async function runChecks(env: CliEnv, app: App, opts: CheckOptions): Promise<void> {
  let groupId: number | undefined;
  if (opts.group !== undefined) {
    const { groups } = await env.call(app, 'workspace.snapshot', {});
    const group = groups.find((g) => g.name === opts.group);
    if (!group) {
      env.io.err(
        `error: there is no service group "${opts.group.slice(0, 80)}". Known: ${groups.map((g) => g.name).join(', ') || 'none'}`,
      );
      throw new Exit(2);
    }
    groupId = group.id;
  }
  const filter = groupId === undefined ? {} : { groupId };
  const defined = await env.call(app, 'checks.list', filter);
  if (defined.length === 0) {
    const { created } = await env.call(app, 'checks.generateDefaults', filter);
    env.io.err(`no checks were defined: added ${created.length} default checks from the service groups`);
  }
  const results = await env.call(app, 'checks.runNow', filter);
  if (opts.json) {
    for (const r of results) {
      const line = {
        check: r.name,
        checkId: r.checkId,
        kind: r.kind,
        status: r.status,
        observed: r.observed,
        summary: r.summary,
        metrics: r.metrics,
        durationMs: r.durationMs,
        at: new Date(r.at).toISOString(),
      };
      env.io.out(JSON.stringify(line));
    }
  } else {
    const width = Math.min(48, Math.max(0, ...results.map((r) => r.name.length)));
    for (const r of results) env.io.out(`${LABEL[r.status].padEnd(8)}${r.name.padEnd(width)}  ${r.summary}`);
    env.io.err(summariseRun(results).text);
  }
  if (results.some((r) => r.status === 'fail' || r.status === 'unknown')) throw new Exit(1);
}
