/**
 * `lifeboat failover GROUP --to MEMBER` (the same engine as the window: pre-flight, plan, typed
 * confirmation, live output, halts that ask) and `lifeboat audit` (export or verify the log).
 */
import type { Command } from 'commander';
import type { App } from '../app';
import type { EventName, EventPayload } from '../../shared/contract';
import type {
  Attestation,
  OperatorResponse,
  Plan,
  Preflight,
  RunOutput,
  RunStepEvent,
  RunView,
  Waiting,
} from '../../shared/contract/failover';
import { printable } from '../../shared/validation';
import type { EventSink } from '../ports/events';
import { askOnStdin, type Ask } from './hosts';
import { bindAttestations, collectAttestations, parseAttestations } from './attest';
import { Exit, type CliEnv } from './env';

interface FailoverOptions {
  to: string;
  drill?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  attest: string[];
  acknowledgeLag?: string;
  resume?: string;
  deadline?: string;
}

/** `--acknowledge-lag SECONDS|unknown`: the lag the operator saw and accepts. */
function parseLagOption(env: CliEnv, value: string | undefined): { lagSeconds: number | null } | undefined {
  if (value === undefined) return undefined;
  if (value === 'unknown') return { lagSeconds: null };
  const seconds = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !Number.isFinite(seconds)) {
    env.io.err('error: --acknowledge-lag takes the lag shown in seconds (e.g. 420) or "unknown"');
    throw new Exit(2);
  }
  return { lagSeconds: seconds };
}

/** Human-readable lines for the pre-flight. */
export function formatPreflight(preflight: Preflight): string {
  const lines = [`Pre-flight of ${preflight.groupName} (${preflight.durationMs} ms):`];
  for (const check of preflight.checks) lines.push(`  [${check.status}] ${check.name}: ${check.detail}`);
  return lines.join('\n');
}

/** Human-readable lines for the plan, with every command per host. */
export function formatPlan(plan: Plan): string {
  const lines = [
    `Plan: ${plan.direction} of ${plan.groupName} (${plan.runbookSaved ? 'saved runbook' : 'generated runbook'})`,
  ];
  for (const step of plan.steps) {
    lines.push(
      `${step.index + 1}. ${step.title}${step.host ? ` [on ${step.host}]` : ''}${step.role ? ` (${step.role})` : ''}`,
      `   ${step.description}`,
    );
    for (const command of step.commands) {
      lines.push(`   on ${command.host}: ${command.purpose}${command.readOnly ? ' (read only)' : ''}`);
      for (const line of command.script.split('\n')) lines.push(`     ${line}`);
    }
  }
  return lines.join('\n');
}

async function byName(
  env: CliEnv,
  app: App,
  group: string,
  member: string,
): Promise<{ groupId: number; groupName: string; targetServerId: number; members: string[] }> {
  const snapshot = await env.call(app, 'workspace.snapshot', {});
  const found = snapshot.groups.find((g) => g.name === group);
  if (!found) {
    env.io.err(
      `error: no service group named "${printable(group)}". Groups: ${snapshot.groups.map((g) => g.name).join(', ') || '(none)'}`,
    );
    throw new Exit(2);
  }
  const server = snapshot.servers.find((s) => s.name === member && found.members.some((m) => m.serverId === s.id));
  const members = found.members.map(
    (m) => snapshot.servers.find((s) => s.id === m.serverId)?.name ?? `server ${m.serverId}`,
  );
  if (!server) {
    env.io.err(`error: "${printable(member)}" is not a member of ${found.name} (members: ${members.join(', ')})`);
    throw new Exit(2);
  }
  return { groupId: found.id, groupName: found.name, targetServerId: server.id, members };
}

function printer(env: CliEnv, json: boolean) {
  return <E extends EventName>(event: E, payload: EventPayload<E>) => {
    if (json) return env.io.out(JSON.stringify({ event, payload }));
    if (event === 'run.output') {
      const line = payload as RunOutput;
      const prefix =
        line.stream === 'command'
          ? `[${line.host}] $ `
          : line.stream === 'alarm'
            ? 'ALARM: '
            : line.host
              ? `[${line.host}] `
              : '';
      env.io.out(`${prefix}${line.text.trimEnd()}`);
    } else if (event === 'run.step') {
      const { step } = payload as RunStepEvent;
      if (step.status !== 'running' || step.attempts === 0)
        env.io.out(`step ${step.index + 1} ${step.title}: ${step.status}${step.message ? ` — ${step.message}` : ''}`);
    } else if (event === 'run.finished') {
      env.io.out((payload as EventPayload<'run.finished'>).summary);
    }
  };
}

