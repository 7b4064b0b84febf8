/**
 * A changed host key is an alarm, not an unreachable host to retry: it counts at the first sweep
 * (retries or not), and its alert says the key changed, that Lifeboat refused to connect, and shows
 * both fingerprints. A pin of another key type counts as a change too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckScheduler } from '../../../electron/checks/scheduler';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import type { Alert, CheckResult } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { healthyAnswer } from './healthy';
import { ScriptedRunner, unreachable } from './runners';

const PINNED = 'SHA256:pinnedpinnedpinnedpinnedpinnedpinnedpinned';
const PRESENTED = 'SHA256:presentedpresentedpresentedpresentedpresen';

const changedKey = (pinned: string | undefined): RemoteOutcome => ({
  kind: 'host-key',
  status: 'changed',
  detail: 'the host key changed',
  fingerprint: PRESENTED,
  pinned,
});

let ws: TempWorkspace;
let answer: (server: Server, script: string) => RemoteOutcome;
let events: { event: string; payload: CheckResult | Alert | { incidentId: number } }[];

beforeEach(async () => {
  ws = openTempWorkspace();
  await ws.ok('workspace.create', { template: 'example' });
  await ws.ok('checks.generateDefaults', {});
  answer = (server, script) => healthyAnswer(server, script);
  events = [];
});
afterEach(() => ws.cleanup());

function scheduler(): CheckScheduler {
  return new CheckScheduler({
    db: ws.db,
    runner: () => new ScriptedRunner((s, script) => answer(s, script)),
    emit: (event, payload) => events.push({ event, payload }),
  });
}

const named = (results: { name: string }[], name: string) =>
  results.find((r) => r.name === name) as CheckResult & { name: string };
const alerts = () => events.filter((e) => e.event === 'alerts.raised').map((e) => e.payload as Alert);

describe('a changed host key', () => {
  it('counts as a failure at the first sweep, without the retries an unreachable host gets', async () => {
    answer = (server, script) =>
      server.name === 'web-a'
        ? changedKey(PINNED)
        : server.name === 'web-b'
          ? unreachable()
          : healthyAnswer(server, script);
    const results = await scheduler().runDue();
    expect(named(results, 'web-a: SSH')).toMatchObject({ status: 'fail', observed: 'fail' });
    expect(named(results, 'web-a: SSH').summary).not.toContain('retry');
    // The unreachable host, by contrast, is still being retried.
    expect(named(results, 'web-b: SSH')).toMatchObject({ status: 'warn', observed: 'fail' });
    expect(named(results, 'web-b: SSH').summary).toContain('retry 1 of 2');
    expect(named(results, 'web-a: SSH').metrics).toMatchObject({
      hostKey: 'changed',
      pinnedFingerprint: PINNED,
      presentedFingerprint: PRESENTED,
    });
  });

  it('raises one alert that says the key changed and Lifeboat refused to connect, with both fingerprints', async () => {
    answer = (server, script) => (server.name === 'web-a' ? changedKey(PINNED) : healthyAnswer(server, script));
    await scheduler().runDue();
    const raised = alerts();
    expect(raised).toHaveLength(1);
    const [alert] = raised;
    expect(alert.kind).toBe('host-key-changed');
    expect(alert.title).toBe(
      'The host key of web-a CHANGED: Lifeboat refused to connect — CRM (critical) down for 0 of its 30 minutes',
    );
    expect(alert.title).not.toContain('unreachable');
    expect(alert.body).toContain(`pinned ${PINNED}`);
    expect(alert.body).toContain(`presented now ${PRESENTED}`);
    expect(alert.body).toContain('Lifeboat refused to connect and sent nothing');
    // The other checks on web-a are named in it rather than alerting on their own.
    expect(alert.covers).toEqual(expect.arrayContaining(['web-a: disk /', 'web-a: load']));
  });

  it('is an alarm for every check that reads the host, even where no ssh check covers it', async () => {
    await ws.ok('checks.save', { ...(await sshCheckOf('web-a')), enabled: false });
    answer = (server, script) => (server.name === 'web-a' ? changedKey(PINNED) : healthyAnswer(server, script));
    const results = await scheduler().runDue();
    expect(named(results, 'web-a: load')).toMatchObject({ status: 'fail', observed: 'fail' });
    expect(named(results, 'web-a: load').summary).toMatch(/^ALARM: the host key of web-a CHANGED/);
    expect(alerts().map((a) => a.kind)).toContain('host-key-changed');
    expect(alerts().every((a) => !a.title.includes('unreachable'))).toBe(true);
  });

  it('counts at once when what was pinned is not known by fingerprint (a key of another type)', async () => {
    answer = (server, script) => (server.name === 'web-a' ? changedKey(undefined) : healthyAnswer(server, script));
    const results = await scheduler().runDue();
    expect(named(results, 'web-a: SSH')).toMatchObject({ status: 'fail' });
    expect(named(results, 'web-a: SSH').summary).toContain('pinned (a key of another type)');
    expect(alerts()[0]).toMatchObject({ kind: 'host-key-changed' });
  });
});

async function sshCheckOf(serverName: string) {
  const views = await ws.ok<{ check: { name: string } & Record<string, unknown> }[]>('checks.list', {});
  const { check } = views.find((v) => v.check.name === `${serverName}: SSH`)!;
  return check;
}
