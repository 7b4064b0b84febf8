/**
 * Health checks as data: the kinds, the parameters of each (zod schemas), the statuses, results
 * and alert settings. Pure: the scripts are built in electron/checks/ from these validated values.
 */
import { z } from 'zod';
import { AbsolutePath, HostName, Id, Name, Port, Tier, UnitName } from './domain';
import { hostProblem, ipv6Problem, printable } from './validation';

/** Every kind of health check. */
export const CHECK_KINDS = ['tcp', 'http', 'ssh', 'service', 'disk', 'load', 'memory', 'vip', 'postgres', 'freshness', 'drift'] as const;
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

/** Where a kind runs: on one server, on the members of a group, or either. */
export type CheckScope = 'server' | 'group' | 'either';
/** Which scope each kind takes. */
export const CHECK_SCOPE: Record<CheckKind, CheckScope> = {
  tcp: 'server',
  http: 'server',
  ssh: 'server',
  service: 'either',
  disk: 'server',
  load: 'server',
  memory: 'server',
  vip: 'group',
  postgres: 'group',
  freshness: 'server',
  drift: 'group',
};

/** One line per kind for the editor and the CLI. */
export const CHECK_KIND_LABEL: Record<CheckKind, string> = {
  tcp: 'TCP port open (probed from a server)',
  http: 'HTTP status and body text (probed from a server)',
  ssh: 'SSH reachability and latency',
  service: 'Service active (systemd, rcctl or process name)',
  disk: 'Disk space used',
  load: 'Load per CPU core',
  memory: 'Memory used',
  vip: 'Which member holds each virtual IP',
  postgres: 'PostgreSQL roles and replication lag',
  freshness: 'Age of the newest file (or of one file) against the RPO',
  drift: 'Files that differ between the members',
};

const Percent = z.number({ error: 'enter a percentage' }).min(0, '0 % at least').max(100, '100 % at most');
const thresholds = <T extends { warnPercent: number; failPercent: number }>(value: T, ctx: z.RefinementCtx) => {
  if (value.warnPercent > value.failPercent) ctx.addIssue({ code: 'custom', message: 'the warning level must not be above the failure level', path: ['warnPercent'] });
};

const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/;

/** An http(s) URL split into checked parts; the host passes the allowlist, IPv6 in brackets. */
export interface HttpTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number | null;
  path: string;
}

