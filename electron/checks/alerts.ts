/**
 * Which status changes deserve a notification, written out as a table, and the text of each alert:
 * the service, its tier and the RTO clock ("CRM (critical) down for 6 of its 30 minutes"). A host
 * that is down raises one alert (from the check whose kind reports hosts down: ssh) that stands for
 * the checks depending on it.
 * Pure: delivery is channels.ts's job.
 */
import type { Alert, AlertKind, CheckStatus } from '../../shared/checks';
import type { CheckState } from '../db/repositories/checks';
import type { ServiceRef } from './kind';
import type { PlannedCheck } from './plan';

/** What a transition calls for. */
export type AlertAction = 'none' | 'down' | 'recovered' | 'remind';

/** Where a check stands for alerting: nothing settled yet, settled ok, or settled fail with or without a down alert out. */
export type AlertRow = 'new' | 'ok' | 'fail-notified' | 'fail-unnotified';

/**
 * The transition table. Rows: where the check stood; columns: the status that counts now (after
 * retries). `warn` is noise (retrying, or degraded but serving) and `unknown` means we cannot see:
 * neither raises nor clears anything. `fail-unnotified` is a failure whose alert was covered by its
 * host's: once the host is back and the check still fails, it gets its own alert.
 */
export const TRANSITIONS: Readonly<Record<AlertRow, Readonly<Record<CheckStatus, AlertAction>>>> = {
  // where it stood     what counts now
  new: { ok: 'none', warn: 'none', fail: 'down', unknown: 'none' },
  ok: { ok: 'none', warn: 'none', fail: 'down', unknown: 'none' },
  'fail-notified': { ok: 'recovered', warn: 'none', fail: 'remind', unknown: 'none' },
  'fail-unnotified': { ok: 'none', warn: 'none', fail: 'down', unknown: 'none' },
};

/** The row of the table a check's carried state puts it in. */
export function alertRow(state: CheckState): AlertRow {
  if (state.settled === null) return 'new';
  if (state.settled === 'ok') return 'ok';
  return state.notifiedDown ? 'fail-notified' : 'fail-unnotified';
}

/** One check's counted status in a sweep, with its state before and after retries. */
export interface AlertInput {
  planned: PlannedCheck;
  status: CheckStatus;
  summary: string;
  /** State after retries were counted (failures, downSince). */
  state: CheckState;
  /** Set when the failure is an alarm about the host itself (its host key changed). */
  cause?: 'host-key-changed';
}

/** What alert decisions need besides the checks. */
export interface AlertOptions {
  now: number;
  /** Send RTO reminders at half and all of the RTO. */
  reminders: boolean;
  /** Servers settled down by a host-down check (ssh) not in this sweep, by server id. */
  hostsDownElsewhere?: ReadonlySet<number>;
  serverName(id: number): string;
}

const minutesSince = (since: number | null, now: number) =>
  since === null ? 0 : Math.max(0, Math.floor((now - since) / 60_000));

/** "CRM (critical) down for 6 of its 30 minutes", or past the RTO. */
export function rtoClock(service: ServiceRef, minutes: number): string {
  const who = `${service.name} (${service.tier})`;
  if (minutes <= service.rtoMinutes) return `${who} down for ${minutes} of its ${service.rtoMinutes} minutes`;
  return `${who} down for ${minutes} minutes, past its ${service.rtoMinutes}-minute RTO`;
}

/** The server whose down alert this check raises, when its kind is the one that says a host is down. */
function hostOf(planned: PlannedCheck): number | null {
  return planned.module.reportsHostDown ? planned.check.serverId : null;
}

function makeAlert(
  kind: AlertKind,
  input: AlertInput,
  title: string,
  body: string,
  downMinutes: number | null,
  covers: string[] = [],
): Alert {
  const service = input.planned.ctx.service;
  return {
    at: 0,
    kind,
    title,
    body,
    checkId: input.planned.check.id,
    serverId: input.planned.check.serverId,
    service: service ? { name: service.name, tier: service.tier, rtoMinutes: service.rtoMinutes } : null,
    downMinutes,
    covers,
  };
}

