/**
 * Where alerts go: a desktop notification (injected: the Electron shell wires `Notification`,
 * headless hosts log), email over SMTP (nodemailer: STARTTLS or implicit TLS, AUTH with a password
 * kept apart), and webhook channels in their format (formats.ts). Every channel has a deadline, and
 * a failing channel is reported, never thrown into the loop. Alert text carries no secret: the SMTP
 * password is never written out, and a webhook URL is shown only as its origin.
 */
import { createTransport } from 'nodemailer';
import type { Alert, AlertSettings, EmailChannel } from '../../shared/checks';
import type { WebhookFormat } from '../../shared/alerting';
import type { WebhookChannelWithUrl } from '../db/repositories/alert-channels';
import { webhookRequest } from './formats';

/** What one channel did with one alert: `channel` names it ("desktop", "email to a@b", "webhook Ops (slack)"). */
export interface ChannelReport {
  channel: string;
  ok: boolean;
  detail: string;
}

/** One place an alert goes. */
export type Recipient =
  { kind: 'desktop' } | { kind: 'email'; to: string[] } | { kind: 'webhook'; channel: WebhookChannelWithUrl };

/** What delivery needs: the settings, the webhook channels with their URLs, the SMTP password, the desktop hook. */
export interface DeliveryConfig {
  settings: AlertSettings;
  webhooks: WebhookChannelWithUrl[];
  /** The SMTP user's password (null: none stored); asked only when a mail goes out with a user name. */
  smtpPassword: () => Promise<string | null>;
  /** Show a desktop notification; absent in headless mode. */
  notify?: ((title: string, body: string) => void) | null;
  log?: (message: string) => void;
  timeoutMs?: number;
  /** A CA to trust besides the system's, for a relay with a certificate of its own (and the tests' server). */
  smtpCa?: string;
}

/** Deadlines for the network channels. */
export const CHANNEL_TIMEOUT_MS = 10_000;

/** Send one alert by email to `to` (the channel's own list when not given). */
export async function sendEmail(
  channel: EmailChannel,
  alert: Alert,
  options: { to?: string[]; password?: string | null; timeoutMs?: number; ca?: string } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? CHANNEL_TIMEOUT_MS;
  const to = options.to ?? channel.to;
  if (to.length === 0) throw new Error('no recipient');
  if (channel.username && !options.password)
    throw new Error(`no password is available for the SMTP user ${channel.username}: set it in Settings → Alerts`);
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    auth: channel.username ? { user: channel.username, pass: options.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    tls: options.ca ? { ca: options.ca } : undefined,
  });
  try {
    const ack =
      alert.incidentId !== null
        ? `\nAcknowledge: lifeboat alerts ack ${alert.incidentId} (or on the Health screen)\n`
        : '';
    const info = await transport.sendMail({
      from: channel.from,
      to,
      subject: `[Lifeboat] ${alert.title}`,
      text: `${alert.title}\n\n${alert.body}\n${ack}\n${new Date(alert.at).toISOString()} (${alert.kind})\n-- \nSent by Lifeboat health monitoring.\n`,
    });
    return `accepted by ${channel.host}:${channel.port} for ${info.accepted.length} recipient(s)`;
  } finally {
    transport.close();
  }
}

/** POST the alert in the channel's format; any 2xx is delivery. Redirects are refused (the URL was chosen on purpose). */
export async function postWebhook(
  format: WebhookFormat,
  url: string,
  alert: Alert,
  timeoutMs = CHANNEL_TIMEOUT_MS,
): Promise<string> {
  const request = webhookRequest(format, url, alert);
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Lifeboat' },
    body: JSON.stringify(request.body),
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  return `answered ${response.status}`;
}

/** A webhook's URL cut to its origin, for showing where alerts go without showing a token. */
export function webhookTarget(url: string): string {
  const match = /^(https?:\/\/[^/?#]+)/.exec(url);
  return match ? `${match[1]}/…` : 'a configured URL';
}

/** Describe an error without echoing a URL (which may carry a token). */
function describe(error: unknown): string {
  const e = error as { message?: string; name?: string; cause?: { message?: string; code?: string } };
  let message = e?.message ?? String(error);
  if (e?.name === 'TimeoutError') message = 'no answer in time';
  else if (e?.cause?.code || e?.cause?.message) message = `${message} (${e.cause.code ?? e.cause.message})`;
  return message.replace(/https?:\/\/\S+/g, '[url]').slice(0, 300);
}

/** The name a report gives a recipient. */
export function recipientLabel(recipient: Recipient): string {
  if (recipient.kind === 'desktop') return 'desktop';
  if (recipient.kind === 'email') return `email to ${recipient.to.join(', ')}`;
  return `webhook ${recipient.channel.name} (${recipient.channel.format})`;
}

/** Deliver an alert to these recipients, concurrently; each report says what happened. */
export async function deliverTo(
  recipients: readonly Recipient[],
  alert: Alert,
  config: DeliveryConfig,
): Promise<ChannelReport[]> {
  const { settings, notify, log = () => {} } = config;
  const timeoutMs = config.timeoutMs ?? CHANNEL_TIMEOUT_MS;
  const run = async (recipient: Recipient): Promise<string> => {
    if (recipient.kind === 'desktop') {
      if (!notify) {
        log(`alert: ${alert.title} — ${alert.body.replace(/\n/g, ' / ')}`);
        return 'no desktop here (headless): written to the log';
      }
      notify(alert.title, alert.body);
      return 'shown';
    }
    if (recipient.kind === 'email') {
      const email = settings.email;
      if (!email) throw new Error('no SMTP server is set up');
      if (!email.enabled) throw new Error('email is turned off');
      const password = email.username ? await config.smtpPassword() : null;
      return sendEmail(email, alert, { to: recipient.to, password, timeoutMs, ca: config.smtpCa });
    }
    if (!recipient.channel.enabled) throw new Error('this channel is turned off');
    return postWebhook(recipient.channel.format, recipient.channel.url, alert, timeoutMs);
  };
  return Promise.all(
    recipients.map((recipient) =>
      Promise.resolve()
        .then(() => run(recipient))
        .then(
          (detail) => ({ channel: recipientLabel(recipient), ok: true, detail }),
          (error: unknown) => {
            const detail = describe(error);
            log(`alert channel ${recipientLabel(recipient)} failed: ${detail}`);
            return { channel: recipientLabel(recipient), ok: false, detail };
          },
        ),
    ),
  );
}

/** Where every alert goes whoever is on call: the desktop, the email list, the webhooks marked "every alert". */
export function broadcastRecipients(config: Pick<DeliveryConfig, 'settings' | 'webhooks'>): Recipient[] {
  const out: Recipient[] = [];
  if (config.settings.desktop) out.push({ kind: 'desktop' });
  const email = config.settings.email;
  if (email?.enabled && email.to.length > 0) out.push({ kind: 'email', to: email.to });
  for (const channel of config.webhooks)
    if (channel.enabled && channel.everyAlert) out.push({ kind: 'webhook', channel });
  return out;
}

/** Deliver an alert on every broadcast channel. */
export function deliverAlert(alert: Alert, config: DeliveryConfig): Promise<ChannelReport[]> {
  return deliverTo(broadcastRecipients(config), alert, config);
}
