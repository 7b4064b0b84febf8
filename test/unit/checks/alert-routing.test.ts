/**
 * Alerts that reach a person, through the real scheduler with a fake clock: escalation down the
 * contact list by email (a local SMTP server that requires STARTTLS and AUTH), acknowledgement,
 * maintenance windows and running drills that silence, and one root-cause alert for a database outage.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckScheduler } from '../../../electron/checks/scheduler';
import { fileOrEnvAlertSecrets } from '../../../electron/checks/alert-secrets';
import { listChecks } from '../../../electron/db/repositories/checks';
import { insertRun } from '../../../electron/db/repositories/runs';
import type { AlertSecrets } from '../../../electron/ports/alert-secrets';
import type { Alert } from '../../../shared/checks';
import type { Incident } from '../../../shared/alerting';
import type { Server, Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { healthyAnswer } from './healthy';
import { ok, ScriptedRunner } from './runners';
import { makeCertificate, startSmtpServer, type TestCertificate, type TestSmtpServer } from './smtp-server';

let certificate: TestCertificate;
let smtp: TestSmtpServer;
beforeAll(async () => {
  certificate = makeCertificate();
});
afterAll(() => undefined);

let ws: TempWorkspace;
let snapshot: Snapshot;
let clock: number;
let dbDown: boolean;
let crmDown: boolean;
let events: { event: string; payload: unknown }[];
const START = Date.now();
const minutes = (m: number) => START + m * 60_000;

const secrets: AlertSecrets = {
  ...fileOrEnvAlertSecrets({}),
  where: () => 'memory',
  hasSmtpPassword: () => true,
  smtpPassword: async () => 'pa55-word',
};

function answer(server: Server, script: string) {
  if (dbDown && script.includes('psql') && server.name === 'db-a')
    return ok('rc=2\nrow=psql: error: connection refused');
  if (script.includes('nc -z')) return ok(`open=${dbDown ? 0 : 1}`);
  if (script.includes('echo via=curl'))
    return ok(`via=curl\n> HTTP/1.1 ${crmDown ? '502 Bad Gateway' : '200 OK'}\n> \n> CRM\n`);
  return healthyAnswer(server, script);
}

function scheduler(): CheckScheduler {
  return new CheckScheduler({
    db: ws.db,
    runner: () => new ScriptedRunner(answer),
    emit: (event, payload) => events.push({ event, payload }),
    now: () => clock,
    alertSecrets: () => secrets,
    delivery: { smtpCa: certificate.cert, timeoutMs: 3_000 },
  });
}

const contact = (name: string) => snapshot.contacts.find((c) => c.name === name)!;
const alerts = () => events.filter((e) => e.event === 'alerts.raised').map((e) => e.payload as Alert);
const recipients = () => smtp.mails.map((m) => m.to.join(','));

/** Sweep at minute `m` until every check has settled (retries spent), waiting for the mail. */
async function sweepAt(s: CheckScheduler, m: number, times = 3) {
  for (let i = 0; i < times; i++) {
    clock = minutes(m) + i * 1000;
    await s.runNow();
  }
  await s.deliveriesSettled();
}

async function escalateAt(s: CheckScheduler, m: number) {
  clock = minutes(m);
  const escalated = await s.escalate();
  await s.deliveriesSettled();
  return escalated;
}

