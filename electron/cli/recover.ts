/**
 * `lifeboat recover [--groups a,b] [--dry-run] [--yes] [--json]`: recover the whole company (or
 * the groups named) in one run, on the same engine as the window: the recovery plan and one
 * pre-flight over every group are printed, the company's name confirms once, then each group's
 * progress and output stream with its name, manual steps and halts are asked on stdin (with who
 * does them and their phone), and the summary compares each RTO and the target with what was
 * achieved. Exit 0 when every group came back. `--test` runs the test recovery instead
 * (recover-test.ts): it reads every step's preconditions and changes nothing.
 */
import type { Command } from 'commander';
import type { App } from '../app';
import type { EventName, EventPayload } from '../../shared/contract';
import type { RunOutput, Waiting } from '../../shared/contract/failover';
import type { RecoveryGroupView, RecoveryPlan, RecoveryPreflight, RecoveryView } from '../../shared/contract/recovery';
import { formatMinutes } from '../../shared/logic/recovery-order';
import type { EventSink } from '../ports/events';
import { askOnStdin, type Ask } from './hosts';
import { bindAttestations, collectAttestations, parseAttestations } from './attest';
import { formatPlan, formatPreflight } from './failover';
import { groupIdsByName, recoverTest } from './recover-test';
import { Exit, type CliEnv } from './env';

export interface RecoverOptions {
  test?: boolean;
  groups?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  attest: string[];
  deadline?: string;
}

/** The recovery plan as a person reads it: priorities, what each group waits for, manual steps with their owner. */
export function formatRecoveryPlan(plan: RecoveryPlan, verbose = false): string {
  const lines = [
    `Recovery of ${plan.companyName || 'the company'}${plan.targetMinutes !== null ? ` (target: back within ${formatMinutes(plan.targetMinutes)})` : ''}:`,
  ];
  for (const priority of [...new Set(plan.groups.map((g) => g.priority))]) {
    const together = plan.groups.filter((g) => g.priority === priority);
    lines.push(`priority ${priority}${together.length > 1 ? ' (in parallel)' : ''}:`);
    for (const g of together) {
      const rto = g.rtoMinutes === null ? 'no RTO' : `RTO ${formatMinutes(g.rtoMinutes)}`;
      const after = g.needs.length ? `, after ${g.needs.join(', ')}` : '';
      const assumed = g.assumedRunning.length ? `, assumes ${g.assumedRunning.join(', ')} running` : '';
      lines.push(
        `  ${g.groupName}: ${g.sourceName} → ${g.targetName} (${g.plan.steps.length} steps, ${rto}${after}${assumed})`,
      );
      for (const m of g.manual)
        lines.push(
          `    manual step ${m.stepIndex + 1}: ${m.title} — ${m.owner ? `${m.owner}${m.phone ? `, ${m.phone}` : ''}` : `the ${m.role || 'operator'} (no contact found)`}`,
        );
      if (verbose)
        lines.push(
          ...formatPlan(g.plan)
            .split('\n')
            .map((l) => `    ${l}`),
        );
    }
  }
  return lines.join('\n');
}

/** Every group's pre-flight, one after another. */
export function formatRecoveryPreflight(preflight: RecoveryPreflight): string {
  return [
    ...preflight.groups.map(formatPreflight),
    `One pre-flight over ${preflight.groups.length} group(s) in ${preflight.durationMs} ms: ${preflight.passed ? 'passed' : 'BLOCKED'}`,
  ].join('\n');
}

function groupLine(g: RecoveryGroupView): string {
  const back = g.backAfterMs === null ? '' : ` (back after ${(g.backAfterMs / 1000).toFixed(1)} s)`;
  return `[${g.groupName}] ${g.state}${g.detail ? `: ${g.detail}` : ''}${back}`;
}

/** Asks on stdin one question at a time (groups halt in parallel, a person answers in turn), answering through the dispatcher. */
function answerer(env: CliEnv, ask: Ask) {
  let queue = Promise.resolve();
  const asked = new Set<string>();
  let app: App | null = null;
  return {
    /** Questions are answered once the workspace is open. */
    open(opened: App) {
      app = opened;
    },
    ask(group: RecoveryGroupView, waiting: Waiting) {
      const key = `${group.runId}:${waiting.stepIndex}:${waiting.prompt}`;
      if (group.runId === null || asked.has(key)) return;
      asked.add(key);
      const runId = group.runId;
      const manual = group.manual.find((m) => m.stepIndex === waiting.stepIndex);
      const who = manual?.owner ? ` [${manual.owner}${manual.phone ? `, ${manual.phone}` : ''}]` : '';
      queue = queue.then(async () => {
        const answer = (
          await ask(
            `[${group.groupName}] step ${waiting.stepIndex + 1}: ${waiting.prompt}${who}\nAnswer (${waiting.options.join(' | ')}; skip and abort take a reason): `,
          )
        )?.trim();
        const [word = 'abort', ...rest] = answer ? answer.split(/\s+/) : ['abort', 'no answer on standard input'];
        const action = waiting.options.find((option) => option === word) ?? 'abort';
        const reason = rest.join(' ') || (action === 'abort' ? 'aborted from the command line' : undefined);
        if (!app) return;
        await env
          .call(app, 'failover.respond', {
            runId,
            stepIndex: waiting.stepIndex,
            action,
            reason: action === 'skip' ? (reason ?? 'skipped from the command line') : reason,
          })
          .catch((e: Error) => {
            // An error envelope was printed by env.call already.
            if (!(e instanceof Exit)) env.io.err(e.message);
          });
      });
    },
  };
}