/** Read the answer to a halted step from stdin: tick / retry / acknowledge / skip REASON / abort [REASON]. */
async function answerOf(ask: Ask, waiting: Waiting): Promise<{ action: OperatorResponse; reason?: string }> {
  const answer =
    (
      await ask(
        `Step ${waiting.stepIndex + 1}: ${waiting.prompt}\nAnswer (${waiting.options.join(' | ')}; skip and abort take a reason): `,
      )
    )?.trim() ?? null;
  const [word = 'abort', ...rest] = answer === null ? ['abort', 'no answer on standard input'] : answer.split(/\s+/);
  const action = waiting.options.find((option) => option === word) ?? 'abort';
  const reason = rest.join(' ') || (action === 'abort' ? 'aborted from the command line' : undefined);
  return { action, reason: action === 'skip' ? (reason ?? 'skipped from the command line') : reason };
}

/**
 * What the one-shot CLI hands openApp as its event sink: it prints the run's events, answers its
 * halts through the dispatcher once the run id is known (a halt may come before the start returns),
 * and settles `finished` with the run's end.
 */
function followRun(env: CliEnv, ask: Ask, json: boolean) {
  const print = printer(env, json);
  let answerHalt: ((waiting: Waiting) => void) | null = null;
  let early: Waiting | null = null;
  let settle: (status: RunView['status']) => void = () => undefined;
  const finished = new Promise<RunView['status']>((resolve) => (settle = resolve));
  const emit: EventSink = (event, payload) => {
    print(event, payload);
    if (event === 'run.finished') settle((payload as EventPayload<'run.finished'>).status);
    const waiting = event === 'run.step' ? (payload as RunStepEvent).waiting : null;
    if (waiting) {
      if (answerHalt) answerHalt(waiting);
      else early = waiting;
    }
  };
  return {
    emit,
    finished,
    /** Answer halts of `runId` as they come; bounded by the engine's own wait on the operator. */
    answer(app: App, runId: number): void {
      answerHalt = (waiting) =>
        void answerOf(ask, waiting)
          .then((answer) => env.call(app, 'failover.respond', { runId, stepIndex: waiting.stepIndex, ...answer }))
          .catch((e: Error) => {
            // An error envelope was printed by env.call already.
            if (!(e instanceof Exit)) env.io.err(e.message);
          });
      const pending = early as Waiting | null;
      if (pending) answerHalt(pending);
    },
  };
}

/** Open the workspace with the run's printer as its event sink, for the length of fn (lifeboat reprotect too). */
export function withFollowedRun<T>(
  env: CliEnv,
  ask: Ask,
  json: boolean,
  fn: (app: App, run: ReturnType<typeof followRun>) => Promise<T>,
): Promise<T> {
  const run = followRun(env, ask, json);
  return env.withApp((app) => fn(app, run), { emit: run.emit });
}