beforeEach(async () => {
  smtp = await startSmtpServer({ requireTls: true, certificate, users: { 'alerts@northwind.example': 'pa55-word' } });
  ws = openTempWorkspace();
  snapshot = await ws.ok<Snapshot>('workspace.create', { template: 'example' });
  await ws.ok('checks.generateDefaults', {});
  const webB = snapshot.servers.find((s) => s.name === 'web-b')!;
  const webA = snapshot.servers.find((s) => s.name === 'web-a')!;
  const crm = snapshot.services.find((s) => s.name === 'CRM')!;
  const database = snapshot.services.find((s) => s.name === 'Database')!;
  // The database's port, as the CRM's server sees it (retries 2: it settles after the CRM page's).
  await ws.ok('checks.save', {
    kind: 'tcp',
    name: 'Database port from web-a',
    serverId: webA.id,
    serviceId: database.id,
    params: { host: '192.0.2.20', port: 5432 },
  });
  // CRM's own page: it fails whenever the database does. Retries 0: it settles before the database's check.
  await ws.ok('checks.save', {
    kind: 'http',
    name: 'CRM page from web-b',
    serverId: webB.id,
    serviceId: crm.id,
    retries: 0,
    params: { url: 'http://192.0.2.10/' },
  });
  await ws.ok('alerts.settings.save', {
    desktop: false,
    email: {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'starttls',
      username: 'alerts@northwind.example',
      from: 'lifeboat@northwind.example',
      to: [],
    },
    escalationMinutes: { critical: 5 },
  });
  await ws.ok('alerts.routes.save', {
    routes: ['Sam Patel', 'Jo Morgan', 'Alex Reid'].map((name) => ({ contactId: contact(name).id, email: true })),
  });
  clock = START;
  dbDown = false;
  crmDown = false;
  events = [];
});
afterEach(async () => {
  ws.cleanup();
  await smtp.close();
});

describe('a database outage', () => {
  it('raises one alert that names the Database as the root cause and lists CRM among what it takes down', async () => {
    const s = scheduler();
    await sweepAt(s, 0);
    expect(alerts()).toEqual([]);
    dbDown = true;
    crmDown = true;
    await sweepAt(s, 1);
    const raised = alerts();
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'down', service: { name: 'Database' } });
    expect(raised[0].takesDown).toContain('CRM (critical)');
    expect(raised[0].body).toContain('Takes down');
    // The CRM page check fails, but raises nothing of its own.
    const crmCheck = listChecks(ws.db).find((c) => c.name === 'CRM page from web-b')!;
    const views = await ws.ok<{ check: { id: number }; latest: { status: string } | null }[]>('checks.list', {});
    expect(views.find((v) => v.check.id === crmCheck.id)!.latest!.status).toBe('fail');
    // The database comes back, CRM still fails: now CRM gets its own alert.
    dbDown = false;
    await sweepAt(s, 4);
    const after = alerts().slice(1);
    expect(after.map((a) => [a.kind, a.service?.name])).toEqual(
      expect.arrayContaining([
        ['recovered', 'Database'],
        ['down', 'CRM'],
      ]),
    );
    await s.dispose();
  });
});

