/**
 * Health checks as data: the check and draft unions (derived from the list of kinds in
 * check-kinds.ts), the statuses, results and alert settings. Pure: the scripts are built in
 * electron/checks/ from these validated values.
 */
import { z } from 'zod';
import { HostName, Id, Name, Port, Tier } from './domain';
import { CHECK_KIND_SPECS, CHECK_KINDS, type CheckScope } from './check-kinds';
import { EscalationMinutes, WebhookChannel } from './alerting';

/** Every kind of health check, from the one list in check-kinds.ts. */
export { CHECK_KINDS, CHECK_KIND_SPECS, type CheckScope, type ParamField } from './check-kinds';
export { parseHttpUrl, type HttpTarget } from './http-url';
export const CheckKind = z.enum(CHECK_KINDS);
export type CheckKind = z.infer<typeof CheckKind>;

/** ok: healthy; warn: degraded or retrying; fail: down (counted after the retries); unknown: could not observe. */
export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'unknown'] as const;
export const CheckStatus = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** Worst first, for summaries: one failing check makes a group fail. */
export const STATUS_SEVERITY: Record<CheckStatus, number> = { fail: 3, unknown: 2, warn: 1, ok: 0 };

/** The worst of several statuses; `ok` for none. */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (STATUS_SEVERITY[s] > STATUS_SEVERITY[worst] ? s : worst), 'ok');
}

const fromSpecs = <T>(pick: (spec: (typeof CHECK_KIND_SPECS)[CheckKind]) => T) =>
  Object.fromEntries(CHECK_KINDS.map((kind) => [kind, pick(CHECK_KIND_SPECS[kind])])) as Record<CheckKind, T>;

/** Which scope each kind takes. */
export const CHECK_SCOPE: Record<CheckKind, CheckScope> = fromSpecs((spec) => spec.scope);
/** One line per kind for the editor and the CLI. */
export const CHECK_KIND_LABEL: Record<CheckKind, string> = fromSpecs((spec) => spec.label);
/** Parameters of each kind. */
export const CheckParams = fromSpecs((spec) => spec.params) as {
  [K in CheckKind]: (typeof CHECK_KIND_SPECS)[K]['params'];
};

/** The parsed parameters of one kind. */
export type CheckParamsOf<K extends CheckKind> = z.output<(typeof CheckParams)[K]>;

const Interval = z.int('whole seconds').min(10, '10 seconds at least').max(86_400, 'a day at most');
const base = {
  id: Id,
  name: Name,
  /** The group whose members a group check reads, or the group a server check belongs to. */
  groupId: Id.nullable().default(null),
  /** The server a server check runs on (for tcp/http: the server the probe runs from). */
  serverId: Id.nullable().default(null),
  /** The service an alert names; null: the most important service of the group or server. */
  serviceId: Id.nullable().default(null),
  intervalSeconds: Interval.default(60),
  timeoutSeconds: z.int().min(1).max(120).default(10),
  /** Consecutive failures shown as `warn` before the failure counts. */
  retries: z.int().min(0).max(10).default(2),
  enabled: z.boolean().default(true),
};

function variant<K extends CheckKind>(kind: K) {
  return z.object({ ...base, kind: z.literal(kind), params: CheckParams[kind] });
}
function draft<K extends CheckKind>(kind: K) {
  return variant(kind).extend({ id: Id.optional() }).strict();
}
type Variant = { [K in CheckKind]: ReturnType<typeof variant<K>> }[CheckKind];
type Draft = { [K in CheckKind]: ReturnType<typeof draft<K>> }[CheckKind];

/** A stored check definition: one variant per kind of the list. */
export const Check = z.discriminatedUnion('kind', CHECK_KINDS.map(variant) as [Variant, ...Variant[]]);
export type Check = z.infer<typeof Check>;
/** The check of one kind. */
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** Input for saving a check: id absent for a new one. */
export const CheckDraft = z.discriminatedUnion('kind', CHECK_KINDS.map(draft) as [Draft, ...Draft[]]);
export type CheckDraft = z.input<typeof CheckDraft>;

/** Numbers, labels and lists a result carries; numbers are charted. */
export const MetricValue = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.string())]);
/** The metrics of one result, by name. */
export const Metrics = z.record(z.string(), MetricValue);
export type Metrics = z.infer<typeof Metrics>;

