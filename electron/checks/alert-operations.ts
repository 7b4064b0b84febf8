/**
 * The service functions behind the alerting methods: test a channel, list and acknowledge
 * incidents, webhook channels, contact routes, the SMTP password, maintenance windows. Each change
 * is audited by the handler table's wrapper (services/change-audit.ts); secrets are never returned.
 */
import type { ServiceContext } from '../ports/context';
import type { Alert } from '../../shared/checks';
import {
  MaintenanceWindow,
  type ContactRoute,
  type WebhookChannel,
  type WebhookChannelDraft,
} from '../../shared/alerting';
import type { MethodOutput, MethodParsedInput } from '../../shared/contract';
import { LifeboatError } from '../../shared/errors';
import { listContacts } from '../db/repositories/contacts';
import { listGroups } from '../db/repositories/groups';
import {
  deleteWebhookChannel,
  getWebhookChannel,
  listContactRoutes,
  replaceContactRoutes,
  saveWebhookChannel,
} from '../db/repositories/alert-channels';
import {
  endMaintenanceWindow,
  getMaintenanceWindow,
  insertMaintenanceWindow,
  listMaintenanceWindows,
} from '../db/repositories/incidents';
import { currentActor } from '../failover/audit';
import { broadcastRecipients, deliverTo, recipientLabel, webhookTarget, type Recipient } from './channels';
import { ntfyTopicProblem } from './formats';
import { acknowledgeIncident, escalationLevels, listIncidentViews } from './incidents';
import { loadAlertConfig } from './settings';

const invalid = (path: string, message: string) =>
  new LifeboatError('invalid_input', `${path}: ${message}`, [{ path: [path], message }]);

/** Send a test alert on one channel, or on every configured one, and say what each did. */
export async function sendTestAlert(
  { db, alertSecrets, monitor }: ServiceContext,
  channel: MethodParsedInput<'alerts.test'>['channel'],
): Promise<MethodOutput<'alerts.test'>> {
  const config = loadAlertConfig(db, alertSecrets);
  let recipients: Recipient[];
  if (channel === 'all') recipients = broadcastRecipients(config);
  else if (channel === 'desktop') recipients = [{ kind: 'desktop' }];
  else if (channel === 'email') {
    const email = config.settings.email;
    if (!email) throw invalid('channel', 'no SMTP server is set up yet');
    const to = email.to.length > 0 ? email.to : [email.from];
    recipients = [{ kind: 'email', to }];
  } else {
    const webhook = config.webhooks.find((w) => w.id === channel);
    if (!webhook) throw new LifeboatError('not_found', `there is no webhook channel ${channel}`);
    recipients = [{ kind: 'webhook', channel: { ...webhook, enabled: true } }];
  }
  if (recipients.length === 0) throw invalid('channel', 'no channel is set up to receive every alert');
  const alert: Alert = {
    at: Date.now(),
    kind: 'test',
    title: 'Lifeboat test alert',
    body: 'This is a test of the alert channels. Nothing is wrong.',
    checkId: null,
    serverId: null,
    service: null,
    downMinutes: null,
    covers: [],
    takesDown: [],
    incidentId: null,
  };
  return deliverTo(recipients, alert, { ...config, notify: monitor?.notify ?? null });
}

/** Incidents with their timelines. */
export function listAlerts({ db }: ServiceContext, input: MethodParsedInput<'alerts.list'>) {
  return listIncidentViews(db, input);
}

/** Acknowledge an incident as the person at this machine. */
export function acknowledgeAlert({ db }: ServiceContext, input: MethodParsedInput<'alerts.ack'>) {
  return acknowledgeIncident(db, input.id, currentActor(), Date.now(), input.note);
}

/** Add or change a webhook channel; its URL is kept here. */
export function storeWebhook({ db }: ServiceContext, draft: WebhookChannelDraft): WebhookChannel {
  const existing = draft.id === undefined ? undefined : getWebhookChannel(db, draft.id);
  if (draft.id !== undefined && !existing)
    throw new LifeboatError('not_found', `there is no webhook channel ${draft.id}`);
  if (!existing && draft.url === undefined) throw invalid('url', 'a new channel needs its URL');
  const format = draft.format ?? 'generic';
  const url = draft.url ?? existing!.url;
  if (format === 'ntfy') {
    const problem = ntfyTopicProblem(url);
    if (problem) throw invalid('url', problem);
  }
  const id = saveWebhookChannel(db, {
    id: draft.id,
    name: draft.name,
    format,
    enabled: draft.enabled ?? true,
    everyAlert: draft.everyAlert ?? false,
    url: draft.url,
  });
  const saved = getWebhookChannel(db, id)!;
  const { url: savedUrl, ...view } = saved;
  return { ...view, target: webhookTarget(savedUrl) };
}

