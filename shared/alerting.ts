/**
 * Alerts that reach a person, as data: webhook channels and their message formats, how each
 * contact is reached, escalation delays per tier, maintenance windows, and incidents (an alert that
 * stays open until it is acknowledged or resolved) with their timelines. Pure: delivery lives in
 * electron/checks/.
 */
import { z } from 'zod';
import { Id, Name, TIERS, Tier } from './domain';
import { HttpUrl } from './http-url';

/** How a webhook's message is shaped: Lifeboat's own JSON, a Slack incoming webhook, a Teams workflow, an ntfy topic. */
export const WEBHOOK_FORMATS = ['generic', 'slack', 'teams', 'ntfy'] as const;
export const WebhookFormat = z.enum(WEBHOOK_FORMATS);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

/** One line per format, for the settings screen. */
export const WEBHOOK_FORMAT_LABEL: Record<WebhookFormat, string> = {
  generic: 'Generic JSON',
  slack: 'Slack (incoming webhook)',
  teams: 'Microsoft Teams (Adaptive Card)',
  ntfy: 'ntfy (topic URL)',
};

/** A webhook channel as shown: its URL stays in the main process (it often carries a token); `target` is its origin. */
export const WebhookChannel = z.object({
  id: Id,
  name: Name,
  format: WebhookFormat,
  enabled: z.boolean(),
  /** Every alert goes here at once (a team's room), besides the contacts it is a route for. */
  everyAlert: z.boolean(),
  target: z.string(),
});
export type WebhookChannel = z.infer<typeof WebhookChannel>;

/** Saving a webhook channel: a new one needs its URL; an existing one keeps its URL unless a new one is given. */
export const WebhookChannelDraft = z
  .object({
    id: Id.optional(),
    name: Name,
    format: WebhookFormat.default('generic'),
    enabled: z.boolean().default(true),
    everyAlert: z.boolean().default(false),
    url: HttpUrl.optional(),
  })
  .strict();
export type WebhookChannelDraft = z.input<typeof WebhookChannelDraft>;

/** How one contact is reached by escalation: by email (their address, through the SMTP settings) and/or a webhook channel. */
export const ContactRoute = z
  .object({
    contactId: Id,
    email: z.boolean().default(false),
    webhookId: Id.nullable().default(null),
  })
  .strict();
export type ContactRoute = z.infer<typeof ContactRoute>;

/** Minutes an alert waits unacknowledged before the next contact is told, per tier; null: a fraction of the RTO. */
export const EscalationMinutes = z
  .object(
    Object.fromEntries(
      TIERS.map((tier) => [
        tier,
        z
          .int('whole minutes')
          .min(1, 'one minute at least')
          .max(10_080, 'a week (10080 minutes) at most')
          .nullable()
          .default(null),
      ]),
    ) as Record<(typeof TIERS)[number], z.ZodDefault<z.ZodNullable<z.ZodInt>>>,
  )
  .strict();
export type EscalationMinutes = z.infer<typeof EscalationMinutes>;

/** The default share of the RTO an alert waits before escalating: critical services escalate soonest. */
export const ESCALATION_RTO_FRACTION: Record<Tier, number> = { critical: 0.2, important: 0.25, routine: 0.5 };

/** Minutes before the next contact is told about an alert of this tier and RTO. */
export function escalationDelayMinutes(
  tier: Tier | null,
  rtoMinutes: number | null,
  configured: Partial<EscalationMinutes>,
): number {
  const level = tier ?? 'routine';
  const set = configured[level];
  if (typeof set === 'number') return set;
  const rto = rtoMinutes !== null && rtoMinutes > 0 ? rtoMinutes : 60;
  return Math.max(1, Math.round(rto * ESCALATION_RTO_FRACTION[level]));
}

/** Why a window silences: planned by a person, an ad hoc "silence for 2 h". */
export const MAINTENANCE_KINDS = ['planned', 'adhoc'] as const;

/** A maintenance window: alerts of its group (or of every group) are silenced, and its time does not count against the RTO. */
export const MaintenanceWindow = z.object({
  id: Id,
  /** null: every group. */
  groupId: Id.nullable(),
  kind: z.enum(MAINTENANCE_KINDS),
  startsAt: z.int(),
  endsAt: z.int(),
  reason: z.string(),
  createdBy: z.string(),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

const Reason = z
  .string()
  .trim()
  .min(1, 'say why (it goes into the audit log)')
  .max(300, '300 characters at most')
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'one line, no control characters');

/** A planned window: start and end, at most 30 days long. */
export const MaintenanceDraft = z
  .object({
    groupId: Id.nullable().default(null),
    startsAt: z.int('a time in milliseconds'),
    endsAt: z.int('a time in milliseconds'),
    reason: Reason,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.endsAt <= value.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'the end must come after the start' });
    else if (value.endsAt - value.startsAt > 30 * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'a window is 30 days long at most' });
  });
export type MaintenanceDraft = z.input<typeof MaintenanceDraft>;

/** An ad hoc silence: from now, for so many minutes. */
export const SilenceDraft = z
  .object({
    groupId: Id.nullable().default(null),
    minutes: z
      .int('whole minutes')
      .min(1, 'one minute at least')
      .max(7 * 1440, 'a week at most'),
    reason: Reason,
  })
  .strict();
export type SilenceDraft = z.input<typeof SilenceDraft>;

/** Where an incident stands. */
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** What happened to an incident, in order. `delivery-failed` is a channel that did not take a message. */
export const INCIDENT_EVENT_KINDS = [
  'raised',
  'notified',
  'escalated',
  'reminded',
  'delivery-failed',
  'silenced',
  'acknowledged',
  'resolved',
] as const;
export const IncidentEventKind = z.enum(INCIDENT_EVENT_KINDS);
export type IncidentEventKind = z.infer<typeof IncidentEventKind>;

/** One line of an incident's timeline. */
export const IncidentEvent = z.object({ at: z.int(), kind: IncidentEventKind, detail: z.string() });
export type IncidentEvent = z.infer<typeof IncidentEvent>;

/** An alert that stays open until acknowledged or resolved, with its timeline. */
export const Incident = z.object({
  id: Id,
  openedAt: z.int(),
  checkId: Id.nullable(),
  title: z.string(),
  body: z.string(),
  service: z.object({ name: z.string(), tier: Tier, rtoMinutes: z.number() }).nullable(),
  /** The services it takes down with it (their own alerts are suppressed). */
  takesDown: z.array(z.string()),
  status: IncidentStatus,
  /** How many escalation levels have been told (0: none yet). */
  level: z.int(),
  nextEscalationAt: z.int().nullable(),
  acknowledgedAt: z.int().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.int().nullable(),
  events: z.array(IncidentEvent),
});
export type Incident = z.infer<typeof Incident>;