export function registerFailoverCommands(program: Command, env: CliEnv, ask: Ask = askOnStdin): void {
  program
    .command('failover')
    .description('fail a service group over to a member (pre-flight, plan, typed confirmation, live output)')
    .argument('<group>', 'service group name')
    .requiredOption('--to <member>', 'the member to move the group to')
    .option('--drill', 'a timed drill (same engine, recorded as a drill)')
    .option('--dry-run', 'print the pre-flight and the plan only; change nothing')
    .option('--yes', "confirm without typing the group's name")
    .option('--json', 'one JSON event per line')
    .option(
      '--attest <server=reason>',
      'a member the pre-flight cannot reach is powered off or isolated, and how you know (repeatable)',
      collectAttestations,
      [],
    )
    .option('--acknowledge-lag <seconds>', 'accept the replication lag shown (seconds, or "unknown") above the RPO')
    .option('--resume <run>', 'resume an interrupted run from a fresh pre-flight (its mode is kept)')
    .option('--deadline <minutes>', 'bound on the whole run (default 240)')
    .action((group: string, opts: FailoverOptions) =>
      withFollowedRun(env, ask, opts.json === true, async (app, run) => {
        const { groupId, groupName, targetServerId, members } = await byName(env, app, group, opts.to);
        const attesting = parseAttestations(env, opts.attest, members);
        const mode = opts.dryRun ? 'dry-run' : opts.drill ? 'drill' : 'real';
        const resumeRunId = opts.resume === undefined ? undefined : Number(opts.resume);
        if (resumeRunId !== undefined && !(Number.isInteger(resumeRunId) && resumeRunId > 0)) {
          env.io.err('error: --resume takes a run number');
          throw new Exit(2);
        }
        const deadlineMinutes = opts.deadline === undefined ? undefined : Number(opts.deadline);
        if (
          deadlineMinutes !== undefined &&
          !(Number.isInteger(deadlineMinutes) && deadlineMinutes >= 1 && deadlineMinutes <= 1440)
        ) {
          env.io.err('error: --deadline takes whole minutes from 1 to 1440');
          throw new Exit(2);
        }
        let acknowledgeLag = parseLagOption(env, opts.acknowledgeLag);
        let confirmation = '';
        let planHash: string | undefined;
        let attestation: Attestation | undefined;
        if (mode === 'dry-run' && attesting.length > 0) {
          // A dry run with attestations shows the pre-flight as it would be with them: bound the same way.
          attestation = bindAttestations(
            env,
            await env.call(app, 'failover.preflight', { groupId, targetServerId }),
            attesting,
          );
        }
        if (mode !== 'dry-run') {
          // The operator sees the plan and the live pre-flight before typing the name that confirms them.
          const plan = await env.call(app, 'failover.plan', { groupId, targetServerId });
          const preflight = await env.call(app, 'failover.preflight', { groupId, targetServerId });
          planHash = plan.planHash;
          if (opts.json) {
            env.io.out(JSON.stringify({ event: 'plan', payload: plan }));
            env.io.out(JSON.stringify({ event: 'preflight', payload: preflight }));
          } else env.io.out(`${formatPlan(plan)}\n${formatPreflight(preflight)}`);
          if (!preflight.passed) {
            env.io.err(
              `Pre-flight failed: ${preflight.checks
                .filter((c) => c.status === 'block')
                .map((c) => `${c.name}: ${c.detail}`)
                .join('; ')}. Nothing was run.`,
            );
            throw new Exit(1);
          }
          attestation = bindAttestations(env, preflight, attesting);
          const lag = preflight.members.find((m) => m.serverId === targetServerId)?.replayLagSeconds ?? null;
          if (preflight.needsAcknowledgement && acknowledgeLag === undefined && !opts.yes) {
            const typed = (
              (await ask(
                `The replay lag of ${lag === null ? 'unknown size' : `${lag} s`} is above the RPO. Type "accept" to accept losing those writes: `,
              )) ?? ''
            ).trim();
            if (typed === 'accept') acknowledgeLag = { lagSeconds: lag };
          }
          confirmation = opts.yes
            ? groupName
            : (
                (await ask(
                  `Type the group's name (${groupName}) to start the ${mode === 'drill' ? 'drill' : 'failover'}: `,
                )) ?? ''
              ).trim();
        }
        const started = await env.call(app, 'failover.start', {
          groupId,
          targetServerId,
          mode,
          confirmation,
          acknowledgeLag,
          resumeRunId,
          planHash,
          deadlineMinutes,
          attestation,
        });
        if (opts.json)
          env.io.out(
            JSON.stringify({
              event: 'started',
              payload: {
                runId: started.runId,
                refused: started.refused,
                preflight: started.preflight,
                plan: mode === 'dry-run' ? started.plan : undefined,
              },
            }),
          );
        else if (mode === 'dry-run') env.io.out(formatPreflight(started.preflight));
        if (mode === 'dry-run') {
          if (!opts.json) env.io.out(formatPlan(started.plan));
          return;
        }
        if (started.refused || started.runId === null) {
          if (!opts.json) env.io.err(started.refused ?? 'refused');
          throw new Exit(1);
        }
        run.answer(app, started.runId);
        // Bounded by the run's own deadline: the engine ends every run it started with run.finished.
        const status = await run.finished;
        if (status !== 'succeeded') throw new Exit(1);
      }),
    );

  program
    .command('audit')
    .description('export the audit log (CSV or JSON) or verify its hash chain')
    .option('--verify', 'check the hash chain and report the first broken row')
    .option('--format <format>', 'csv or json', 'json')
    .option('--run <id>', 'only the rows of one run')
    .action((opts: { verify?: boolean; format: string; run?: string }) =>
      env.withApp(async (app) => {
        if (opts.verify) {
          const result = await env.call(app, 'audit.verify', {});
          if (result.ok) return void env.io.out(`audit log intact: ${result.rows} rows, hash chain verified`);
          env.io.err(`AUDIT LOG BROKEN at row ${result.firstBroken?.id}: ${result.firstBroken?.reason}`);
          throw new Exit(1);
        }
        if (opts.format !== 'csv' && opts.format !== 'json') {
          env.io.err('error: --format: choose one of: csv, json');
          throw new Exit(2);
        }
        const runId = opts.run === undefined ? undefined : Number(opts.run);
        if (runId !== undefined && !(Number.isInteger(runId) && runId > 0)) {
          env.io.err('error: --run takes a run number');
          throw new Exit(2);
        }
        env.io.out((await env.call(app, 'audit.export', { format: opts.format, runId })).text);
      }),
    );
}
