/**
 * Every remote command of a failover goes through here: an intent row is committed (synchronous=FULL)
 * before the runner is called, the outcome row after, and the output is streamed as `run.output`.
 * A runner that throws is treated as an unknown outcome, never as success.
 */
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { RunOutput } from '../../shared/contract/failover';
import type { RemoteOutcome, RemoteRunner } from '../ports/remote';
import { appendAudit } from './audit';
import { redactPasswords } from '../../shared/redact';

/** Where a command belongs: the run and step (both null outside a run, e.g. a standalone pre-flight). */
export interface ExecScope {
  db: Db;
  runner: RemoteRunner;
  actor: string;
  runId: number | null;
  groupId: number | null;
  stepIndex: number | null;
  /** Streams output lines of a run (ignored outside a run). */
  output: (line: Omit<RunOutput, 'runId' | 'at'>) => void;
  signal?: AbortSignal;
}

export interface AuditedExecOptions {
  timeoutMs?: number;
  okCodes?: readonly number[];
  readOnly: boolean;
  /**
   * A short script (reads, VIP moves): run it on the host's persistent shell, which answers in a
   * millisecond where a fresh exec channel takes ~90 ms. Long or custom scripts keep their own
   * channel so they never hold up the shell others share.
   */
  quick?: boolean;
  /** Whose persistent shell a quick script uses (default "failover"; a test recovery reads beside its own listening on "checks"). */
  lane?: 'checks' | 'failover';
}

/** Default bound on one command. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 30_000;

function exitCodeOf(outcome: RemoteOutcome): number | null {
  if (outcome.kind === 'ok' || outcome.kind === 'failed') return outcome.result.code;
  if (outcome.kind === 'indeterminate') return outcome.result?.code ?? null;
  return null;
}

function outputOf(outcome: RemoteOutcome): { stdout: string; stderr: string } {
  if (outcome.kind === 'ok' || outcome.kind === 'failed') return outcome.result;
  if (outcome.kind === 'indeterminate' && outcome.result) return outcome.result;
  return { stdout: '', stderr: 'detail' in outcome ? outcome.detail : '' };
}

/** Run one script with its intent and outcome rows around it. */
export async function auditedExec(
  scope: ExecScope,
  server: Server,
  purpose: string,
  script: string,
  options: AuditedExecOptions,
): Promise<RemoteOutcome> {
  const base = {
    runId: scope.runId,
    groupId: scope.groupId,
    stepIndex: scope.stepIndex,
    serverId: server.id,
    host: server.name,
    actor: scope.actor,
  };
  const startedAt = Date.now();
  // A password a runbook author typed into a custom command goes to the host, never to the record.
  const recorded = redactPasswords(script);
  const intent = appendAudit(scope.db, {
    ...base,
    kind: 'intent',
    command: recorded,
    startedAt,
    detail: `${options.readOnly ? 'read' : 'change'}: ${purpose}`,
  });
  scope.output({
    stepIndex: scope.stepIndex ?? -1,
    host: server.name,
    stream: 'command',
    text: `# ${purpose}\n${recorded}`,
  });
  let outcome: RemoteOutcome;
  let streamed = false;
  try {
    // Longer commands (rsync, promote) stream their output to the run as it comes.
    const onOutput = (stream: 'stdout' | 'stderr', text: string) => {
      streamed = true;
      scope.output({ stepIndex: scope.stepIndex ?? -1, host: server.name, stream, text: redactPasswords(text) });
    };
    const runOptions = {
      timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      okCodes: options.okCodes,
      signal: scope.signal,
      onOutput,
    };
    if (options.quick) {
      const [first] = await scope.runner.batch(server, [script], { ...runOptions, lane: options.lane ?? 'failover' });
      outcome = first ?? { kind: 'indeterminate', reason: 'no-exit-status', detail: 'the runner returned no outcome' };
    } else {
      outcome = await scope.runner.run(server, script, runOptions);
    }
  } catch (error) {
    outcome = {
      kind: 'indeterminate',
      reason: 'no-exit-status',
      detail: `the runner failed: ${(error as Error).message}`,
    };
  }
  const { stdout, stderr } = outputOf(outcome);
  appendAudit(scope.db, {
    ...base,
    kind: 'outcome',
    command: recorded,
    intentId: intent.id,
    startedAt,
    endedAt: Date.now(),
    exitCode: exitCodeOf(outcome),
    outcome: outcome.kind === 'indeterminate' ? `indeterminate (${outcome.reason})` : outcome.kind,
    output: redactPasswords([stdout, stderr ? `[stderr]\n${stderr}` : ''].filter(Boolean).join('\n')),
    detail: purpose,
  });
  if (!streamed) {
    for (const [stream, text] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const)
      if (text)
        scope.output({ stepIndex: scope.stepIndex ?? -1, host: server.name, stream, text: redactPasswords(text) });
  }
  if (outcome.kind !== 'ok' && outcome.kind !== 'failed') {
    scope.output({
      stepIndex: scope.stepIndex ?? -1,
      host: server.name,
      stream: 'info',
      text: `${outcome.kind}: ${'detail' in outcome ? outcome.detail : ''}`,
    });
  }
  return outcome;
}
