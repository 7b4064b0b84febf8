/**
 * sync.pause / sync.resume: the group's scheduled sync (shared/sync-timer.ts) holds still while a
 * failover or switchback moves the group. Pause writes the marker its script reads before copying,
 * then waits (bounded) until no run holds the sync's lock, so no copy is running when the step
 * succeeds; resume removes the marker. Both are idempotent, work whether or not the timer is
 * installed (the marker alone is harmless), and are judged by re-reading the marker.
 */
import { syncNames } from '../../../shared/sync-timer';
import { word } from '../../ssh/quote';
import { outcomeText, planned, requireAnswer, type ActionModule, type ActionResult, type StepEnvironment } from './kit';
import type { Server } from '../../../shared/domain';

const MARK = 'lifeboat-sync-pause:';

/** Pause: the marker, then wait for a running copy to end (its lock gone or its pid dead). */
export function pauseScript(groupName: string, waitSeconds: number): string {
  const d = word.path(syncNames(groupName).state).quoted;
  const limit = word.integer(waitSeconds, 1, 600).value;
  return [
    `d=${d}`,
    `mkdir -p "$d" && : > "$d/paused" || { echo '${MARK} cannot write the pause marker'; exit 3; }`,
    'i=0',
    'while [ -d "$d/lock" ]; do',
    '  pid=$(cat "$d/lock/pid" 2>/dev/null)',
    '  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi',
    `  i=$((i + 1)); if [ "$i" -gt ${limit} ]; then echo '${MARK} running'; exit 4; fi`,
    '  sleep 1',
    'done',
    `if [ -e "$d/paused" ]; then echo '${MARK} paused'; else echo '${MARK} not paused'; fi`,
  ].join('\n');
}

/** Resume: remove the marker, then say whether it is gone. */
export function resumeScript(groupName: string): string {
  const d = word.path(syncNames(groupName).state).quoted;
  return [
    `d=${d}`,
    'rm -f "$d/paused"',
    `if [ -e "$d/paused" ]; then echo '${MARK} paused'; else echo '${MARK} resumed'; fi`,
  ].join('\n');
}

/** Read the marker and whether a run holds the lock. */
export function pauseStateScript(groupName: string): string {
  const d = word.path(syncNames(groupName).state).quoted;
  return [
    `d=${d}`,
    `if [ -e "$d/paused" ]; then echo '${MARK} paused'; else echo '${MARK} not paused'; fi`,
    `if [ -d "$d/lock" ]; then echo '${MARK} a run holds the lock'; fi`,
  ].join('\n');
}

function lastMark(stdout: string): string | null {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(MARK))
    .at(-1);
  return line ? line.slice(MARK.length).trim() : null;
}

async function observeMarker(env: StepEnvironment, server: Server): Promise<string> {
  const outcome = await env.exec(server, 'is the scheduled sync paused?', pauseStateScript(env.group.name), {
    readOnly: true,
    quick: true,
  });
  return outcome.kind === 'ok'
    ? outcome.result.stdout.trim().split('\n').join('; ')
    : `could not read: ${outcomeText(outcome)}`;
}

export const syncPause: ActionModule<'sync.pause'> = {
  kind: 'sync.pause',
  describe(params, env) {
    return `Pause the scheduled sync of ${env.group.name} on ${env.server.name} (waiting up to ${params.waitSeconds} s for a running copy to end)`;
  },
  commands(params, env) {
    return [planned(env.server, 'pause the scheduled sync', pauseScript(env.group.name, params.waitSeconds), false)];
  },
  servers: (_params, env) => [env.server],
  async execute(params, env): Promise<ActionResult> {
    const result = requireAnswer(
      await env.exec(env.server, 'pause the scheduled sync', pauseScript(env.group.name, params.waitSeconds), {
        readOnly: false,
        timeoutMs: Math.min(env.remainingMs(), (params.waitSeconds + 30) * 1000),
      }),
      'the pause',
    );
    const mark = lastMark(result.stdout);
    if (result.code === 0 && mark === 'paused')
      return {
        status: 'succeeded',
        message: `the scheduled sync of ${env.group.name} is paused on ${env.server.name}`,
      };
    if (mark === 'running')
      return {
        status: 'failed',
        message: `a sync of ${env.group.name} is still running on ${env.server.name} after ${params.waitSeconds} s (it is paused for its next runs): retry when it ends, or stop it (systemctl stop ${syncNames(env.group.name).unit}.service)`,
      };
    return {
      status: 'failed',
      message: `the pause did not prove itself on ${env.server.name} (exit ${result.code}, ${mark ?? 'no answer line'})`,
    };
  },
  observe: (_params, env) => observeMarker(env, env.server),
};

export const syncResume: ActionModule<'sync.resume'> = {
  kind: 'sync.resume',
  describe(_params, env) {
    return `Resume the scheduled sync of ${env.group.name} on ${env.server.name}`;
  },
  commands(_params, env) {
    return [planned(env.server, 'resume the scheduled sync', resumeScript(env.group.name), false)];
  },
  servers: (_params, env) => [env.server],
  async execute(_params, env): Promise<ActionResult> {
    const result = requireAnswer(
      await env.exec(env.server, 'resume the scheduled sync', resumeScript(env.group.name), {
        readOnly: false,
        quick: true,
      }),
      'the resume',
    );
    const mark = lastMark(result.stdout);
    if (result.code === 0 && mark === 'resumed')
      return {
        status: 'succeeded',
        message: `the scheduled sync of ${env.group.name} runs again on ${env.server.name}`,
      };
    return {
      status: 'failed',
      message: `the resume did not prove itself on ${env.server.name} (exit ${result.code}, ${mark ?? 'no answer line'})`,
    };
  },
  observe: (_params, env) => observeMarker(env, env.server),
};
