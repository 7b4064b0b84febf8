/** Contract entries for alerts that reach a person: incidents and acknowledgement, channels, routes, maintenance. */
import { z } from 'zod';
import { method, ById, Deleted, Empty } from './define';
import { Id } from '../domain';
import {
  ContactRoute,
  Incident,
  MaintenanceDraft,
  MaintenanceWindow,
  SilenceDraft,
  WebhookChannel,
  WebhookChannelDraft,
} from '../alerting';

/** What one channel did with a test or an alert. */
export const ChannelReport = z.object({ channel: z.string(), ok: z.boolean(), detail: z.string() });
export type ChannelReport = z.infer<typeof ChannelReport>;

/** The escalation levels as they stand: who is told at each, and how. */
export const EscalationView = z.object({
  routes: z.array(ContactRoute),
  levels: z.array(z.object({ order: z.int(), contacts: z.array(z.string()), how: z.array(z.string()) })),
});
export type EscalationView = z.infer<typeof EscalationView>;

const SmtpPassword = z
  .string()
  .min(1, 'enter the password')
  .max(1000, '1000 characters at most')
  .refine((v) => !/[\r\n\u0000]/.test(v), 'one line, no NUL');

/** The alerting methods. */
export const alertMethods = {
  'alerts.test': method({
    input: z.object({ channel: z.union([z.enum(['all', 'desktop', 'email']), Id]).default('all') }).strict(),
    output: z.array(ChannelReport),
    summary: 'Send a test alert on one channel (desktop, email, a webhook by id) or every configured one',
    mutates: false,
  }),
  'alerts.list': method({
    input: z
      .object({ unresolvedOnly: z.boolean().default(false), limit: z.int().min(1).max(500).default(50) })
      .strict(),
    output: z.array(Incident),
    summary: 'Alerts with their timelines (raised, escalated, acknowledged, resolved), unresolved first',
    mutates: false,
  }),
  'alerts.ack': method({
    input: z
      .object({
        id: Id,
        note: z
          .string()
          .max(300)
          .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'one line')
          .default(''),
      })
      .strict(),
    output: Incident,
    summary: 'Acknowledge an alert: its escalation stops (recorded in the audit log)',
    mutates: true,
  }),
  'alerts.webhooks.save': method({
    input: WebhookChannelDraft,
    output: WebhookChannel,
    summary: 'Add or change a webhook channel (generic, Slack, Teams, ntfy); its URL is never sent back',
    mutates: true,
  }),
  'alerts.webhooks.delete': method({
    input: ById,
    output: Deleted,
    summary: 'Delete a webhook channel',
    mutates: true,
  }),
  'alerts.routes.get': method({
    input: Empty,
    output: EscalationView,
    summary: 'How each contact is reached by escalation, and the levels that gives',
    mutates: false,
  }),
  'alerts.routes.save': method({
    input: z.object({ routes: z.array(ContactRoute).max(500) }).strict(),
    output: EscalationView,
    summary: 'Set how each contact is reached by escalation (email, a webhook channel)',
    mutates: true,
  }),
  'alerts.smtpPassword.set': method({
    input: z.object({ password: SmtpPassword }).strict(),
    output: z.object({ stored: z.boolean(), where: z.string() }),
    summary: "Keep the SMTP user's password in the OS keyring (the desktop app; refused where there is none)",
    mutates: true,
  }),
  'alerts.smtpPassword.clear': method({
    input: Empty,
    output: z.object({ stored: z.boolean(), where: z.string() }),
    summary: "Forget the SMTP user's password",
    mutates: true,
  }),
  'maintenance.list': method({
    input: Empty,
    output: z.array(MaintenanceWindow),
    summary: 'Maintenance windows that have not ended',
    mutates: false,
  }),
  'maintenance.plan': method({
    input: MaintenanceDraft,
    output: MaintenanceWindow,
    summary: "Plan a maintenance window: its group's alerts are silenced and its time does not count against the RTO",
    mutates: true,
  }),
  'maintenance.silence': method({
    input: SilenceDraft,
    output: MaintenanceWindow,
    summary: 'Silence a group (or every group) from now for so many minutes',
    mutates: true,
  }),
  'maintenance.end': method({
    input: ById,
    output: z.object({ id: Id, ended: z.literal(true) }),
    summary: 'End a maintenance window now (one not begun yet is removed)',
    mutates: true,
  }),
} as const;

/** An incident's timeline changed outside a method (an escalation, a delivery report). */
export const alertEvents = {
  'alerts.updated': z.object({ incidentId: Id }),
} as const;
