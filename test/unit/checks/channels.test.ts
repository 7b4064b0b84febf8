import http from 'node:http';
import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverAlert, deliverTo, sendEmail, type DeliveryConfig } from '../../../electron/checks/channels';
import type { WebhookChannelWithUrl } from '../../../electron/db/repositories/alert-channels';
import {
  AlertSettings,
  EmailChannel,
  type Alert,
  type AlertSettings as AlertSettingsType,
} from '../../../shared/checks';
import type { WebhookChannel } from '../../../shared/alerting';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { makeCertificate, startSmtpServer, type TestCertificate, type TestSmtpServer } from './smtp-server';

const alert: Alert = {
  at: Date.parse('2025-01-06T09:30:00Z'),
  kind: 'down',
  title: 'CRM (critical) down for 6 of its 30 minutes',
  body: 'web: VIP ownership: 10.77.0.10 is held by no member <b>&',
  checkId: 7,
  serverId: null,
  service: { name: 'CRM', tier: 'critical', rtoMinutes: 30 },
  downMinutes: 6,
  covers: [],
  takesDown: [],
  incidentId: 12,
};

let certificate: TestCertificate;
beforeAll(() => {
  certificate = makeCertificate();
});

let smtp: TestSmtpServer | undefined;
let web: http.Server | undefined;
let ws: TempWorkspace | undefined;
afterEach(async () => {
  await smtp?.close();
  if (web) {
    web.closeAllConnections();
    await new Promise((resolve) => web!.close(resolve));
  }
  ws?.cleanup();
  smtp = web = ws = undefined;
});
afterAll(() => undefined);

interface Received {
  path: string;
  type: string;
  body: unknown;
}

