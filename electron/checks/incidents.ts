/**
 * Alerts that reach a person. A down alert opens an incident: the desktop, the email list and the
 * "every alert" webhooks hear at once, and so does the first level of the contact list (contacts
 * with the lowest escalation order that have an alert route). Unacknowledged after N minutes (per
 * tier; by default a fraction of the RTO), the next level is told, and so on. Acknowledging stops
 * the escalation; the recovery resolves the incident and tells everyone who was told. While its
 * group is silenced (maintenance, a drill or failover running) an incident does not escalate.
 * Every delivery, failed ones included, goes on the incident's timeline.
 */
import type { Db } from '../db/connection';
import type { Alert } from '../../shared/checks';
import { escalationDelayMinutes, type Incident, type IncidentEventKind } from '../../shared/alerting';
import { LifeboatError } from '../../shared/errors';
import { listContacts } from '../db/repositories/contacts';
import { listContactRoutes } from '../db/repositories/alert-channels';
import {
  appendIncidentEvent,
  getIncident,
  incidentEvents,
  insertIncident,
  listIncidents,
  unresolvedIncidentOfCheck,
  unresolvedIncidents,
  updateIncident,
  type IncidentRecord,
} from '../db/repositories/incidents';
import { broadcastRecipients, deliverTo, recipientLabel, type ChannelReport, type Recipient } from './channels';
import type { AlertConfig } from './settings';
import type { Silences } from './silence';

/** The contacts of one escalation order that can be reached, and how. */
export interface EscalationLevel {
  order: number;
  contacts: string[];
  recipients: Recipient[];
}

/** The escalation levels: contacts with a usable route, grouped by escalation order, lowest first. */
export function escalationLevels(db: Db, config: Pick<AlertConfig, 'webhooks'>): EscalationLevel[] {
  const routes = new Map(listContactRoutes(db).map((r) => [r.contactId, r]));
  const levels = new Map<number, EscalationLevel>();
  for (const contact of listContacts(db)) {
    const route = routes.get(contact.id);
    if (!route) continue;
    const recipients: Recipient[] = [];
    if (route.email && contact.email) recipients.push({ kind: 'email', to: [contact.email] });
    const channel = route.webhookId === null ? undefined : config.webhooks.find((w) => w.id === route.webhookId);
    if (channel) recipients.push({ kind: 'webhook', channel });
    if (recipients.length === 0) continue;
    const level = levels.get(contact.escalationOrder) ?? {
      order: contact.escalationOrder,
      contacts: [],
      recipients: [],
    };
    level.contacts.push(contact.role ? `${contact.name} (${contact.role})` : contact.name);
    level.recipients.push(...recipients);
    levels.set(contact.escalationOrder, level);
  }
  return [...levels.values()].sort((a, b) => a.order - b.order);
}