describe('escalation down the contact list', () => {
  it('mails the first contact at once, the next after 5 unacknowledged minutes, over STARTTLS with AUTH, and nobody after the acknowledgement', async () => {
    const s = scheduler();
    dbDown = true;
    await sweepAt(s, 0);
    expect(recipients()).toEqual(['sam@northwind.example']);
    expect(smtp.mails.every((m) => m.tls && m.user === 'alerts@northwind.example')).toBe(true);
    const [incident] = await ws.ok<Incident[]>('alerts.list', { unresolvedOnly: true });
    expect(incident).toMatchObject({ status: 'open', level: 1, nextEscalationAt: minutes(0) + 2000 + 5 * 60_000 });

    expect(await escalateAt(s, 4)).toEqual([]);
    expect(recipients()).toEqual(['sam@northwind.example']);
    expect(await escalateAt(s, 5.1)).toEqual([incident.id]);
    expect(recipients()).toEqual(['sam@northwind.example', 'jo@northwind.example']);
    expect(smtp.mails[1].data).toContain('Not acknowledged for 5 minutes');

    const acked = await ws.ok<Incident>('alerts.ack', { id: incident.id, note: 'on it' });
    expect(acked.status).toBe('acknowledged');
    await escalateAt(s, 30);
    await escalateAt(s, 60);
    expect(recipients()).toEqual(['sam@northwind.example', 'jo@northwind.example']);

    const [timeline] = await ws.ok<Incident[]>('alerts.list', {});
    expect(timeline.events.map((e) => e.kind)).toEqual([
      'raised',
      'notified',
      'notified',
      'escalated',
      'escalated',
      'acknowledged',
    ]);
    const audit = await ws.ok<{ detail: string }[]>('audit.list', { limit: 5 });
    expect(audit.map((r) => r.detail).join('\n')).toContain(`acknowledged alert #${incident.id}`);
    const again = await ws.dispatcher.dispatch('alerts.ack', { id: incident.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await s.dispose();
  });

  it('a refused SMTP login is on the timeline, not swallowed', async () => {
    await smtp.close();
    smtp = await startSmtpServer({ requireTls: true, certificate, refuseAuth: true });
    await ws.ok('alerts.settings.save', {
      desktop: false,
      email: {
        host: '127.0.0.1',
        port: smtp.port,
        username: 'alerts@northwind.example',
        from: 'lifeboat@northwind.example',
      },
    });
    const s = scheduler();
    dbDown = true;
    await sweepAt(s, 0);
    expect(smtp.mails).toEqual([]);
    const [incident] = await ws.ok<Incident[]>('alerts.list', {});
    const failed = incident.events.filter((e) => e.kind === 'delivery-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toMatch(/^email to sam@northwind.example: .*535/);
    expect(events.some((e) => e.event === 'alerts.updated')).toBe(true);
    await s.dispose();
  });
});

describe('silences', () => {
  it('a maintenance window silences the group and its time does not count against the RTO clock', async () => {
    const s = scheduler();
    const db = snapshot.groups.find((g) => g.name === 'db')!;
    await ws.ok('maintenance.plan', {
      groupId: db.id,
      startsAt: minutes(0),
      endsAt: minutes(20),
      reason: 'PostgreSQL upgrade',
    });
    dbDown = true;
    await sweepAt(s, 1);
    await sweepAt(s, 10);
    expect(alerts()).toEqual([]);
    expect(smtp.mails).toEqual([]);
    // After the window, still down: the alert goes out, counting only the minutes outside it.
    await sweepAt(s, 26);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0].title).toBe('Database (critical) down for 6 of its 30 minutes');
    expect(recipients()).toEqual(['sam@northwind.example']);
    await s.dispose();
  });

  it('an ad hoc silence stops an open alert escalating; a running drill silences its own group only', async () => {
    const s = scheduler();
    dbDown = true;
    await sweepAt(s, 0);
    const [incident] = await ws.ok<Incident[]>('alerts.list', {});
    const db = snapshot.groups.find((g) => g.name === 'db')!;
    const window = await ws.ok<{ id: number }>('maintenance.silence', {
      groupId: db.id,
      minutes: 120,
      reason: 'working on it',
    });
    expect(await escalateAt(s, 10)).toEqual([]);
    await ws.ok('maintenance.end', { id: window.id });
    expect(await escalateAt(s, 11)).toEqual([incident.id]);

    // A drill of the web group silences the web group's alerts, not the database's.
    const web = snapshot.groups.find((g) => g.name === 'web')!;
    const webA = snapshot.servers.find((x) => x.name === 'web-a')!;
    const webB = snapshot.servers.find((x) => x.name === 'web-b')!;
    insertRun(ws.db, {
      groupId: web.id,
      groupName: 'web',
      sourceServerId: webA.id,
      targetServerId: webB.id,
      mode: 'drill',
      status: 'running',
      operator: 'test',
      owner: { pid: 1, host: 'here', token: 't' },
      startedAt: clock,
      finishedAt: null,
      definitionHash: 'x',
      runbook: [],
      steps: [],
      preflight: null,
      rtoMinutes: null,
      summary: '',
      note: '',
    });
    dbDown = false;
    crmDown = true;
    const before = alerts().length;
    await sweepAt(s, 12);
    expect(
      alerts()
        .slice(before)
        .map((a) => a.kind),
    ).toEqual(['recovered']);
    await s.dispose();
  });
});
