/**
 * service.stop / service.start / service.restart: systemd units (systemctl) or OpenBSD rc.d
 * services (rcctl). Stopping a stopped service and starting a running one succeed without change;
 * the result is judged by re-reading whether the service is active. A unit that does not exist
 * fails clearly (exit 5, systemd's "not loaded"): stopping nothing is not a successful stop.
 */
import type { Server } from '../../../shared/domain';
import { word } from '../../ssh/quote';
import { outcomeText, planned, requireAnswer, type ActionModule, type ActionResult, type StepEnvironment } from './kit';

type Verb = 'stop' | 'start' | 'restart';

/** Whether a unit is active: exit status 0 means yes. */
export function activeScript(os: Server['os'], unit: string): string {
  const name = word.unit(unit).quoted;
  return os === 'openbsd' ? `rcctl check ${name}` : `systemctl is-active --quiet -- ${name}`;
}

/** Exit status and marker of a unit that does not exist (systemctl's own status for "not loaded"). */
export const UNIT_NOT_FOUND_EXIT = 5;
export const UNIT_NOT_FOUND = 'lifeboat: not-found';

/** Exit status and marker when the unit's load state could not be read (systemctl missing or not running). */
export const UNIT_UNREAD_EXIT = 6;
export const UNIT_UNREAD = 'lifeboat: load state unknown';

/** Stop with UNIT_NOT_FOUND_EXIT when the unit does not exist, UNIT_UNREAD_EXIT when that cannot be read. */
export function unitExistsScript(os: Server['os'], unit: string): string {
  const name = word.unit(unit).quoted;
  const missing = `then echo '${UNIT_NOT_FOUND}'; exit ${UNIT_NOT_FOUND_EXIT}; fi`;
  if (os === 'openbsd')
    return [
      `if ! command -v rcctl >/dev/null; then echo '${UNIT_UNREAD}: no rcctl'; exit ${UNIT_UNREAD_EXIT}; fi`,
      `if ! rcctl get ${name} >/dev/null 2>&1; ${missing}`,
    ].join('\n');
  return [
    `ls=$(systemctl show -p LoadState --value -- ${name} 2>&1 | head -n 1)`,
    `if [ "$ls" = not-found ]; ${missing}`,
    `if [ "$ls" != loaded ]; then echo "${UNIT_UNREAD}: $ls"; exit ${UNIT_UNREAD_EXIT}; fi`,
  ].join('\n');
}

/** The last line: "active", "inactive" (stopped or failed), or "unknown: …" when the state was not proven. */
function stateLine(os: Server['os'], unit: string): string {
  const name = word.unit(unit).quoted;
  if (os === 'openbsd')
    return `if rcctl check ${name} >/dev/null 2>&1; then echo active; elif [ $? -eq 1 ]; then echo inactive; else echo 'unknown: rcctl check failed'; fi`;
  return `s=$(systemctl is-active -- ${name} 2>&1 | head -n 1); case "$s" in active) echo active ;; inactive|failed) echo inactive ;; *) echo "unknown: $s" ;; esac`;
}

/** Check the unit exists, change it, then report whether it is active (the last line: "active" or "inactive"). */
export function serviceScript(os: Server['os'], verb: Verb, unit: string): string {
  const name = word.unit(unit).quoted;
  const change = os === 'openbsd' ? `rcctl ${verb} ${name}` : `systemctl ${verb} -- ${name}`;
  return [unitExistsScript(os, unit), change, `rc=$?`, stateLine(os, unit), `exit $rc`].join('\n');
}

/** Judge a service script's answer: active or not, or a clear failure when the unit does not exist. */
export function interpretService(
  verb: Verb,
  unit: string,
  host: string,
  result: { code: number | null; stdout: string; stderr: string },
): ActionResult & { notActive?: boolean } {
  const lines = result.stdout.trim().split('\n');
  const stderr = result.stderr.trim().slice(0, 300);
  if (lines.includes(UNIT_NOT_FOUND) || result.code === UNIT_NOT_FOUND_EXIT) {
    return {
      status: 'failed',
      message: `${unit} does not exist on ${host} (not-found): nothing to ${verb}. Check the unit name in the group's processes${stderr ? `: ${stderr}` : ''}`,
    };
  }
  if (lines.some((l) => l.startsWith(UNIT_UNREAD)) || result.code === UNIT_UNREAD_EXIT) {
    return {
      status: 'failed',
      message: `whether ${unit} exists on ${host} could not be read (${lines.find((l) => l.startsWith(UNIT_UNREAD)) ?? `exit ${result.code}`}): nothing was changed`,
    };
  }
  const wantActive = verb !== 'stop';
  const last = lines[lines.length - 1];
  if (last !== 'active' && last !== 'inactive') {
    // The change was sent but its result was not proven (no state line, or an answer that is neither).
    return {
      status: 'indeterminate',
      message: `${unit} on ${host}: the state after ${verb} could not be read (${last || 'no answer'})${stderr ? `: ${stderr}` : ''}`,
    };
  }
  const active = last === 'active';
  if (active !== wantActive) {
    return {
      status: 'failed',
      notActive: !active,
      message: `${unit} on ${host} is ${active ? 'still active' : 'not active'} after ${verb}${stderr ? `: ${stderr}` : ''}`,
    };
  }
  return { status: 'succeeded', message: `${unit} on ${host} is ${active ? 'active' : 'stopped'}` };
}

