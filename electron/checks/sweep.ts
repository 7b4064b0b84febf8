/**
 * One sweep: every planned check's scripts grouped by host, one `runner.batch` per host, the hosts
 * run concurrently, then each check judged. Nothing here throws past a single check or host: a
 * runner that throws or never answers becomes an indeterminate outcome for that host's scripts.
 */
import { mayBeDown } from '../../shared/ssh-status';
import { performance } from 'node:perf_hooks';
import type { Server } from '../../shared/domain';
import type { RemoteOutcome, RemoteRunner } from '../ports/remote';
import { changedHostKey, hostKeyChangedEvaluation, type Evaluation, type Observation } from './kind';
import type { PlannedCheck } from './plan';

/** How a sweep talks to hosts. */
export interface SweepOptions {
  /** Hosts talked to at once (default 64). */
  concurrency?: number;
  /** Output kept per script (default 1 MiB). */
  maxOutputBytes?: number;
  /** Extra time beyond the checks' own timeouts before a host's batch is abandoned (connect + handshake). */
  graceMs?: number;
}

/** One check's verdict from one sweep, before retries. */
export interface CheckRun {
  planned: PlannedCheck;
  evaluation: Evaluation;
  durationMs: number;
  /** The servers it could not reach: nothing was exchanged (a refused login is not this). */
  unreachable: string[];
}

/** The servers of these observations that could not be reached. */
export function unreachableServers(observations: readonly (Observation | undefined)[]): string[] {
  return observations.flatMap((o) =>
    o && o.outcome.kind === 'unreachable' && mayBeDown(o.outcome.cause) ? [o.server.name] : [],
  );
}

/** What one sweep did: a verdict per check. */
export interface SweepReport {
  runs: CheckRun[];
  hosts: number;
  durationMs: number;
}

interface HostWork {
  server: Server;
  scripts: string[];
  /** For each script: which check and which of its targets. */
  slots: { check: number; target: number }[];
  timeoutMs: number;
}

/**
 * Each host's round trips, in the order they run: one batch of every script, then one of its own
 * for each script whose kind reads the host's clock against Lifeboat's (`ownRoundTrip`), so the
 * round trip around it (its uncertainty) is one short exchange on a warm connection.
 */
function groupByHost(planned: readonly PlannedCheck[]): HostWork[][] {
  const hosts = new Map<number, HostWork[]>();
  const add = (work: HostWork, script: string, slot: HostWork['slots'][number], timeoutMs: number) => {
    work.scripts.push(script);
    work.slots.push(slot);
    work.timeoutMs = Math.max(work.timeoutMs, timeoutMs);
  };
  planned.forEach((p, check) => {
    p.targets.forEach((server, target) => {
      let batches = hosts.get(server.id);
      if (!batches) hosts.set(server.id, (batches = [{ server, scripts: [], slots: [], timeoutMs: 0 }]));
      const work = p.module.ownRoundTrip ? { server, scripts: [], slots: [], timeoutMs: 0 } : batches[0];
      if (work !== batches[0]) batches.push(work);
      add(work, p.scripts[target], { check, target }, p.check.timeoutSeconds * 1000);
    });
  });
  return [...hosts.values()].map((batches) => batches.filter((work) => work.scripts.length > 0));
}

/** Run the batch of one host within a deadline of our own; always resolves with one outcome per script. */
async function runHost(
  runner: RemoteRunner,
  work: HostWork,
  options: Required<SweepOptions>,
): Promise<{ outcomes: RemoteOutcome[]; durationMs: number; window: NonNullable<Observation['window']> }> {
  const started = performance.now();
  // Lifeboat's own clock around the round trip: whatever the host printed was printed in between.
  const sentAt = Date.now();
  const indeterminate = (reason: 'timeout' | 'dropped', detail: string): RemoteOutcome[] =>
    work.scripts.map(() => ({ kind: 'indeterminate', reason, detail }));
  let timer: NodeJS.Timeout | undefined;
  const deadline = work.timeoutMs + options.graceMs;
  const guard = new Promise<RemoteOutcome[]>((resolve) => {
    timer = setTimeout(
      () => resolve(indeterminate('timeout', `${work.server.name} gave no answer within ${deadline} ms`)),
      deadline,
    );
  });
  const batch = runner
    .batch(work.server, work.scripts, { timeoutMs: work.timeoutMs, maxOutputBytes: options.maxOutputBytes })
    .then((outcomes) =>
      outcomes.length === work.scripts.length
        ? outcomes
        : indeterminate('dropped', `the runner answered ${outcomes.length} of ${work.scripts.length} scripts`),
    )
    .catch((error: unknown) =>
      indeterminate(
        'dropped',
        `the runner failed on ${work.server.name}: ${(error as Error)?.message ?? String(error)}`,
      ),
    );
  try {
    const outcomes = await Promise.race([batch, guard]);
    return { outcomes, durationMs: performance.now() - started, window: { sentAt, answeredAt: Date.now() } };
  } finally {
    clearTimeout(timer);
  }
}