/** One run of one check, as stored and as the `checks.result` event carries it. */
export const CheckResult = z.object({
  checkId: Id,
  /** Milliseconds since the epoch. */
  at: z.int(),
  /** After retries: what counts. */
  status: CheckStatus,
  /** What this one observation saw. */
  observed: CheckStatus,
  summary: z.string(),
  metrics: Metrics,
  durationMs: z.int().nonnegative(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A check with its latest result, as lists show it. */
export const CheckView = z.object({ check: Check, latest: CheckResult.nullable() });
export type CheckView = z.infer<typeof CheckView>;

/** What an alert reports. */
export const ALERT_KINDS = [
  'down',
  'recovered',
  'reminder',
  'host-down',
  'host-key-changed',
  'host-recovered',
  'escalation',
  'test',
] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

/** An alert as raised (the `alerts.raised` event) and logged. */
export const Alert = z.object({
  at: z.int(),
  kind: AlertKind,
  title: z.string(),
  body: z.string(),
  checkId: Id.nullable(),
  serverId: Id.nullable(),
  service: z.object({ name: z.string(), tier: Tier, rtoMinutes: z.number() }).nullable(),
  /** Minutes since the outage began, when there is one. */
  downMinutes: z.number().nullable(),
  /** Checks whose own alert this one stands for (a host down covers the checks on it). */
  covers: z.array(z.string()),
  /** Services that depend on this one and are down with it: their own alerts are suppressed. */
  takesDown: z.array(z.string()).default([]),
  /** The incident this alert opened, reminds of or resolves. */
  incidentId: Id.nullable().default(null),
});
export type Alert = z.infer<typeof Alert>;

const EmailAddress = z.email('not an email address').max(254);
/** How the SMTP connection is protected. */
export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;

/**
 * Email alerts through an SMTP server. With a user name the client authenticates (AUTH), with the
 * password kept apart: the OS keyring in the app, a file or environment variable for `serve`.
 */
export const EmailChannel = z
  .object({
    enabled: z.boolean().default(true),
    host: HostName,
    port: Port.default(25),
    /** none: plain SMTP to a trusted relay; starttls: upgrade required; tls: implicit TLS (465). */
    security: z.enum(SMTP_SECURITY).default('starttls'),
    /** Empty: no AUTH (a relay that trusts this machine). */
    username: z
      .string()
      .max(254)
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'no control characters')
      .default(''),
    from: EmailAddress,
    /** Told about every alert; contacts are told through escalation. */
    to: z.array(EmailAddress).max(20).default([]),
  })
  .strict();
export type EmailChannel = z.infer<typeof EmailChannel>;

/** Where alerts go, as shown to the user. */
export const AlertSettings = z
  .object({
    desktop: z.boolean().default(true),
    email: EmailChannel.nullable().default(null),
    /** Whether a password for the SMTP user is available, and from where (never the password). */
    smtpPassword: z.object({ stored: z.boolean(), where: z.string() }).default({ stored: false, where: '' }),
    /** Webhook channels; their URLs stay in the main process. */
    webhooks: z.array(WebhookChannel).default([]),
    /** Repeat a down alert at half and at all of the RTO. */
    reminders: z.boolean().default(true),
    escalationMinutes: EscalationMinutes.default({ critical: null, important: null, routine: null }),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettings>;

/** Saving alert settings (webhook channels and the SMTP password have methods of their own). */
export const AlertSettingsDraft = z
  .object({
    desktop: z.boolean().default(true),
    email: EmailChannel.nullable().default(null),
    reminders: z.boolean().default(true),
    escalationMinutes: EscalationMinutes.default({ critical: null, important: null, routine: null }),
  })
  .strict();
export type AlertSettingsDraft = z.input<typeof AlertSettingsDraft>;

/** Whether background monitoring is on, and its last sweep. */
export const MonitoringStatus = z.object({
  enabled: z.boolean(),
  /** A scheduler is attached to this workspace (the window or `lifeboat serve`, not the CLI). */
  running: z.boolean(),
  lastSweep: z.object({ at: z.int(), durationMs: z.int(), checks: z.int(), hosts: z.int() }).nullable(),
});
export type MonitoringStatus = z.infer<typeof MonitoringStatus>;
