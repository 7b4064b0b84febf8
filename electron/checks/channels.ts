/**
 * Where alerts go: a desktop notification (injected: the Electron shell wires `Notification`,
 * headless hosts log), email over SMTP (nodemailer), and a webhook (POST of the alert as JSON).
 * Every channel has a deadline, and a failing channel is reported, never thrown into the loop.
 * Alert text carries no secret: no passwords exist here, and the webhook URL is never written out.
 */
import { createTransport } from 'nodemailer';
import type { Alert, AlertSettings, EmailChannel } from '../../shared/checks';

/** The ways an alert can go out. */
export type ChannelName = 'desktop' | 'email' | 'webhook';

/** What one channel did with one alert. */
export interface ChannelReport {
  channel: ChannelName;
  ok: boolean;
  detail: string;
}

/** What delivery needs: the settings, the webhook URL kept in the main process, and the desktop hook. */
export interface DeliveryConfig {
  settings: AlertSettings;
  webhookUrl: string | null;
  /** Show a desktop notification; absent in headless mode. */
  notify?: ((title: string, body: string) => void) | null;
  log?: (message: string) => void;
}

/** Deadlines for the network channels. */
export const CHANNEL_TIMEOUT_MS = 10_000;

/** Send one alert by email. */
export async function sendEmail(channel: EmailChannel, alert: Alert, timeoutMs = CHANNEL_TIMEOUT_MS): Promise<string> {
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: `[Lifeboat] ${alert.title}`,
      text: `${alert.title}\n\n${alert.body}\n\n${new Date(alert.at).toISOString()} (${alert.kind})\n-- \nSent by Lifeboat health monitoring.\n`,
    });
    return `accepted by ${channel.host}:${channel.port} for ${info.accepted.length} recipient(s)`;
  } finally {
    transport.close();
  }
}

/** POST the alert as JSON; any 2xx is delivery. Redirects are refused (the URL was chosen on purpose). */
export async function postWebhook(url: string, alert: Alert, timeoutMs = CHANNEL_TIMEOUT_MS): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Lifeboat' },
    body: JSON.stringify({ source: 'lifeboat', ...alert }),
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  return `answered ${response.status}`;
}

/** The webhook's URL cut to its origin, for showing where alerts go without showing a token. */
export function webhookTarget(url: string): string {
  const match = /^(https?:\/\/[^/?#]+)/.exec(url);
  return match ? `${match[1]}/…` : 'a configured URL';
}

/** Describe an error without echoing a URL (which may carry a token). */
function describe(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.replace(/https?:\/\/\S+/g, '[url]').slice(0, 200);
}

/** Deliver an alert on every enabled channel, concurrently; each report says what happened. */
export async function deliverAlert(alert: Alert, config: DeliveryConfig): Promise<ChannelReport[]> {
  const { settings, webhookUrl, notify, log = () => {} } = config;
  const jobs: Promise<ChannelReport>[] = [];
  const attempt = (channel: ChannelName, run: () => Promise<string> | string) =>
    jobs.push(
      Promise.resolve()
        .then(run)
        .then(
          (detail) => ({ channel, ok: true, detail }),
          (error: unknown) => {
            const detail = describe(error);
            log(`alert channel ${channel} failed: ${detail}`);
            return { channel, ok: false, detail };
          },
        ),
    );
  if (settings.desktop) {
    attempt('desktop', () => {
      if (!notify) {
        log(`alert: ${alert.title} — ${alert.body.replace(/\n/g, ' / ')}`);
        return 'no desktop here (headless): written to the log';
      }
      notify(alert.title, alert.body);
      return 'shown';
    });
  }
  const email = settings.email;
  if (email?.enabled) attempt('email', () => sendEmail(email, alert));
  if (settings.webhook?.enabled && webhookUrl) attempt('webhook', () => postWebhook(webhookUrl, alert));
  return Promise.all(jobs);
}