/**
 * Decide the alerts of one sweep and the state each check carries on. Checks that depend on a
 * host that is down raise nothing of their own: the host's alert lists them.
 */
export function decideAlerts(
  inputs: readonly AlertInput[],
  options: AlertOptions,
): { alerts: Alert[]; states: Map<number, CheckState> } {
  const { now } = options;
  const settledOf = (input: AlertInput): CheckState['settled'] =>
    input.status === 'ok' || input.status === 'fail' ? input.status : input.state.settled;
  const down = new Set(options.hostsDownElsewhere ?? []);
  for (const input of inputs) {
    const host = hostOf(input.planned);
    if (host === null) continue;
    if (settledOf(input) === 'fail') down.add(host);
    else down.delete(host);
  }
  const coveredBy = (input: AlertInput): number | undefined =>
    hostOf(input.planned) === null ? input.planned.dependsOn.find((id) => down.has(id)) : undefined;

  const alerts: Alert[] = [];
  const states = new Map<number, CheckState>();
  for (const input of inputs) {
    const { planned, status, summary } = input;
    const action = TRANSITIONS[alertRow(input.state)][status];
    const next: CheckState = { ...input.state, settled: settledOf(input) };
    const service = planned.ctx.service;
    const minutes = minutesSince(input.state.downSince, now);
    const host = hostOf(planned);
    const hostName = host === null ? '' : options.serverName(host);

    if (action === 'down') {
      if (coveredBy(input) === undefined) {
        next.notifiedDown = true;
        if (input.cause === 'host-key-changed') {
          const covers =
            host === null
              ? []
              : inputs
                  .filter((other) => other !== input && other.status !== 'ok' && other.planned.dependsOn.includes(host))
                  .map((o) => o.planned.check.name);
          const where = host === null ? '' : ` of ${hostName}`;
          const title = `The host key${where} CHANGED: Lifeboat refused to connect${service ? ` — ${rtoClock(service, minutes)}` : ''}`;
          const body = `${planned.check.name}: ${summary}${covers.length ? `\nAlso affected, no separate alerts: ${covers.join(', ')}` : ''}`;
          alerts.push(makeAlert('host-key-changed', input, title, body, minutes, covers));
        } else if (host !== null) {
          const covers = inputs
            .filter((other) => other !== input && other.status !== 'ok' && other.planned.dependsOn.includes(host))
            .map((o) => o.planned.check.name);
          const title = `${hostName} is unreachable${service ? ` — ${rtoClock(service, minutes)}` : ''}`;
          const body = `${summary}${covers.length ? `\nAlso affected, no separate alerts: ${covers.join(', ')}` : ''}`;
          alerts.push(makeAlert('host-down', input, title, body, minutes, covers));
        } else {
          const title = service ? rtoClock(service, minutes) : `${planned.check.name} is failing`;
          alerts.push(makeAlert('down', input, title, `${planned.check.name}: ${summary}`, minutes));
        }
      }
    } else if (action === 'recovered') {
      const title =
        host !== null
          ? `${hostName} is reachable again`
          : service
            ? `${service.name} (${service.tier}) recovered`
            : `${planned.check.name} recovered`;
      const clock = service ? ` after ${minutes} minutes (RTO ${service.rtoMinutes})` : ` after ${minutes} minutes`;
      alerts.push(
        makeAlert(
          host !== null ? 'host-recovered' : 'recovered',
          input,
          `${title}${clock}`,
          `${planned.check.name}: ${summary}`,
          minutes,
        ),
      );
    } else if (action === 'remind' && options.reminders && service && service.rtoMinutes > 0) {
      const due = minutes >= service.rtoMinutes ? 2 : minutes >= service.rtoMinutes / 2 ? 1 : 0;
      if (due > input.state.remindersSent) {
        next.remindersSent = due;
        const title = `Still down: ${rtoClock(service, minutes)}`;
        alerts.push(makeAlert('reminder', input, title, `${planned.check.name}: ${summary}`, minutes));
      }
    }
    if (next.settled === 'ok') Object.assign(next, { downSince: null, notifiedDown: false, remindersSent: 0 });
    states.set(planned.check.id, next);
  }
  for (const alert of alerts) alert.at = now;
  return { alerts, states };
}
