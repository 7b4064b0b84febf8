/**
 * service: a unit is active (systemd `is-active`, OpenBSD `rcctl check`) or a process of that name
 * runs (`pgrep -x`). On a group, it reads every member and is ok when at least one runs it.
 */
import { lines, sh, word, type Script, type ShellWord } from '../ssh/quote';
import type { CheckParamsOf } from '../../shared/checks';
import { field, groupCheckName, readObservation, serverOrMembers, type CheckKindModule, type Evaluation, type Observation } from './kind';
import { checkScript } from './script';

type Manager = CheckParamsOf<'service'>['manager'];

function probes(manager: Manager, unit: ShellWord): Script[] {
  const systemd = sh`if command -v systemctl >/dev/null 2>&1; then s=$(systemctl is-active -- ${unit} 2>/dev/null); echo "systemd=\${s:-unknown}"; fi`;
  const rcctl = sh`if command -v rcctl >/dev/null 2>&1; then if rcctl check ${unit} >/dev/null 2>&1; then echo rcctl=ok; else echo rcctl=failed; fi; fi`;
  const process = sh`if command -v pgrep >/dev/null 2>&1; then pids=$(pgrep -x -- ${unit} 2>/dev/null); set -- $pids; echo "process=$#"; fi`;
  if (manager === 'systemd') return [systemd];
  if (manager === 'rcctl') return [rcctl];
  if (manager === 'process') return [process];
  return [systemd, rcctl, process];
}

/** What one member says: running, stopped, or nothing to tell with. */
function memberState(fields: Map<string, string[]>): { running: boolean | null; how: string } {
  const systemd = field(fields, 'systemd');
  const rcctl = field(fields, 'rcctl');
  const process = Number(field(fields, 'process') ?? 'NaN');
  if (systemd === 'active') return { running: true, how: 'active (systemd)' };
  if (rcctl === 'ok') return { running: true, how: 'running (rcctl)' };
  if (Number.isInteger(process) && process > 0) return { running: true, how: `running (${process} process${process === 1 ? '' : 'es'})` };
  const told = [
    systemd !== undefined && systemd !== 'unknown' && systemd !== '' && `${systemd} (systemd)`,
    rcctl && 'not running (rcctl)',
    Number.isInteger(process) && 'no such process',
  ].filter((t): t is string => typeof t === 'string');
  return told.length ? { running: false, how: told[0] } : { running: null, how: 'no service manager or pgrep answered' };
}

/** The service check kind. */
export const serviceKind: CheckKindModule<'service'> = {
  kind: 'service',
  defaults: (group) => group.processes.map((unit) => ({ name: groupCheckName(group, `${unit} running`), params: { unit }, intervalSeconds: 60 })),
  targets: serverOrMembers,
  script(params) {
    return checkScript(lines(probes(params.manager, word.unit(params.unit))));
  },
  evaluate(observations: readonly Observation[], ctx): Evaluation {
    const unit = ctx.check.params.unit;
    if (observations.length === 0) return { status: 'unknown', summary: 'no server to read', metrics: {} };
    const running: string[] = [];
    const stopped: string[] = [];
    const unread: string[] = [];
    let detail = '';
    for (const observation of observations) {
      const read = readObservation(observation);
      if ('problem' in read) {
        unread.push(observation.server.name);
        detail ||= read.problem;
        continue;
      }
      const state = memberState(read.fields);
      if (state.running === true) running.push(observation.server.name);
      else if (state.running === false) stopped.push(observation.server.name);
      else unread.push(observation.server.name);
      detail ||= state.how;
    }
    const metrics = { running, runningCount: running.length };
    if (observations.length === 1) {
      const name = observations[0].server.name;
      if (running.length) return { status: 'ok', summary: `${unit} is ${detail} on ${name}`, metrics };
      if (stopped.length) return { status: 'fail', summary: `${unit} is not running on ${name}: ${detail}`, metrics };
      return { status: 'unknown', summary: `${unit} on ${name}: ${detail}`, metrics };
    }
    const elsewhere = [stopped.length && `not on ${stopped.join(', ')}`, unread.length && `${unread.join(', ')} not read`].filter(Boolean).join('; ');
    if (running.length) return { status: 'ok', summary: `${unit} runs on ${running.join(', ')}${elsewhere ? ` (${elsewhere})` : ''}`, metrics };
    if (unread.length) return { status: 'unknown', summary: `${unit} runs on no member that could be read (${elsewhere}): ${detail}`, metrics };
    return { status: 'fail', summary: `${unit} runs on no member (${elsewhere})`, metrics };
  },
};
