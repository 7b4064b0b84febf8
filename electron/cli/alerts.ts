/** `lifeboat alerts`: list the alerts with their timelines, and acknowledge one (recorded in the audit log). */
import { InvalidArgumentError, type Command } from 'commander';
import type { Incident } from '../../shared/alerting';
import type { CliEnv } from './env';

const when = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16);

/** One incident as lines a person reads: id, state, title, then its timeline. */
export function describeIncident(incident: Incident, withTimeline: boolean): string[] {
  const state =
    incident.status === 'acknowledged'
      ? `acknowledged by ${incident.acknowledgedBy}`
      : incident.status === 'resolved'
        ? 'resolved'
        : incident.nextEscalationAt !== null
          ? `OPEN, escalates ${when(incident.nextEscalationAt)}`
          : 'OPEN';
  const lines = [`#${incident.id}  ${when(incident.openedAt)}  ${state}  ${incident.title}`];
  if (incident.takesDown.length) lines.push(`    takes down: ${incident.takesDown.join(', ')}`);
  if (withTimeline) for (const e of incident.events) lines.push(`    ${when(e.at)}  ${e.kind.padEnd(15)} ${e.detail}`);
  return lines;
}

function parseId(value: string): number {
  if (!/^[1-9][0-9]{0,9}$/.test(value))
    throw new InvalidArgumentError('an alert id is a whole number (see lifeboat alerts list)');
  return Number(value);
}

/** Register `lifeboat alerts list` and `lifeboat alerts ack ID`. */
export function registerAlertCommands(program: Command, env: CliEnv): void {
  const alerts = program.command('alerts').description('the alerts raised, their timelines, and acknowledging one');
  alerts
    .command('list')
    .description('alerts unresolved first, newest first, each with its timeline')
    .option('--open', 'only the alerts not yet resolved')
    .option('--limit <n>', 'at most this many (default 20)', (v) => parseId(v), 20)
    .option('--json', 'print the alerts as JSON')
    .action((opts: { open?: boolean; limit: number; json?: boolean }) =>
      env.withApp(async (app) => {
        const list = await env.call(app, 'alerts.list', {
          unresolvedOnly: opts.open ?? false,
          limit: Math.min(opts.limit, 500),
        });
        if (opts.json) return env.io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return env.io.out(opts.open ? 'No alert is open.' : 'No alert has been raised.');
        for (const incident of list) env.io.out(describeIncident(incident, true).join('\n'));
      }),
    );
  alerts
    .command('ack')
    .description('acknowledge an alert: the contacts after you are not told (recorded in the audit log)')
    .argument('<id>', 'the alert id (lifeboat alerts list)', parseId)
    .option('--note <text>', 'a line for the timeline and the audit log')
    .action((id: number, opts: { note?: string }) =>
      env.withApp(async (app) => {
        const incident = await env.call(app, 'alerts.ack', { id, note: opts.note ?? '' });
        env.io.out(describeIncident(incident, false).join('\n'));
      }),
    );
}
