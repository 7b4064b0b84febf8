import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverAlert, postWebhook, sendEmail } from '../../../electron/checks/channels';
import { AlertSettings, type Alert, type AlertSettings as AlertSettingsType } from '../../../shared/checks';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { startSmtpServer, type TestSmtpServer } from './smtp-server';

const alert: Alert = {
  at: Date.parse('2025-01-06T09:30:00Z'),
  kind: 'down',
  title: 'CRM (critical) down for 6 of its 30 minutes',
  body: 'web: VIP ownership: 10.77.0.10 is held by no member',
  checkId: 7,
  serverId: null,
  service: { name: 'CRM', tier: 'critical', rtoMinutes: 30 },
  downMinutes: 6,
  covers: [],
};

let smtp: TestSmtpServer | undefined;
let web: http.Server | undefined;
let ws: TempWorkspace | undefined;
afterEach(async () => {
  await smtp?.close();
  if (web) await new Promise((resolve) => web!.close(resolve));
  ws?.cleanup();
  smtp = web = ws = undefined;
});

async function startWebhook(status = 200) {
  const received: { path: string; type: string; body: unknown }[] = [];
  web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(web.address() as net.AddressInfo).port}/hooks/T0KEN-secret`, received };
}

describe('alert channels', () => {
  it('sends an email through SMTP', async () => {
    smtp = await startSmtpServer();
    const detail = await sendEmail(
      {
        enabled: true,
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: 'lifeboat@northwind.example',
        to: ['sam@northwind.example'],
      },
      alert,
    );
    expect(detail).toContain('1 recipient');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: 'lifeboat@northwind.example', to: ['sam@northwind.example'] });
    expect(smtp.mails[0].data).toContain('Subject: [Lifeboat] CRM (critical) down for 6 of its 30 minutes');
    expect(smtp.mails[0].data).toContain('10.77.0.10 is held by no member');
  });

  it('posts the alert as JSON to a webhook', async () => {
    const hook = await startWebhook();
    await postWebhook(hook.url, alert);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0].type).toBe('application/json');
    expect(hook.received[0].body).toMatchObject({
      source: 'lifeboat',
      kind: 'down',
      title: alert.title,
      service: { tier: 'critical' },
    });
  });

  it('delivers on every enabled channel and reports a failing one without its URL', async () => {
    smtp = await startSmtpServer();
    const hook = await startWebhook(500);
    const shown: string[] = [];
    const settings: AlertSettingsType = AlertSettings.parse({
      desktop: true,
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        from: 'lifeboat@northwind.example',
        to: ['sam@northwind.example'],
      },
      webhook: { enabled: true, target: '' },
    });
    const logged: string[] = [];
    const reports = await deliverAlert(alert, {
      settings,
      webhookUrl: hook.url,
      notify: (title) => shown.push(title),
      log: (m) => logged.push(m),
    });
    expect(reports.map((r) => [r.channel, r.ok])).toEqual([
      ['desktop', true],
      ['email', true],
      ['webhook', false],
    ]);
    expect(shown).toEqual([alert.title]);
    expect(JSON.stringify([reports, logged])).not.toContain('T0KEN');
  });

  it('headless: the desktop channel writes the alert to the log instead', async () => {
    const logged: string[] = [];
    const reports = await deliverAlert(alert, {
      settings: AlertSettings.parse({}),
      webhookUrl: null,
      notify: null,
      log: (m) => logged.push(m),
    });
    expect(reports).toEqual([
      { channel: 'desktop', ok: true, detail: 'no desktop here (headless): written to the log' },
    ]);
    expect(logged[0]).toContain(alert.title);
  });

  it('keeps the webhook URL in the main process: settings show only its origin', async () => {
    ws = openTempWorkspace();
    const saved = await ws.ok<AlertSettingsType>('alerts.settings.save', {
      webhookUrl: 'https://hooks.example.com/services/T0KEN-secret',
      desktop: false,
    });
    expect(saved.webhook).toEqual({ enabled: true, target: 'https://hooks.example.com/…' });
    const again = await ws.ok<AlertSettingsType>('alerts.settings.save', { desktop: true, webhookEnabled: false });
    expect(again.webhook).toEqual({ enabled: false, target: 'https://hooks.example.com/…' });
    expect(JSON.stringify(await ws.ok('alerts.settings.get'))).not.toContain('T0KEN');
    const removed = await ws.ok<AlertSettingsType>('alerts.settings.save', { webhookUrl: null });
    expect(removed.webhook).toBeNull();
  });
});
