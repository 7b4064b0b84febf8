/**
 * `lifeboat reprotect GROUP`: after a failover, rebuild the member left behind as a standby of the
 * primary now (PostgreSQL: pg_rewind or pg_basebackup, then streaming; files: the reverse sync,
 * previewed first). Everything goes through the dispatcher: the dry run (plan, live pre-flight and
 * what the reverse sync would overwrite or delete), the start (failover.start, purpose reprotect,
 * bound to the plan's hash and the typed group name) and the answers to halts.
 */
import type { Command } from 'commander';
import type { App } from '../app';
import type { ReprotectPreview } from '../../shared/contract/reprotect';
import { printable } from '../../shared/validation';
import { formatPlan, formatPreflight, withFollowedRun } from './failover';
import { askOnStdin, type Ask } from './hosts';
import { Exit, type CliEnv } from './env';

interface ReprotectOptions {
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  acknowledgeOverwrites?: string;
}

/** Human-readable lines for the preview: the recorded state, and what the reverse sync would overwrite or delete. */
export function formatPreview(preview: ReprotectPreview): string {
  const lines: string[] = [];
  const state = preview.state;
  lines.push(
    state
      ? `Recorded: ${state.redundancy === 'redundant' ? 'redundant' : 'RUNNING WITHOUT REDUNDANCY'} (${state.detail}, ${new Date(state.since).toISOString()})`
      : 'Recorded: nothing (no run has moved this group); the configured primary is taken as the primary now',
  );
  for (const o of preview.overwrites) {
    lines.push(
      o.count === 0
        ? `Step ${o.stepIndex + 1}: nothing on ${o.host} would be overwritten or deleted`
        : `Step ${o.stepIndex + 1}: ${o.count} file(s) on ${o.host} would be overwritten or deleted (list sha256 ${o.sha256}; acknowledge with --acknowledge-overwrites ${o.count}:${o.sha256.slice(0, 12)}):`,
    );
    for (const line of o.lines) lines.push(`  ${line}`);
  }
  for (const problem of preview.previewProblems) lines.push(`Preview not read: ${problem}`);
  return lines.join('\n');
}

/** `COUNT:SHA256` (a prefix of 12 hex digits at least) as the operator copied it from the preview. */
function parseAcknowledgement(env: CliEnv, value: string | undefined): { count: number; sha: string } | null {
  if (value === undefined) return null;
  const m = /^([0-9]{1,7}):([0-9a-f]{12,64})$/.exec(value);
  if (!m) {
    env.io.err('error: --acknowledge-overwrites takes COUNT:SHA256 as the dry run printed it (e.g. 2:3fa4b2c19d0e)');
    throw new Exit(2);
  }
  return { count: Number(m[1]), sha: m[2] };
}

/**
 * Whether a halt's question asks to acknowledge exactly the list the operator named: the count and
 * the sha256 prefix in its prompt, and acknowledge among its answers.
 */
export function acknowledgesQuestion(question: string, ack: { count: number; sha: string } | null): boolean {
  if (!ack || !/\nAnswer \([^)]*\backnowledge\b/.test(question)) return false;
  const m = /([0-9]+) file\(s\) on .* \([0-9]+ deleted; list sha256 ([0-9a-f]{12})/.exec(question);
  return m !== null && Number(m[1]) === ack.count && ack.sha.startsWith(m[2]);
}

async function groupByName(env: CliEnv, app: App, name: string): Promise<{ id: number; name: string }> {
  const snapshot = await env.call(app, 'workspace.snapshot', {});
  const found = snapshot.groups.find((g) => g.name === name);
  if (!found) {
    env.io.err(
      `error: no service group named "${printable(name)}". Groups: ${snapshot.groups.map((g) => g.name).join(', ') || '(none)'}`,
    );
    throw new Exit(2);
  }
  return found;
}

export function registerReprotectCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  program
    .command('reprotect')
    .description('after a failover, rebuild the member left behind as a standby of the primary now')
    .argument('<group>', 'service group name')
    .option(
      '--dry-run',
      'print the plan, the live pre-flight and what the reverse sync would overwrite; change nothing',
    )
    .option('--yes', "confirm without typing the group's name")
    .option('--json', 'one JSON event per line')
    .option(
      '--acknowledge-overwrites <count:sha256>',
      'accept the overwrite/delete list the dry run showed (answered only when the run halts on that same list)',
    )
    .action((name: string, opts: ReprotectOptions) => {
      const ack = parseAcknowledgement(env, opts.acknowledgeOverwrites);
      // The halt on the overwrite list is answered here only when it shows the list the operator named.
      const answer: Ask = async (question) => (acknowledgesQuestion(question, ack) ? 'acknowledge' : ask(question));
      return withFollowedRun(env, answer, opts.json === true, async (app, run) => {
        const group = await groupByName(env, app, name);
        const preview = await env.call(app, 'reprotect.preview', { groupId: group.id });
        const preflight = preview.preflight;
        if (opts.json) env.io.out(JSON.stringify({ event: 'preview', payload: preview }));
        else
          env.io.out(
            [formatPlan(preview.plan), preflight ? formatPreflight(preflight) : '', formatPreview(preview)]
              .filter(Boolean)
              .join('\n'),
          );
        if (opts.dryRun) return;
        if (!preflight?.passed) {
          const blocks = preflight?.checks.filter((c) => c.status === 'block') ?? [];
          env.io.err(`Pre-flight failed: ${blocks.map((c) => `${c.name}: ${c.detail}`).join('; ')}. Nothing was run.`);
          throw new Exit(1);
        }
        const confirmation = opts.yes
          ? group.name
          : ((await ask(`Type the group's name (${group.name}) to start the re-protect: `)) ?? '').trim();
        const started = await env.call(app, 'failover.start', {
          groupId: group.id,
          targetServerId: preview.plan.targetServerId,
          mode: 'real',
          purpose: 'reprotect',
          confirmation,
          planHash: preview.plan.planHash,
        });
        if (started.refused || started.runId === null) {
          env.io.err(started.refused ?? 'refused');
          throw new Exit(1);
        }
        run.answer(app, started.runId);
        if ((await run.finished) !== 'succeeded') throw new Exit(1);
      });
    });
}