/** Delete a webhook channel. */
export function removeWebhook({ db }: ServiceContext, id: number) {
  if (!deleteWebhookChannel(db, id)) throw new LifeboatError('not_found', `there is no webhook channel ${id}`);
  return { id, deleted: true as const };
}

/** The routes and the escalation levels they give. */
export function readAlertRoutes({ db, alertSecrets }: ServiceContext): MethodOutput<'alerts.routes.get'> {
  const config = loadAlertConfig(db, alertSecrets);
  return {
    routes: listContactRoutes(db),
    levels: escalationLevels(db, config).map((l) => ({
      order: l.order,
      contacts: l.contacts,
      how: l.recipients.map(recipientLabel),
    })),
  };
}

/** Replace the contact routes after checking each names a contact and a channel that exist. */
export function storeAlertRoutes(ctx: ServiceContext, routes: ContactRoute[]): MethodOutput<'alerts.routes.get'> {
  const { db } = ctx;
  const contacts = new Map(listContacts(db).map((c) => [c.id, c]));
  db.transaction(() => {
    routes.forEach((route, i) => {
      const contact = contacts.get(route.contactId);
      if (!contact) throw invalid(`routes.${i}.contactId`, `there is no contact ${route.contactId}`);
      if (route.email && !contact.email)
        throw invalid(`routes.${i}.email`, `${contact.name} has no email address: add it on the Contacts screen`);
      if (route.webhookId !== null && !getWebhookChannel(db, route.webhookId))
        throw invalid(`routes.${i}.webhookId`, `there is no webhook channel ${route.webhookId}`);
    });
    if (new Set(routes.map((r) => r.contactId)).size !== routes.length)
      throw invalid('routes', 'a contact is listed twice');
    replaceContactRoutes(
      db,
      routes.filter((r) => r.email || r.webhookId !== null),
    );
  })();
  return readAlertRoutes(ctx);
}

/** Keep the SMTP password where this process keeps secrets (the OS keyring in the app). */
export async function storeSmtpPassword({ alertSecrets }: ServiceContext, password: string) {
  const refusal = alertSecrets.storeRefusal();
  if (refusal) throw new LifeboatError('unavailable', `the SMTP password was not stored: ${refusal}`);
  await alertSecrets.setSmtpPassword(password);
  return { stored: alertSecrets.hasSmtpPassword(), where: alertSecrets.where() };
}

/** Forget the SMTP password. */
export async function clearSmtpPassword({ alertSecrets }: ServiceContext) {
  const refusal = alertSecrets.storeRefusal();
  if (refusal) throw new LifeboatError('unavailable', `nothing was cleared: ${refusal}`);
  await alertSecrets.clearSmtpPassword();
  return { stored: alertSecrets.hasSmtpPassword(), where: alertSecrets.where() };
}

function checkGroup(ctx: ServiceContext, groupId: number | null): void {
  if (groupId !== null && !listGroups(ctx.db).some((g) => g.id === groupId))
    throw invalid('groupId', `there is no service group ${groupId}`);
}

/** Windows that have not ended. */
export function listMaintenance({ db }: ServiceContext) {
  return listMaintenanceWindows(db, Date.now());
}

/** Plan a window (it may not end in the past). */
export function planMaintenance(ctx: ServiceContext, draft: MethodParsedInput<'maintenance.plan'>) {
  checkGroup(ctx, draft.groupId);
  if (draft.endsAt <= Date.now()) throw invalid('endsAt', 'the window would already be over');
  return MaintenanceWindow.parse(
    insertMaintenanceWindow(ctx.db, { ...draft, kind: 'planned', createdBy: currentActor() }),
  );
}

/** Silence a group from now for so many minutes. */
export function silenceGroup(ctx: ServiceContext, draft: MethodParsedInput<'maintenance.silence'>) {
  checkGroup(ctx, draft.groupId);
  const now = Date.now();
  return insertMaintenanceWindow(ctx.db, {
    groupId: draft.groupId,
    kind: 'adhoc',
    startsAt: now,
    endsAt: now + draft.minutes * 60_000,
    reason: draft.reason,
    createdBy: currentActor(),
  });
}

/** End a window now. */
export function endMaintenance({ db }: ServiceContext, id: number) {
  if (!getMaintenanceWindow(db, id)) throw new LifeboatError('not_found', `there is no maintenance window ${id}`);
  endMaintenanceWindow(db, id, Date.now());
  return { id, ended: true as const };
}