/**
 * What the one-shot CLI hands openApp as its event sink: it prints each group's progress and
 * output, asks the halts and manual steps, and settles `finished` with the recovery's end.
 */
function followRecovery(env: CliEnv, ask: Ask, json: boolean) {
  const out = (event: string, payload: unknown, text: string) =>
    env.io.out(json ? JSON.stringify({ event, payload }) : text);
  const groupOf = new Map<number, string>();
  const lastLine = new Map<number, string>();
  const answers = answerer(env, ask);
  let settle: (view: RecoveryView) => void = () => undefined;
  const finished = new Promise<RecoveryView>((resolve) => (settle = resolve));
  const emit: EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (event === 'recovery.changed') {
      const view = payload as RecoveryView;
      if (json) out(event, payload, '');
      for (const g of view.groups) {
        if (g.runId !== null) groupOf.set(g.runId, g.groupName);
        const line = groupLine(g);
        if (lastLine.get(g.groupId) !== line && !json) env.io.out(line);
        lastLine.set(g.groupId, line);
        if (g.waiting) answers.ask(g, g.waiting);
      }
      if (view.status !== 'running') settle(view);
    } else if (event === 'run.output') {
      const line = payload as RunOutput;
      const name = groupOf.get(line.runId) ?? `run #${line.runId}`;
      const text = `${line.stream === 'alarm' ? 'ALARM: ' : ''}${line.stream === 'command' ? '$ ' : ''}${line.text.trimEnd()}`;
      out(event, payload, `[${name}]${line.host ? ` [${line.host}]` : ''} ${text}`);
    } else if (json) out(event, payload, '');
  };
  return { emit, finished, open: (app: App) => answers.open(app) };
}

export function registerRecoverCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  program
    .command('recover')
    .description(
      "recover the whole company (or the groups named) in one run: recovery order, one pre-flight, the company's name to confirm",
    )
    .option('--groups <names>', 'only these groups, by name, separated by commas')
    .option('--dry-run', 'print the recovery plan and the pre-flight of every group; change nothing')
    .option('--yes', "confirm without typing the company's name")
    .option('--json', 'one JSON event per line')
    .option(
      '--attest <server=reason>',
      'a member the pre-flight cannot reach is powered off or isolated, and how you know (repeatable)',
      collectAttestations,
      [],
    )
    .option('--deadline <minutes>', "bound on each group's run (default 240)")
    .option('--test', "test recovery: read-only, stores each group's result (a failed one marks it broken)")
    .action((opts: RecoverOptions) => {
      if (opts.test) return recoverTest(env, opts);
      const followed = followRecovery(env, ask, opts.json === true);
      return env.withApp(
        async (app) => {
          followed.open(app);
          await recover(env, app, opts, ask, followed.finished);
        },
        { emit: followed.emit },
      );
    });
}

async function recover(
  env: CliEnv,
  app: App,
  opts: RecoverOptions,
  ask: Ask,
  finished: Promise<RecoveryView>,
): Promise<void> {
  const json = opts.json === true;
  const out = (event: string, payload: unknown, text: string) =>
    env.io.out(json ? JSON.stringify({ event, payload }) : text);
  const deadlineMinutes = opts.deadline === undefined ? undefined : Number(opts.deadline);
  if (
    deadlineMinutes !== undefined &&
    !(Number.isInteger(deadlineMinutes) && deadlineMinutes >= 1 && deadlineMinutes <= 1440)
  ) {
    env.io.err('error: --deadline takes whole minutes from 1 to 1440');
    throw new Exit(2);
  }
  const groupIds = await groupIdsByName(env, app, opts.groups);
  const plan = await env.call(app, 'recovery.plan', { groupIds });
  const members = [...new Set(plan.groups.flatMap((g) => [g.sourceName, g.targetName]))];
  const attesting = parseAttestations(env, opts.attest, members);
  out('plan', plan, formatRecoveryPlan(plan, opts.dryRun === true));
  const preflight = await env.call(app, 'recovery.preflight', { groupIds });
  out('preflight', preflight, formatRecoveryPreflight(preflight));
  if (opts.dryRun) return;
  if (!preflight.passed) {
    const blocks = preflight.groups.flatMap((p) =>
      p.checks.filter((c) => c.status === 'block').map((c) => `${p.groupName}: ${c.name}: ${c.detail}`),
    );
    env.io.err(`Pre-flight failed: ${blocks.join('; ')}. Nothing was run (leave a group out with --groups).`);
    throw new Exit(1);
  }
  // Each --attest goes to the groups the server is a member of, bound to that group's pre-flight.
  const attestations = preflight.groups.flatMap((p) => {
    const mine = attesting.filter((a) => p.members.some((m) => m.host === a.server));
    const attestation = mine.length > 0 || p.needsAttestation ? bindAttestations(env, p, mine) : undefined;
    return attestation ? [{ groupId: p.groupId, attestation }] : [];
  });
  const confirmation = opts.yes
    ? plan.confirmationWord
    : (
        (await ask(
          `Type the company's name (${plan.confirmationWord}) to start the recovery of ${plan.groups.length} group(s): `,
        )) ?? ''
      ).trim();
  await env.call(app, 'recovery.start', {
    groupIds,
    confirmation,
    planHash: plan.planHash,
    attestations,
    deadlineMinutes,
  });
  // Bounded by each group's run deadline: the engine ends every run, and the recovery with them.
  const view = await finished;
  out('finished', view, view.summary);
  if (view.status !== 'succeeded') throw new Exit(1);
}
