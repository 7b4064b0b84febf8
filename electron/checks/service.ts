/**
 * service: the unit's state as the service manager reports it — systemd (`systemctl is-active`),
 * or OpenBSD's `rcctl check` — and, only when the check asks for it, a process of that name
 * (`pgrep -x`: a unit and its process are often named differently, postgresql@15-main runs
 * `postgres`). A host without the manager, or whose systemd is not running, is unknown: never
 * ok and never fail without an answer. On a group, it reads every member and is ok when at least
 * one runs it.
 */
import { sh, type Script, type ShellWord, word } from '../ssh/quote';
import type { CheckParamsOf } from '../../shared/checks';
import {
  field,
  groupCheckName,
  readObservation,
  serverOrMembers,
  type CheckKindModule,
  type Evaluation,
  type Observation,
} from './kind';
import { checkScript } from './script';

type Manager = CheckParamsOf<'service'>['manager'];

function probe(manager: Manager, unit: ShellWord): Script {
  // is-system-running says `offline` where systemctl is installed but systemd is not PID 1.
  const systemd = sh`state=$(systemctl is-system-running 2>/dev/null); echo "manager=\${state:-none}"
  s=$(systemctl is-active -- ${unit} 2>/dev/null); echo "systemd=\${s:-none}"
  l=$(systemctl show -p LoadState --value -- ${unit} 2>/dev/null); echo "load=\${l:-none}"`;
  const rcctl = sh`rcctl check ${unit} >/dev/null 2>&1; echo "rcctl=$?"`;
  const process = sh`pids=$(pgrep -x -- ${unit} 2>/dev/null); set -- $pids; echo "process=$#"`;
  const when = (tool: string, body: Script) => sh`if command -v ${word.unit(tool)} >/dev/null 2>&1; then
  ${body}
else echo missing=${word.unit(tool)}; fi`;
  if (manager === 'systemd') return when('systemctl', systemd);
  if (manager === 'rcctl') return when('rcctl', rcctl);
  if (manager === 'process') return when('pgrep', process);
  return sh`if command -v systemctl >/dev/null 2>&1; then
  ${systemd}
elif command -v rcctl >/dev/null 2>&1; then
  ${rcctl}
else echo missing=systemctl-and-rcctl; fi`;
}

/** What one member says: running, between states, stopped, or nothing to tell with. */
type MemberState = { state: 'running' | 'changing' | 'stopped' | 'unknown'; how: string };

function memberState(fields: Map<string, string[]>): MemberState {
  const missing = field(fields, 'missing');
  if (missing !== undefined) {
    return {
      state: 'unknown',
      how:
        missing === 'systemctl-and-rcctl' ? 'neither systemctl nor rcctl is installed' : `${missing} is not installed`,
    };
  }
  const systemd = field(fields, 'systemd');
  if (systemd !== undefined) {
    if (field(fields, 'manager') === 'offline')
      return { state: 'unknown', how: 'systemd is not running there (systemctl answers "offline")' };
    if (field(fields, 'load') === 'not-found') return { state: 'stopped', how: 'no such unit (systemd)' };
    if (systemd === 'active' || systemd === 'reloading') return { state: 'running', how: `${systemd} (systemd)` };
    if (systemd === 'activating' || systemd === 'deactivating')
      return { state: 'changing', how: `${systemd} (systemd)` };
    if (systemd === 'inactive' || systemd === 'failed') return { state: 'stopped', how: `${systemd} (systemd)` };
    return { state: 'unknown', how: `systemctl gave no state (${systemd || 'nothing'})` };
  }
  const rcctl = field(fields, 'rcctl');
  if (rcctl === '0') return { state: 'running', how: 'running (rcctl)' };
  if (rcctl === '1') return { state: 'stopped', how: 'not running (rcctl)' };
  if (rcctl === '2') return { state: 'stopped', how: 'no such rc.d script (rcctl)' };
  if (rcctl !== undefined) return { state: 'unknown', how: `rcctl check exited ${rcctl.slice(0, 8)}` };
  const count = Number(field(fields, 'process') ?? 'NaN');
  if (Number.isInteger(count) && count > 0)
    return { state: 'running', how: `running (${count} process${count === 1 ? '' : 'es'})` };
  if (count === 0) return { state: 'stopped', how: 'no such process' };
  return { state: 'unknown', how: 'no service manager answered' };
}

/** The service check kind. */
export const serviceKind: CheckKindModule<'service'> = {
  kind: 'service',
  defaults: (group) =>
    group.processes.map((unit) => ({
      name: groupCheckName(group, `${unit} running`),
      params: { unit },
      intervalSeconds: 60,
    })),
  targets: serverOrMembers,
  script(params) {
    return checkScript(probe(params.manager, word.unit(params.unit)));
  },
  evaluate(observations: readonly Observation[], ctx): Evaluation {
    const unit = ctx.check.params.unit;
    if (observations.length === 0) return { status: 'unknown', summary: 'no server to read', metrics: {} };
    const by: Record<MemberState['state'], string[]> = { running: [], changing: [], stopped: [], unknown: [] };
    let detail = '';
    for (const observation of observations) {
      const read = readObservation(observation);
      const state: MemberState = 'problem' in read ? { state: 'unknown', how: read.problem } : memberState(read.fields);
      by[state.state].push(observation.server.name);
      detail ||= state.how;
    }
    const metrics = { running: by.running, runningCount: by.running.length };
    if (observations.length === 1) {
      const name = observations[0].server.name;
      if (by.running.length) return { status: 'ok', summary: `${unit} is ${detail} on ${name}`, metrics };
      if (by.changing.length) return { status: 'warn', summary: `${unit} is ${detail} on ${name}`, metrics };
      if (by.stopped.length)
        return { status: 'fail', summary: `${unit} is not running on ${name}: ${detail}`, metrics };
      return { status: 'unknown', summary: `${unit} on ${name}: ${detail}`, metrics };
    }
    const elsewhere = [
      by.changing.length && `changing on ${by.changing.join(', ')}`,
      by.stopped.length && `not on ${by.stopped.join(', ')}`,
      by.unknown.length && `${by.unknown.join(', ')} not read`,
    ]
      .filter(Boolean)
      .join('; ');
    if (by.running.length)
      return {
        status: 'ok',
        summary: `${unit} runs on ${by.running.join(', ')}${elsewhere ? ` (${elsewhere})` : ''}`,
        metrics,
      };
    if (by.changing.length) return { status: 'warn', summary: `${unit} runs on no member yet (${elsewhere})`, metrics };
    if (by.unknown.length)
      return {
        status: 'unknown',
        summary: `${unit} runs on no member that could be read (${elsewhere}): ${detail}`,
        metrics,
      };
    return { status: 'fail', summary: `${unit} runs on no member (${elsewhere})`, metrics };
  },
};