/** Parse a URL for the http check, or say why it is refused. Credentials and fragments are refused. */
export function parseHttpUrl(url: string): HttpTarget | string {
  if (typeof url !== 'string' || url.length === 0) return 'a URL is required';
  if (url.length > 2000) return 'the URL is too long (2000 characters at most)';
  const match = /^(https?):\/\/(\[[0-9a-f:]+\]|[^/:?#[\]@]+)(?::([0-9]{1,5}))?(\/[^#]*)?$/.exec(url);
  if (!match) return `"${printable(url)}" is not an http:// or https:// URL (no user name, no #fragment)`;
  const [, scheme, rawHost, rawPort, rawPath] = match;
  const bracketed = rawHost.startsWith('[');
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  const hostIssue = bracketed ? ipv6Problem(host) : host.includes(':') ? 'an IPv6 address goes in brackets' : hostProblem(host);
  if (hostIssue) return hostIssue;
  const port = rawPort === undefined ? null : Number(rawPort);
  if (port !== null && (port < 1 || port > 65535 || rawPort.startsWith('0'))) return 'the port must be a whole number from 1 to 65535';
  const path = rawPath ?? '/';
  if (!HTTP_PATH.test(path)) return 'the path may contain letters, digits and URL punctuation only (no spaces or control characters)';
  if (path.split(/[/?]/).some((part) => part === '..')) return 'the path may not contain ".."';
  return { scheme: scheme as 'http' | 'https', host, port, path };
}

const HttpUrl = z.string().superRefine((value, ctx) => {
  const parsed = parseHttpUrl(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** Parameters of each kind. Every field that reaches a script is an allowlisted type. */
export const CheckParams = {
  tcp: z.object({ host: HostName, port: Port }).strict(),
  http: z
    .object({
      url: HttpUrl,
      expectStatus: z.int('a whole number').min(100, 'an HTTP status: 100 to 599').max(599, 'an HTTP status: 100 to 599').default(200),
      bodyContains: z
        .string()
        .max(200, '200 characters at most')
        .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'no control characters or new lines')
        .default(''),
    })
    .strict(),
  ssh: z.object({ warnLatencyMs: z.int().min(1).max(60_000).default(1000) }).strict(),
  service: z.object({ unit: UnitName, manager: z.enum(['auto', 'systemd', 'rcctl', 'process']).default('auto') }).strict(),
  disk: z.object({ path: AbsolutePath.default('/'), warnPercent: Percent.default(80), failPercent: Percent.default(90) }).strict().superRefine(thresholds),
  load: z
    .object({ warnPerCore: z.number().positive().max(1000).default(1.5), failPerCore: z.number().positive().max(1000).default(3) })
    .strict()
    .superRefine((v, ctx) => {
      if (v.warnPerCore > v.failPerCore) ctx.addIssue({ code: 'custom', message: 'the warning level must not be above the failure level', path: ['warnPerCore'] });
    }),
  memory: z.object({ warnPercent: Percent.default(85), failPercent: Percent.default(95) }).strict().superRefine(thresholds),
  vip: z.object({}).strict(),
  postgres: z
    .object({
      /** Null: from the service's RPO (warn at half of it, fail at it), else 60 s / 300 s. */
      warnLagSeconds: z.number().nonnegative().nullable().default(null),
      failLagSeconds: z.number().nonnegative().nullable().default(null),
      warnLagBytes: z.int().nonnegative().nullable().default(null),
      failLagBytes: z.int().nonnegative().nullable().default(null),
      /** Directory of the server's Unix socket, when not the client's default. */
      socketDir: AbsolutePath.nullable().default(null),
    })
    .strict(),
  freshness: z
    .object({
      path: AbsolutePath,
      mode: z.enum(['newest-file', 'file']).default('newest-file'),
      /** Null: the service's RPO. */
      maxAgeMinutes: z.int().positive().max(525_600).nullable().default(null),
    })
    .strict(),
  drift: z
    .object({
      paths: z.array(AbsolutePath).min(1, 'list at least one file or directory').max(64),
      maxFiles: z.int().min(1).max(10_000).default(1000),
      /** Differences are `warn` (shown, no alert) unless the files must match (`fail`). */
      onDifference: z.enum(['warn', 'fail']).default('warn'),
    })
    .strict(),
} as const satisfies Record<CheckKind, z.ZodType>;

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

/** A stored check definition. */
export const Check = z.discriminatedUnion('kind', [
  variant('tcp'), variant('http'), variant('ssh'), variant('service'), variant('disk'), variant('load'),
  variant('memory'), variant('vip'), variant('postgres'), variant('freshness'), variant('drift'),
]);
export type Check = z.infer<typeof Check>;
/** The check of one kind. */
export type CheckOf<K extends CheckKind> = Extract<Check, { kind: K }>;

/** Input for saving a check: id absent for a new one. */
export const CheckDraft = z.discriminatedUnion('kind', [
  draft('tcp'), draft('http'), draft('ssh'), draft('service'), draft('disk'), draft('load'),
  draft('memory'), draft('vip'), draft('postgres'), draft('freshness'), draft('drift'),
]);
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
export const ALERT_KINDS = ['down', 'recovered', 'reminder', 'host-down', 'host-key-changed', 'host-recovered', 'test'] as const;
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
});
export type Alert = z.infer<typeof Alert>;

const EmailAddress = z.email('not an email address').max(254);
/** How the SMTP connection is protected. */
export const SMTP_SECURITY = ['none', 'starttls', 'tls'] as const;

/** Email alerts through an SMTP server (no password is kept: a relay that trusts this machine). */
export const EmailChannel = z
  .object({
    enabled: z.boolean().default(true),
    host: HostName,
    port: Port.default(25),
    /** none: plain SMTP to a trusted relay; starttls: upgrade required; tls: implicit TLS (465). */
    security: z.enum(SMTP_SECURITY).default('starttls'),
    from: EmailAddress,
    to: z.array(EmailAddress).min(1, 'at least one recipient').max(20),
  })
  .strict();
export type EmailChannel = z.infer<typeof EmailChannel>;

/** Where alerts go, as shown to the user. */
export const AlertSettings = z
  .object({
    desktop: z.boolean().default(true),
    email: EmailChannel.nullable().default(null),
    /** Whether a webhook is configured; its URL is kept in the main process (it often carries a token). */
    webhook: z.object({ enabled: z.boolean(), target: z.string() }).nullable().default(null),
    /** Repeat a down alert at half and at all of the RTO. */
    reminders: z.boolean().default(true),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettings>;

/** Saving alert settings: `webhookUrl` replaces the stored URL, null removes it, absent keeps it. */
export const AlertSettingsDraft = z
  .object({
    desktop: z.boolean().default(true),
    email: EmailChannel.nullable().default(null),
    webhookEnabled: z.boolean().default(true),
    webhookUrl: HttpUrl.nullable().optional(),
    reminders: z.boolean().default(true),
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
