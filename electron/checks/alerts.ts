/**
 * Which status changes deserve a notification, written out as a table, and the text of each alert:
 * the service, its tier and the RTO clock ("CRM (critical) down for 6 of its 30 minutes"). A host
 * that is down raises one alert (from the check whose kind reports hosts down: ssh) that stands for
 * the checks depending on it; a service that is down raises one alert that lists the services it
 * takes down, whose own alerts are held back. A silenced group (maintenance, a drill or failover
 * running) raises nothing, and maintenance time does not count against the RTO clock.
 * Pure: delivery is channels.ts's job.
 */
import type { Alert, AlertKind, CheckStatus } from '../../shared/checks';
import type { Service } from '../../shared/domain';
import type { CheckState } from '../db/repositories/checks';
import type { ServiceRef } from './kind';
import type { PlannedCheck } from './plan';
import { NO_SILENCES, type Silences } from './silence';

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
  /** The services and what each depends on, for root-cause suppression. */
  services?: readonly Pick<Service, 'id' | 'name' | 'tier' | 'dependsOn'>[];
  /** Services settled down by checks not in this sweep, by id. */
  servicesDownElsewhere?: ReadonlySet<number>;
  /** The groups a check belongs to (for silences); none by default. */
  groupsOf?(planned: PlannedCheck): number[];
  silences?: Silences;
}

/** The services depending on `id`, directly or not (breadth first, by id). */
export function dependentsOf(
  services: readonly Pick<Service, 'id' | 'dependsOn'>[],
  id: number,
  reverse = false,
): number[] {
  const next = (from: number) =>
    reverse
      ? (services.find((s) => s.id === from)?.dependsOn ?? [])
      : services.filter((s) => s.dependsOn.includes(from)).map((s) => s.id);
  const seen = new Set<number>([id]);
  const queue = [id];
  while (queue.length > 0) {
    for (const n of next(queue.shift()!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  seen.delete(id);
  return [...seen];
}

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
    takesDown: [],
    incidentId: null,
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
  // A service counts as down while any of its checks is failing, retries included, so a dependant
  // whose retries run out first still waits for the root cause's alert.
  const services = options.services ?? [];
  const servicesDown = new Set(options.servicesDownElsewhere ?? []);
  for (const input of inputs) {
    const service = input.planned.ctx.service;
    if (service && (settledOf(input) === 'fail' || input.state.failures > 0)) servicesDown.add(service.id);
  }
  const rootCauseOf = (input: AlertInput): number | undefined => {
    const service = input.planned.ctx.service;
    return service ? dependentsOf(services, service.id, true).find((id) => servicesDown.has(id)) : undefined;
  };
  const takesDown = (input: AlertInput): string[] => {
    const service = input.planned.ctx.service;
    if (!service) return [];
    return dependentsOf(services, service.id)
      .map((id) => services.find((s) => s.id === id)!)
      .map((s) => `${s.name} (${s.tier})`);
  };
  const silences = options.silences ?? NO_SILENCES;
  const groupsOf = options.groupsOf ?? (() => []);

  const alerts: Alert[] = [];
  const states = new Map<number, CheckState>();
  for (const input of inputs) {
    const { planned, status, summary } = input;
    const action = TRANSITIONS[alertRow(input.state)][status];
    const next: CheckState = { ...input.state, settled: settledOf(input) };
    const service = planned.ctx.service;
    const since = input.state.downSince;
    const paused = since === null ? 0 : silences.pausedMs(groupsOf(planned), since, now);
    const minutes = since === null ? 0 : Math.max(0, Math.floor((now - since - paused) / 60_000));
    const silenced = action === 'down' || action === 'remind' ? silences.reasonFor(groupsOf(planned)) : null;
    const host = hostOf(planned);
    const hostName = host === null ? '' : options.serverName(host);

    if (action === 'down') {
      // Covered by its host's alert, by its root cause's, or silenced: no alert, and it stays
      // unnotified, so it gets its own alert if it still fails once that has passed.
      if (coveredBy(input) === undefined && rootCauseOf(input) === undefined && silenced === null) {
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
    } else if (action === 'remind' && silenced === null && options.reminders && service && service.rtoMinutes > 0) {
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
  // Root causes name what they take down; the dependants' own alerts were held back above.
  for (const alert of alerts) {
    if (alert.kind === 'recovered' || alert.kind === 'host-recovered') continue;
    const input = inputs.find((i) => i.planned.check.id === alert.checkId);
    const stopped = input ? takesDown(input) : [];
    if (stopped.length === 0) continue;
    alert.takesDown = stopped;
    alert.body += `\nTakes down (they depend on it; no separate alerts): ${stopped.join(', ')}`;
  }
  return { alerts, states };
}