/** A local HTTP server answering `status`, or never answering (`hang`). */
async function startWebhook(status = 200, hang = false) {
  const received: Received[] = [];
  web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(body) });
      if (!hang) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(web.address() as net.AddressInfo).port}`, received };
}

const email = (port: number, over: Partial<EmailChannel> = {}): EmailChannel =>
  EmailChannel.parse({
    host: '127.0.0.1',
    port,
    security: 'starttls',
    username: 'alerts@northwind.example',
    from: 'lifeboat@northwind.example',
    to: ['sam@northwind.example'],
    ...over,
  });

const channel = (format: WebhookChannel['format'], url: string): WebhookChannelWithUrl => ({
  id: 1,
  name: format,
  format,
  enabled: true,
  everyAlert: true,
  url,
});

function config(over: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return {
    settings: AlertSettings.parse({ desktop: false }),
    webhooks: [],
    smtpPassword: async () => 's3cret-pw',
    smtpCa: certificate.cert,
    timeoutMs: 2_000,
    ...over,
  };
}

describe('email over SMTP', () => {
  it('upgrades with STARTTLS and logs in with AUTH before sending', async () => {
    smtp = await startSmtpServer({ requireTls: true, certificate, users: { 'alerts@northwind.example': 's3cret-pw' } });
    const detail = await sendEmail(email(smtp.port), alert, { password: 's3cret-pw', ca: certificate.cert });
    expect(detail).toContain('1 recipient');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({
      tls: true,
      user: 'alerts@northwind.example',
      from: 'lifeboat@northwind.example',
      to: ['sam@northwind.example'],
    });
    expect(smtp.mails[0].data).toContain('Subject: [Lifeboat] CRM (critical) down for 6 of its 30 minutes');
    expect(smtp.mails[0].data).toContain('lifeboat alerts ack 12');
  });

  it('implicit TLS is refused by a server that speaks plain SMTP first (the security setting matters)', async () => {
    smtp = await startSmtpServer({ requireTls: true, certificate, users: { u: 'p' } });
    const reports = await deliverTo(
      [{ kind: 'email', to: ['sam@northwind.example'] }],
      alert,
      config({ settings: AlertSettings.parse({ email: email(smtp.port, { security: 'tls', username: 'u' }) }) }),
    );
    expect(reports[0].ok).toBe(false);
    expect(smtp.mails).toHaveLength(0);
  });

  it('reports a refused login with the server’s words, and sends nothing', async () => {
    smtp = await startSmtpServer({ requireTls: true, certificate, refuseAuth: true });
    const logged: string[] = [];
    const reports = await deliverTo(
      [{ kind: 'email', to: ['sam@northwind.example'] }],
      alert,
      config({ settings: AlertSettings.parse({ email: email(smtp.port) }), log: (m) => logged.push(m) }),
    );
    expect(reports).toEqual([
      { channel: 'email to sam@northwind.example', ok: false, detail: expect.stringContaining('535') },
    ]);
    expect(smtp.logins).toEqual([{ user: 'alerts@northwind.example', ok: false }]);
    expect(smtp.mails).toHaveLength(0);
    expect(logged.join('\n')).toContain('535');
    expect(JSON.stringify([reports, logged])).not.toContain('s3cret-pw');
  });

  it('without a stored password for the SMTP user says so and does not connect', async () => {
    smtp = await startSmtpServer({ requireTls: true, certificate, users: { u: 'p' } });
    const reports = await deliverTo(
      [{ kind: 'email', to: ['sam@northwind.example'] }],
      alert,
      config({ settings: AlertSettings.parse({ email: email(smtp.port) }), smtpPassword: async () => null }),
    );
    expect(reports[0]).toMatchObject({ ok: false, detail: expect.stringContaining('no password is available') });
    expect(smtp.logins).toEqual([]);
  });

  it('a server that never greets is a failure within the deadline', async () => {
    smtp = await startSmtpServer({ hang: true });
    const started = Date.now();
    const reports = await deliverTo(
      [{ kind: 'email', to: ['sam@northwind.example'] }],
      alert,
      config({ settings: AlertSettings.parse({ email: email(smtp.port) }), timeoutMs: 400 }),
    );
    expect(reports[0].ok).toBe(false);
    expect(reports[0].detail).toMatch(/greeting|timeout|time/i);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('webhook formats', () => {
  it('Slack: an incoming webhook message {text, blocks} with the text escaped for mrkdwn', async () => {
    const hook = await startWebhook();
    const reports = await deliverTo(
      [{ kind: 'webhook', channel: channel('slack', `${hook.base}/services/T0KEN`) }],
      alert,
      config(),
    );
    expect(reports[0].ok).toBe(true);
    expect(hook.received[0].type).toBe('application/json');
    expect(hook.received[0].path).toBe('/services/T0KEN');
    const body = hook.received[0].body as {
      text: string;
      blocks: { type: string; text?: { type: string; text: string } }[];
    };
    expect(Object.keys(body).sort()).toEqual(['blocks', 'text']);
    expect(body.text).toContain(alert.title);
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0].text).toEqual({ type: 'plain_text', text: alert.title, emoji: true });
    expect(body.blocks[1].text).toEqual({ type: 'mrkdwn', text: expect.stringContaining('no member &lt;b&gt;&amp;') });
  });

  it('Teams: a message with one Adaptive Card attachment', async () => {
    const hook = await startWebhook(202);
    const reports = await deliverTo(
      [{ kind: 'webhook', channel: channel('teams', `${hook.base}/workflows/x`) }],
      alert,
      config(),
    );
    expect(reports[0]).toMatchObject({ ok: true, detail: 'answered 202' });
    const body = hook.received[0].body as {
      type: string;
      attachments: {
        contentType: string;
        content: { type: string; version: string; body: { type: string; text?: string }[] };
      }[];
    };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(body.attachments[0].content.body[0]).toMatchObject({ type: 'TextBlock', text: alert.title });
    expect(body.attachments[0].content.body.map((b) => b.type)).toContain('FactSet');
  });

  it('ntfy: a JSON publish {topic, message, title, priority, tags} to the server root', async () => {
    const hook = await startWebhook();
    await deliverTo([{ kind: 'webhook', channel: channel('ntfy', `${hook.base}/northwind-alerts`) }], alert, config());
    expect(hook.received[0].path).toBe('/');
    expect(hook.received[0].body).toEqual({
      topic: 'northwind-alerts',
      title: alert.title,
      message: expect.stringContaining('10.77.0.10 is held by no member'),
      priority: 5,
      tags: ['rotating_light', 'lifeboat'],
    });
  });

  it('generic: Lifeboat’s own JSON', async () => {
    const hook = await startWebhook();
    await deliverTo([{ kind: 'webhook', channel: channel('generic', `${hook.base}/hook`) }], alert, config());
    expect(hook.received[0].body).toMatchObject({
      source: 'lifeboat',
      kind: 'down',
      title: alert.title,
      incidentId: 12,
    });
  });

  it('a webhook answering 500, or not at all, is reported failed without its URL', async () => {
    const failing = await startWebhook(500);
    const reports = await deliverTo(
      [{ kind: 'webhook', channel: channel('slack', `${failing.base}/services/T0KEN-secret`) }],
      alert,
      config(),
    );
    expect(reports[0]).toEqual({ channel: 'webhook slack (slack)', ok: false, detail: 'the webhook answered 500' });
    web!.closeAllConnections();
    await new Promise((resolve) => web!.close(resolve));
    const hung = await startWebhook(200, true);
    const late = await deliverTo(
      [{ kind: 'webhook', channel: channel('teams', `${hung.base}/T0KEN-secret`) }],
      alert,
      config({ timeoutMs: 300 }),
    );
    expect(late[0]).toMatchObject({ ok: false, detail: 'no answer in time' });
    expect(JSON.stringify([reports, late])).not.toContain('T0KEN');
  });
});

describe('broadcast and settings', () => {
  it('every alert goes to the desktop, the email list and the "every alert" webhooks; headless logs instead', async () => {
    const hook = await startWebhook();
    const logged: string[] = [];
    const reports = await deliverAlert(
      alert,
      config({
        settings: AlertSettings.parse({ desktop: true }),
        webhooks: [
          channel('generic', `${hook.base}/a`),
          { ...channel('slack', `${hook.base}/b`), id: 2, everyAlert: false },
        ],
        notify: null,
        log: (m) => logged.push(m),
      }),
    );
    expect(reports.map((r) => [r.channel, r.ok])).toEqual([
      ['desktop', true],
      ['webhook generic (generic)', true],
    ]);
    expect(hook.received.map((r) => r.path)).toEqual(['/a']);
    expect(logged[0]).toContain(alert.title);
  });

  it('keeps webhook URLs in the main process: settings show only the origin; a changed format keeps the URL', async () => {
    ws = openTempWorkspace();
    const saved = await ws.ok<WebhookChannel>('alerts.webhooks.save', {
      name: 'Ops room',
      format: 'slack',
      everyAlert: true,
      url: 'https://hooks.example.com/services/T0KEN-secret',
    });
    expect(saved).toMatchObject({ name: 'Ops room', format: 'slack', target: 'https://hooks.example.com/…' });
    await ws.ok('alerts.webhooks.save', { id: saved.id, name: 'Ops room', format: 'teams', everyAlert: true });
    const settings = await ws.ok<AlertSettingsType>('alerts.settings.get');
    expect(settings.webhooks).toEqual([{ ...saved, format: 'teams' }]);
    expect(JSON.stringify(settings)).not.toContain('T0KEN');
    const refused = await ws.dispatcher.dispatch('alerts.webhooks.save', {
      name: 'x',
      format: 'ntfy',
      url: 'https://ntfy.sh/',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('topic') },
    });
    const noUrl = await ws.dispatcher.dispatch('alerts.webhooks.save', { name: 'x' });
    expect(noUrl).toMatchObject({ ok: false, error: { message: expect.stringContaining('needs its URL') } });
  });

  it('the SMTP password is refused outside the app with where it must go instead, and never shown', async () => {
    ws = openTempWorkspace();
    const refused = await ws.dispatcher.dispatch('alerts.smtpPassword.set', { password: 'hunter2' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('LIFEBOAT_SMTP_PASSWORD') },
    });
    const settings = await ws.ok<AlertSettingsType>('alerts.settings.get');
    expect(settings.smtpPassword.stored).toBe(false);
    expect(JSON.stringify(settings)).not.toContain('hunter2');
  });
});
