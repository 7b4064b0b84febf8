/**
 * Settings → Alerts and the alert timelines on the Health screen, in Chromium against `lifeboat
 * serve`: email through a local SMTP server, a Slack channel and a failing one through local HTTP
 * servers (each with its "Send a test"), the escalation routes, a silence, and acknowledging an alert.
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendIncidentEvent, insertIncident } from '../../electron/db/repositories/incidents';
import type { Incident, MaintenanceWindow } from '../../shared/alerting';
import type { EscalationView } from '../../shared/contract/alerts';
import type { AlertSettings } from '../../shared/checks';
import { startSmtpServer, type TestSmtpServer } from '../unit/checks/smtp-server';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let smtp: TestSmtpServer;
let web: http.Server;
let webBase: string;
const received: { path: string; body: unknown }[] = [];
const call = <T>(method: Parameters<ConsoleSession['host']['call']>[0], payload?: unknown) =>
  session.host.call<T>(method, payload);

beforeAll(async () => {
  smtp = await startSmtpServer();
  web = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(req.url?.includes('broken') ? 500 : 200).end();
    });
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webBase = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}`;
  session = await startConsole();
  page = session.page;
  await call('workspace.create', { template: 'example' });
  await page.goto(session.host.url);
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}, 60_000);

afterAll(async () => {
  await session?.cleanup();
  await smtp?.close();
  web?.closeAllConnections();
  await new Promise((resolve) => web?.close(resolve));
});

describe('Settings → Alerts', () => {
  it('saves the SMTP server and sends a test email through it', async () => {
    await openScreen(page, 'Alerts');
    const form = page.getByTestId('alert-channels');
    await form.getByLabel('SMTP server').fill('127.0.0.1');
    await form.getByLabel('Port', { exact: true }).fill(String(smtp.port));
    await form.getByLabel('Security').selectOption('none');
    await form.getByLabel('From').fill('lifeboat@northwind.example');
    await form.getByLabel('Told about every alert').fill('desk@northwind.example');
    await form.getByLabel('Critical: escalate after (minutes)').fill('5');
    await form.getByLabel('Send alert mail').check();
    await form.getByRole('button', { name: 'Save alert settings' }).click();
    await eventually(async () =>
      expect((await call<AlertSettings>('alerts.settings.get')).email).toMatchObject({
        host: '127.0.0.1',
        port: smtp.port,
        to: ['desk@northwind.example'],
      }),
    );
    expect((await call<AlertSettings>('alerts.settings.get')).escalationMinutes.critical).toBe(5);
    await page.getByTestId('alert-channels').getByRole('button', { name: 'Send a test email' }).click();
    await eventually(() => expect(smtp.mails.map((m) => m.to)).toEqual([['desk@northwind.example']]));
    await page.getByTestId('notice-success').filter({ hasText: 'Test sent.' }).waitFor();
  });

  it('refuses a bad port inline and saves nothing', async () => {
    const form = page.getByTestId('alert-channels');
    await form.getByLabel('Port', { exact: true }).fill('65536');
    await form.getByRole('button', { name: 'Save alert settings' }).click();
    await form.getByTestId('form-errors').waitFor();
    expect((await call<AlertSettings>('alerts.settings.get')).email?.port).toBe(smtp.port);
    await form.getByLabel('Port', { exact: true }).fill(String(smtp.port));
  });

  it('adds a Slack channel and a broken one; each test shows what happened', async () => {
    const panel = page.getByTestId('alert-webhooks');
    const add = async (name: string, format: string, url: string) => {
      await panel.getByLabel('Name').fill(name);
      await panel.getByLabel('Format').selectOption(format);
      await panel.getByLabel('URL').fill(url);
      await panel.getByRole('button', { name: 'Add channel' }).click();
      await panel.getByRole('row').filter({ hasText: name }).waitFor();
    };
    await add('Ops room', 'slack', `${webBase}/services/T0KEN`);
    await add('Old hook', 'teams', `${webBase}/broken`);
    expect(await panel.textContent()).not.toContain('T0KEN');
    await panel.getByRole('row').filter({ hasText: 'Ops room' }).getByRole('button', { name: 'Send a test' }).click();
    await eventually(() => expect(received.map((r) => r.path)).toEqual(['/services/T0KEN']));
    expect(received[0].body).toMatchObject({
      text: expect.stringContaining('Lifeboat test alert'),
      blocks: expect.any(Array),
    });
    await panel.getByRole('row').filter({ hasText: 'Old hook' }).getByRole('button', { name: 'Send a test' }).click();
    const failed = page.getByTestId('notice-error').filter({ hasText: 'did not get through' });
    await failed.waitFor();
    expect(await failed.textContent()).toContain('the webhook answered 500');
  });

  it('routes the first contacts by email and a channel, and shows the escalation levels', async () => {
    const panel = page.getByTestId('alert-escalation');
    await panel.getByRole('row').filter({ hasText: 'Sam Patel' }).getByRole('checkbox').check();
    await panel.getByRole('row').filter({ hasText: 'Jo Morgan' }).getByRole('checkbox').check();
    await panel.getByLabel('Channel for Jo Morgan').selectOption({ label: 'Ops room' });
    await panel.getByRole('button', { name: 'Save routes' }).click();
    await panel.getByText(/At once: Sam Patel/).waitFor();
    const view = await call<EscalationView>('alerts.routes.get');
    expect(view.levels.map((l) => l.contacts)).toEqual([
      ['Sam Patel (IT admin (primary on call))'],
      ['Jo Morgan (Operations manager (declares a disaster, talks to staff))'],
    ]);
    expect(view.levels[1].how).toEqual(['email to jo@northwind.example', 'webhook Ops room (slack)']);
  });

  it('silences the database group for 2 hours', async () => {
    const panel = page.getByTestId('alert-maintenance');
    await panel.getByLabel('Group').selectOption({ label: 'db' });
    await panel.getByLabel('Why').fill('PostgreSQL minor upgrade');
    await panel.getByRole('button', { name: 'Silence now' }).click();
    await panel.getByText('PostgreSQL minor upgrade').waitFor();
    const [window] = await call<MaintenanceWindow[]>('maintenance.list');
    expect(window.endsAt - window.startsAt).toBe(120 * 60_000);
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'alert-settings');
    await page.getByTestId('alert-escalation').scrollIntoViewIfNeeded();
    await screenshot(page, 'alert-settings-escalation');
  });
});

describe('alert timelines on the Health screen', () => {
  it('shows each alert with its timeline, and acknowledges the open one', async () => {
    const db = new Database(session.host.dbPath);
    db.pragma('busy_timeout = 5000');
    const at = Date.now() - 20 * 60_000;
    const base = {
      checkId: null,
      service: { name: 'Database', tier: 'critical' as const, rtoMinutes: 30 },
      takesDown: ['CRM (critical)'],
      groupIds: [],
      acknowledgedAt: null,
      acknowledgedBy: null,
      resolvedAt: null,
    };
    const old = insertIncident(db, {
      ...base,
      openedAt: at,
      title: 'Database (critical) down for 0 of its 30 minutes',
      body: 'db port refused',
      status: 'resolved',
      level: 2,
      nextEscalationAt: null,
      resolvedAt: at + 9 * 60_000,
    });
    const events: [number, Parameters<typeof appendIncidentEvent>[3], string][] = [
      [0, 'raised', 'Database (critical) down for 0 of its 30 minutes'],
      [0, 'notified', 'email to sam@northwind.example: accepted by smtp.example.com:587 for 1 recipient(s)'],
      [6, 'escalated', 'not acknowledged after 6 minutes: telling Jo Morgan'],
      [6, 'delivery-failed', 'webhook Ops room (slack): the webhook answered 500'],
      [9, 'resolved', 'Database (critical) recovered after 9 minutes (RTO 30)'],
    ];
    for (const [minute, kind, detail] of events) appendIncidentEvent(db, old, at + minute * 60_000, kind, detail);
    const open = insertIncident(db, {
      ...base,
      openedAt: Date.now(),
      title: 'files-a is unreachable — File share (important) down for 0 of its 240 minutes',
      body: 'no route to host',
      takesDown: ['Intranet wiki (routine)'],
      status: 'open',
      level: 1,
      nextEscalationAt: Date.now() + 60 * 60_000,
    });
    appendIncidentEvent(db, open, Date.now(), 'raised', 'files-a is unreachable');
    db.close();
    // Any change makes the console read every area again.
    await call('monitoring.set', { enabled: false });
    await openScreen(page, 'Health');
    const panel = page.getByTestId('incidents');
    await panel.getByText(`#${open} files-a is unreachable`).waitFor();
    expect(await panel.textContent()).toContain('NOT DELIVERED');
    await panel.getByRole('button', { name: 'Acknowledge' }).click();
    await panel.getByText(/acknowledged by/).waitFor();
    const list = await call<Incident[]>('alerts.list');
    expect(list.find((i) => i.id === open)?.status).toBe('acknowledged');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'health-alerts');
    expect(session.pageErrors).toEqual([]);
  });
});