/** Recipients without repeats (the same address or channel named twice). */
function unique(recipients: readonly Recipient[]): Recipient[] {
  const seen = new Set<string>();
  return recipients.filter((r) => {
    const key = recipientLabel(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Who to tell about one alert, and under which timeline word their deliveries go. */
export interface AlertDelivery {
  alert: Alert;
  recipients: Recipient[];
  kind: IncidentEventKind;
}

const OPENS = new Set<Alert['kind']>(['down', 'host-down', 'host-key-changed']);
const RESOLVES = new Set<Alert['kind']>(['recovered', 'host-recovered']);

/**
 * Record an alert on its incident (open one, note a reminder, resolve one) and say who to tell.
 * Sets `alert.incidentId`. Call inside the sweep's transaction.
 */
export function recordAlert(db: Db, alert: Alert, context: { groupIds: number[]; config: AlertConfig }): AlertDelivery {
  const { config } = context;
  const levels = escalationLevels(db, config);
  const broadcast = broadcastRecipients(config);
  const told = (incident: IncidentRecord) =>
    unique([...broadcast, ...levels.slice(0, incident.level).flatMap((l) => l.recipients)]);
  if (OPENS.has(alert.kind)) {
    const delay = escalationDelayMinutes(
      alert.service?.tier ?? null,
      alert.service?.rtoMinutes ?? null,
      config.settings.escalationMinutes,
    );
    const id = insertIncident(db, {
      openedAt: alert.at,
      checkId: alert.checkId,
      title: alert.title,
      body: alert.body,
      service: alert.service,
      takesDown: alert.takesDown,
      groupIds: context.groupIds,
      status: 'open',
      level: levels.length > 0 ? 1 : 0,
      nextEscalationAt: levels.length > 1 ? alert.at + delay * 60_000 : null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
    });
    alert.incidentId = id;
    appendIncidentEvent(db, id, alert.at, 'raised', alert.title);
    const first = levels[0];
    const next = levels[1];
    appendIncidentEvent(
      db,
      id,
      alert.at,
      'notified',
      `${first ? `first on the contact list: ${first.contacts.join(', ')}` : 'no contact has an alert route (Settings → Alerts)'}${next ? `; ${next.contacts.join(', ')} in ${delay} minutes unless acknowledged` : ''}`,
    );
    return { alert, recipients: unique([...broadcast, ...(first?.recipients ?? [])]), kind: 'notified' };
  }
  const incident = alert.checkId === null ? undefined : unresolvedIncidentOfCheck(db, alert.checkId);
  if (!incident) return { alert, recipients: broadcast, kind: 'notified' };
  alert.incidentId = incident.id;
  if (RESOLVES.has(alert.kind)) {
    updateIncident(db, incident.id, { status: 'resolved', resolvedAt: alert.at, nextEscalationAt: null });
    appendIncidentEvent(db, incident.id, alert.at, 'resolved', alert.title);
    return { alert, recipients: told(incident), kind: 'resolved' };
  }
  appendIncidentEvent(db, incident.id, alert.at, 'reminded', alert.title);
  return { alert, recipients: told(incident), kind: 'reminded' };
}

/** Put what each channel did on the incident's timeline: the word given, or `delivery-failed`. */
export function recordReports(
  db: Db,
  incidentId: number | null,
  at: number,
  kind: IncidentEventKind,
  reports: readonly ChannelReport[],
): void {
  if (incidentId === null || !db.open || !getIncident(db, incidentId)) return;
  db.transaction(() => {
    for (const r of reports)
      appendIncidentEvent(db, incidentId, at, r.ok ? kind : 'delivery-failed', `${r.channel}: ${r.detail}`);
  })();
}

/** What an escalation needs besides the database. */
export interface EscalationDeps {
  config: AlertConfig;
  silences: Silences;
  notify?: ((title: string, body: string) => void) | null;
  log?: (message: string) => void;
}

/**
 * Tell the next level of every open, unacknowledged incident whose time has come. A silenced one
 * waits. Returns the incidents escalated.
 */
export async function escalateDue(db: Db, now: number, deps: EscalationDeps): Promise<number[]> {
  const { config } = deps;
  const due = unresolvedIncidents(db).filter(
    (i) => i.status === 'open' && i.nextEscalationAt !== null && i.nextEscalationAt <= now,
  );
  const escalated: number[] = [];
  for (const incident of due) {
    if (deps.silences.reasonFor(incident.groupIds) !== null) continue;
    const levels = escalationLevels(db, config);
    const level = levels[incident.level];
    const delay = escalationDelayMinutes(
      incident.service?.tier ?? null,
      incident.service?.rtoMinutes ?? null,
      config.settings.escalationMinutes,
    );
    if (!level) {
      updateIncident(db, incident.id, { nextEscalationAt: null });
      continue;
    }
    const waited = Math.round((now - incident.openedAt) / 60_000);
    db.transaction(() => {
      updateIncident(db, incident.id, {
        level: incident.level + 1,
        nextEscalationAt: levels[incident.level + 1] ? now + delay * 60_000 : null,
      });
      appendIncidentEvent(
        db,
        incident.id,
        now,
        'escalated',
        `not acknowledged after ${waited} minutes: telling ${level.contacts.join(', ')}`,
      );
    })();
    const alert: Alert = {
      at: now,
      kind: 'escalation',
      title: `Not acknowledged for ${waited} minutes: ${incident.title}`,
      body: `${incident.body}\nEarlier told: ${levels
        .slice(0, incident.level)
        .flatMap((l) => l.contacts)
        .join(', ')}`,
      checkId: incident.checkId,
      serverId: null,
      service: incident.service,
      downMinutes: null,
      covers: [],
      takesDown: incident.takesDown,
      incidentId: incident.id,
    };
    const reports = await deliverTo(level.recipients, alert, { ...config, notify: deps.notify, log: deps.log });
    recordReports(db, incident.id, now, 'escalated', reports);
    escalated.push(incident.id);
  }
  return escalated;
}

/** Acknowledge an open incident: its escalation stops. */
export function acknowledgeIncident(db: Db, id: number, actor: string, now: number, note = ''): Incident {
  return db.transaction(() => {
    const incident = getIncident(db, id);
    if (!incident) throw new LifeboatError('not_found', `there is no alert ${id}`);
    if (incident.status === 'resolved')
      throw new LifeboatError(
        'conflict',
        `alert ${id} is already resolved (${new Date(incident.resolvedAt!).toISOString()})`,
      );
    if (incident.status === 'acknowledged')
      throw new LifeboatError(
        'conflict',
        `alert ${id} was already acknowledged by ${incident.acknowledgedBy} at ${new Date(incident.acknowledgedAt!).toISOString()}`,
      );
    updateIncident(db, id, {
      status: 'acknowledged',
      acknowledgedAt: now,
      acknowledgedBy: actor,
      nextEscalationAt: null,
    });
    appendIncidentEvent(db, id, now, 'acknowledged', `by ${actor}${note ? `: ${note}` : ''}`);
    return withEvents(db, [getIncident(db, id)!])[0];
  })();
}

/** Incidents with their timelines. */
export function withEvents(db: Db, records: readonly IncidentRecord[]): Incident[] {
  const events = incidentEvents(
    db,
    records.map((r) => r.id),
  );
  return records.map(({ groupIds: _groups, ...r }) => ({ ...r, events: events.get(r.id) ?? [] }));
}

/** The incidents, unresolved first, newest first. */
export function listIncidentViews(db: Db, filter: { unresolvedOnly: boolean; limit: number }): Incident[] {
  return withEvents(db, listIncidents(db, filter));
}