/** What one round trip to a host gave: an outcome per script, and Lifeboat's clock around it. */
type HostAnswer = { outcomes: RemoteOutcome[]; durationMs: number; window?: Observation['window'] };

/**
 * Run one host's batches in order. A host that answered nothing in one (unreachable, no answer in
 * time) is not asked again in the same sweep: the rest get that same outcome.
 */
async function runHostBatches(
  runner: RemoteRunner,
  batches: HostWork[],
  options: Required<SweepOptions>,
  record: (work: HostWork, answer: HostAnswer) => void,
): Promise<void> {
  let silent: RemoteOutcome | null = null;
  for (const work of batches) {
    const reused: RemoteOutcome | null = silent;
    const answer: HostAnswer = reused
      ? { outcomes: work.scripts.map(() => reused), durationMs: 0 }
      : await runHost(runner, work, options);
    if (answer.outcomes.length > 0 && answer.outcomes.every((o) => o.kind !== 'ok' && o.kind !== 'failed'))
      silent ??= answer.outcomes[0];
    record(work, answer);
  }
}

/** Run `tasks` with at most `limit` in flight. */
async function bounded<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Remote text made safe to show anywhere: control characters (terminal escapes) become spaces. */
export function printableText(text: string, max = 2000): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ').slice(0, max);
}

function printableMetrics(metrics: Evaluation['metrics']): Evaluation['metrics'] {
  const out: Evaluation['metrics'] = {};
  for (const [key, value] of Object.entries(metrics)) {
    out[key] =
      typeof value === 'string'
        ? printableText(value, 500)
        : Array.isArray(value)
          ? value.map((v) => printableText(String(v), 500))
          : value;
  }
  return out;
}

/** Judge one check, turning a bug in a kind into an `unknown` result instead of a stopped loop. */
export function judge(planned: PlannedCheck, observations: readonly Observation[]): Evaluation {
  if (planned.problem) return { status: 'unknown', summary: planned.problem, metrics: {} };
  try {
    // A changed host key is an alarm about the host, whatever the check reads: never a retry.
    const changed = changedHostKey(observations);
    const evaluation = changed ? hostKeyChangedEvaluation(changed) : planned.module.evaluate(observations, planned.ctx);
    return { ...evaluation, summary: printableText(evaluation.summary), metrics: printableMetrics(evaluation.metrics) };
  } catch (error) {
    return {
      status: 'unknown',
      summary: printableText(`the result could not be judged: ${(error as Error)?.message ?? String(error)}`),
      metrics: {},
    };
  }
}

/** Run planned checks once: hosts concurrently, one batch per host. */
export async function sweep(
  planned: readonly PlannedCheck[],
  runner: RemoteRunner,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const settings: Required<SweepOptions> = {
    concurrency: 64,
    maxOutputBytes: 1024 * 1024,
    graceMs: 20_000,
    ...options,
  };
  const started = performance.now();
  const hosts = groupByHost(planned);
  const observations: Observation[][] = planned.map((p) => new Array<Observation>(p.targets.length));
  const durations = planned.map(() => 0);
  await bounded(
    hosts.map(
      (batches) => () =>
        runHostBatches(runner, batches, settings, (work, { outcomes, durationMs, window }) => {
          work.slots.forEach(({ check, target }, i) => {
            observations[check][target] = { server: work.server, outcome: outcomes[i], window };
            durations[check] = Math.max(durations[check], durationMs);
          });
        }),
    ),
    settings.concurrency,
  );
  const runs = planned.map((p, i) => ({
    planned: p,
    evaluation: judge(p, observations[i]),
    durationMs: Math.round(durations[i]),
    unreachable: unreachableServers(observations[i]),
  }));
  return { runs, hosts: hosts.length, durationMs: performance.now() - started };
}
