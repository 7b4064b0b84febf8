/**
 * wait.check: poll a health probe on the step's server until it passes, with a deadline. Each
 * poll is a read, audited like every command; an indeterminate poll is simply not a pass.
 */
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { word } from '../../ssh/quote';
import { outcomeText, planned, type ActionModule } from './kit';
import { activeScript, journalRead, withJournal } from './service';

type Params = ActionParams<'wait.check'>;

/** The probe script: exit status 0 means the check passes. */
export function probeScript(os: Server['os'], check: Params['check']): string {
  switch (check.probe) {
    case 'service-active':
      return activeScript(os, check.unit);
    case 'tcp-listening':
      return os === 'openbsd'
        ? `netstat -an -f inet | awk -v p=${word.port(check.port).quoted} '$NF == "LISTEN" && $4 ~ ("\\\\." p "$") { found = 1 } END { exit !found }'`
        : `ss -Hltn | awk -v p=${word.port(check.port).quoted} '{ n = split($4, parts, ":"); if (parts[n] == p) found = 1 } END { exit !found }'`;
    case 'postgres-ready':
      return `pg_isready -q -p ${word.port(check.port).quoted}`;
    case 'vip-held':
      return os === 'openbsd'
        ? `ifconfig -A | awk -v a=${word.ip(check.address).quoted} '($1 == "inet" || $1 == "inet6") && $2 == a { found = 1 } END { exit !found }'`
        : `ip -o addr show | awk -v a=${word.ip(check.address).quoted} '{ for (i = 1; i < NF; i++) if (($i == "inet" || $i == "inet6") && index($(i + 1), a "/") == 1) found = 1 } END { exit !found }'`;
  }
}

/** The journal read that follows a failed service probe, when the host has one. */
function journalFor(
  os: Server['os'],
  check: Params['check'],
): { unit: string; purpose: string; script: string } | null {
  const read = check.probe === 'service-active' ? journalRead(os, check.unit) : null;
  return read && check.probe === 'service-active' ? { unit: check.unit, ...read } : null;
}

function label(check: Params['check']): string {
  switch (check.probe) {
    case 'service-active':
      return `${check.unit} is active`;
    case 'tcp-listening':
      return `something listens on TCP ${check.port}`;
    case 'postgres-ready':
      return `PostgreSQL accepts connections on ${check.port}`;
    case 'vip-held':
      return `${check.address} is held`;
  }
}

export const waitCheck: ActionModule<'wait.check'> = {
  kind: 'wait.check',
  describe: (params, env) =>
    `Wait until ${label(params.check)} on ${env.server.name} (every ${params.intervalSeconds} s, at most ${params.deadlineSeconds} s)`,
  commands: (params, env) => {
    const journal = journalFor(env.server.os, params.check);
    return [
      planned(env.server, `poll: ${label(params.check)}`, probeScript(env.server.os, params.check), true),
      ...(journal ? [planned(env.server, journal.purpose, journal.script, true)] : []),
    ];
  },
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const deadline = Date.now() + Math.min(params.deadlineSeconds * 1000, env.remainingMs());
    let attempts = 0;
    let last = '';
    // Bounded: the deadline, and never more polls than the deadline allows at the interval.
    const maxPolls = Math.ceil(params.deadlineSeconds / params.intervalSeconds) + 1;
    while (attempts < maxPolls) {
      attempts++;
      const timeoutMs = Math.max(1000, Math.min(10_000, deadline - Date.now()));
      const outcome = await env.exec(
        env.server,
        `poll: ${label(params.check)}`,
        probeScript(env.server.os, params.check),
        { readOnly: true, quick: true, timeoutMs, okCodes: [0] },
      );
      if (outcome.kind === 'ok')
        return {
          status: 'succeeded',
          message: `${label(params.check)} on ${env.server.name} (after ${attempts} poll(s))`,
        };
      last = outcomeText(outcome);
      if (Date.now() + params.intervalSeconds * 1000 > deadline) break;
      await env.sleep(params.intervalSeconds * 1000);
    }
    const message = `${label(params.check)} on ${env.server.name}: not within ${params.deadlineSeconds} s (${attempts} poll(s); last: ${last})`;
    const journal = journalFor(env.server.os, params.check);
    return journal ? withJournal(env, journal.unit, { status: 'failed', message }) : { status: 'failed', message };
  },
  async observe(params, env) {
    const outcome = await env.exec(
      env.server,
      `poll: ${label(params.check)}`,
      probeScript(env.server.os, params.check),
      { readOnly: true, timeoutMs: 10_000, okCodes: [0] },
    );
    return `${label(params.check)} on ${env.server.name}: ${outcome.kind === 'ok' ? 'yes' : `no (${outcomeText(outcome)})`}`;
  },
};