/**
 * The unit's last journal lines (systemd hosts): read once when a service did not become active, so
 * the operator sees why it did not start. Read-only; the unit name is validated and quoted.
 */
export function journalScript(unit: string): string {
  return `journalctl -u ${word.unit(unit).quoted} -n 10 --no-pager`;
}

/** The journal read that follows a unit that did not become active, where the host has a journal. */
export function journalRead(os: Server['os'], unit: string): { purpose: string; script: string } | null {
  return os === 'openbsd' ? null : { purpose: `read: last journal lines of ${unit}`, script: journalScript(unit) };
}

/** `result` with the unit's last journal lines added (read, audited, never changing anything). */
export async function withJournal(env: StepEnvironment, unit: string, result: ActionResult): Promise<ActionResult> {
  const journal = journalRead(env.server.os, unit);
  if (!journal) return result;
  const read = await env.exec(env.server, journal.purpose, journal.script, {
    readOnly: true,
    quick: true,
    timeoutMs: 10_000,
    okCodes: [0],
  });
  const lines =
    read.kind === 'ok'
      ? read.result.stdout.trim() || '(no journal lines)'
      : `could not read the journal: ${outcomeText(read)}`;
  return { ...result, message: `${result.message}\nLast journal lines of ${unit}:\n${lines}`, observed: lines };
}

async function observeUnit(env: StepEnvironment, unit: string): Promise<string> {
  const outcome = await env.exec(env.server, `is ${unit} active?`, activeScript(env.server.os, unit), {
    readOnly: true,
    okCodes: [0, 1, 3, 4],
    timeoutMs: 10_000,
  });
  if (outcome.kind !== 'ok') return `${env.server.name}: could not read ${unit} (${outcomeText(outcome)})`;
  return `${unit} on ${env.server.name} is ${outcome.result.code === 0 ? 'active' : 'not active'}`;
}

function serviceAction<K extends 'service.stop' | 'service.start' | 'service.restart'>(
  kind: K,
  verb: Verb,
): ActionModule<K> {
  const wantActive = verb !== 'stop';
  return {
    kind,
    describe: ({ unit }, env) =>
      `${verb[0].toUpperCase()}${verb.slice(1)} ${unit} on ${env.server.name} and check it is ${wantActive ? 'active' : 'stopped'}`,
    commands: ({ unit }, env) => {
      const journal = wantActive ? journalRead(env.server.os, unit) : null;
      return [
        planned(
          env.server,
          `${verb} ${unit}, then read whether it is active`,
          serviceScript(env.server.os, verb, unit),
          false,
        ),
        ...(journal
          ? [planned(env.server, `${journal.purpose} (only if it did not become active)`, journal.script, true)]
          : []),
      ];
    },
    servers: (_params, env) => [env.server],
    async execute({ unit }, env) {
      const outcome = await env.exec(env.server, `${verb} ${unit}`, serviceScript(env.server.os, verb, unit), {
        readOnly: false,
        okCodes: [0, 1, 3, 4, 5, UNIT_UNREAD_EXIT],
      });
      const result = interpretService(
        verb,
        unit,
        env.server.name,
        requireAnswer(outcome, `${verb} ${unit} on ${env.server.name}`),
      );
      // A unit that was there but did not come up: show why, as wait.check does.
      return wantActive && result.status === 'failed' && result.notActive ? withJournal(env, unit, result) : result;
    },
    observe: ({ unit }, env) => observeUnit(env, unit),
  };
}

export const serviceStop = serviceAction('service.stop', 'stop');
export const serviceStart = serviceAction('service.start', 'start');
export const serviceRestart = serviceAction('service.restart', 'restart');
