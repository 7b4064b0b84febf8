/** The alert settings form's fields as typed text, and how they become `alerts.settings.save`'s input. */
import { AlertSettingsDraft, SMTP_SECURITY, type AlertSettings } from '../../../../shared/checks';
import { ESCALATION_RTO_FRACTION } from '../../../../shared/alerting';
import { TIERS, type Tier } from '../../../../shared/domain';
import type { FieldIssue } from '../../../../shared/errors';
import { schemaIssues } from '../../components/form-issues';
import { parseOptionalNumber, splitList } from '../../components/format';

export interface AlertFields {
  desktop: boolean;
  reminders: boolean;
  emailEnabled: boolean;
  host: string;
  port: string;
  security: (typeof SMTP_SECURITY)[number];
  username: string;
  from: string;
  to: string;
  critical: string;
  important: string;
  routine: string;
}

/** Labels by field key, for the controls and the error summary. */
export const ALERT_LABELS: Record<keyof AlertFields, string> = {
  desktop: 'Desktop notifications',
  reminders: 'Remind at half and all of the RTO',
  emailEnabled: 'Send alert mail',
  host: 'SMTP server',
  port: 'Port',
  security: 'Security',
  username: 'User name (AUTH)',
  from: 'From',
  to: 'Told about every alert',
  critical: 'Critical: escalate after (minutes)',
  important: 'Important: escalate after (minutes)',
  routine: 'Routine: escalate after (minutes)',
};

/** "1/5 of the RTO": the default each tier falls back to. */
export function defaultEscalation(tier: Tier): string {
  const share = ESCALATION_RTO_FRACTION[tier];
  return share === 0.5 ? 'half the RTO' : `1/${Math.round(1 / share)} of the RTO`;
}

/** The fields from the saved settings. */
export function alertFields(settings: AlertSettings): AlertFields {
  const email = settings.email;
  const minutes = (tier: Tier) => {
    const value = settings.escalationMinutes[tier];
    return value === null ? '' : String(value);
  };
  return {
    desktop: settings.desktop,
    reminders: settings.reminders,
    emailEnabled: email?.enabled ?? false,
    host: email?.host ?? '',
    port: email ? String(email.port) : '587',
    security: email?.security ?? 'starttls',
    username: email?.username ?? '',
    from: email?.from ?? '',
    to: email?.to.join(', ') ?? '',
    critical: minutes('critical'),
    important: minutes('important'),
    routine: minutes('routine'),
  };
}

/** What `alerts.settings.save` takes: no SMTP server when the host is left empty. */
export function alertDraft(fields: AlertFields) {
  const number = parseOptionalNumber;
  return {
    desktop: fields.desktop,
    reminders: fields.reminders,
    email: fields.host.trim()
      ? {
          enabled: fields.emailEnabled,
          host: fields.host.trim(),
          port: number(fields.port) ?? 587,
          security: fields.security,
          username: fields.username.trim(),
          from: fields.from.trim(),
          to: splitList(fields.to),
        }
      : null,
    escalationMinutes: Object.fromEntries(TIERS.map((tier) => [tier, number(fields[tier])])) as Record<
      Tier,
      number | null
    >,
  };
}

const FLAT: Record<string, keyof AlertFields> = { enabled: 'emailEnabled' };

/** Every problem with the typed values, on the fields' own keys (email.host → host, escalationMinutes.critical → critical). */
export function alertIssues(fields: AlertFields): FieldIssue[] {
  return schemaIssues(AlertSettingsDraft, alertDraft(fields)).map((issue) => {
    const [first, second] = issue.path;
    const key = first === 'email' || first === 'escalationMinutes' ? String(second ?? 'host') : String(first);
    return { path: [FLAT[key] ?? key], message: issue.message };
  });
}
