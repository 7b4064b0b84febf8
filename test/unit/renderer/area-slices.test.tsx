/**
 * The store's area slices, fed by the contract's events: subscriptions made once where the store
 * is created, screens that only select, and state that follows changes made elsewhere.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckView } from '../../../shared/checks';
import type { AuditEntry, Plan, RunView } from '../../../shared/contract/failover';
import type { EventName } from '../../../shared/contract/index';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { DrillsScreen, FailoverScreen } from '../../../renderer/src/features/failover';
import { fakeTransport, settle } from './fake-transport';
import { renderWithStore, webSnapshot } from './store-harness';

const ok = (value: unknown) => ({ ok: true as const, value });

function planOf(groupName: string, hash: string): Plan {
  return {
    groupId: 7,
    groupName,
    direction: 'failover',
    sourceServerId: 1,
    targetServerId: 2,
    runbookSaved: false,
    definitionHash: 'd',
    planHash: hash,
    steps: [
      {
        index: 0,
        type: 'manual',
        title: `Tell the staff ${groupName} moves`,
        kind: 'manual',
        serverId: null,
        host: '',
        description: '',
        commands: [],
        role: '',
        expectedMinutes: 5,
      },
    ],
  };
}

function runOf(id: number, status: RunView['status'], mode: RunView['mode'] = 'real'): RunView {
  return {
    id,
    groupId: 7,
    groupName: 'web',
    sourceServerId: 1,
    targetServerId: 2,
    mode,
    status,
    operator: 'ops',
    owner: { pid: 1, host: 'here', alive: true },
    startedAt: 1000,
    finishedAt: null,
    elapsedMs: 1500,
    rtoMinutes: 30,
    definitionHash: 'd',
    waiting: null,
    summary: `run ${id} ${status}`,
    note: '',
    lastIntent: null,
    lastOutcome: null,
    steps: [
      {
        index: 0,
        title: 'Release the VIP',
        status: status === 'running' ? 'running' : 'succeeded',
        message: '',
        observed: '',
        startedAt: 1000,
        endedAt: null,
        elapsedMs: 10,
        attempts: 1,
      },
    ],
  };
}

const auditRow = (id: number): AuditEntry => ({
  id,
  at: id * 1000,
  kind: 'intent',
  actor: 'ops',
  runId: 1,
  groupId: 7,
  stepIndex: 0,
  serverId: 1,
  host: 'web-a',
  command: `command ${id}`,
  intentId: null,
  startedAt: null,
  endedAt: null,
  exitCode: null,
  outcome: '',
  output: '',
  detail: '',
  prevHash: '',
  hash: '',
});

/** A console whose host answers from mutable state, as if other windows changed it. */
function consoleWith() {
  const host = {
    groupName: 'web',
    planHash: 'a'.repeat(64),
    runs: [runOf(1, 'running')],
    audit: [auditRow(3), auditRow(2)],
    checks: [] as CheckView[],
    lastSweep: null as null | { at: number; durationMs: number; checks: number; hosts: number },
  };
  const transport = fakeTransport();
  Object.assign(transport.answers, {
    'workspace.snapshot': () => ok(webSnapshot(host.groupName)),
    'failover.plan': () => ok(planOf(host.groupName, host.planHash)),
    'runs.list': () => ok(host.runs),
    'runs.locks': () =>
      ok(
        host.runs
          .filter((r) => r.status === 'running')
          .map((r) => ({ runId: r.id, groupId: r.groupId, groupName: r.groupName })),
      ),
    'runs.get': (payload: unknown) => ok(host.runs.find((r) => r.id === (payload as { runId: number }).runId)),
    'audit.list': (payload: unknown) => {
      const { beforeId, limit } = payload as { beforeId?: number; limit: number };
      return ok(host.audit.filter((row) => beforeId === undefined || row.id < beforeId).slice(0, limit));
    },
    'drills.status': () =>
      ok([
        {
          groupId: 7,
          groupName: host.groupName,
          status: 'never',
          reasons: ['no drill yet'],
          lastGoodDrill: null,
          maxAgeDays: 90,
        },
      ]),
    'checks.list': () => ok(host.checks),
    'monitoring.status': () => ok({ enabled: true, running: true, lastSweep: host.lastSweep }),
    'alerts.recent': () => ok([]),
  });
  const app = createAppStore(transport, { screen: 'failover', theme: 'system' });
  return { host, transport, app, state: () => app.store.getState() };
}

const EVENTS: EventName[] = [
  'workspace.changed',
  'checks.result',
  'alerts.raised',
  'run.step',
  'run.output',
  'run.finished',
];

describe('the store fed by events', () => {
  it('subscribes to each event once, where the store is created, and rendering a screen adds no listener', async () => {
    const { transport, app } = consoleWith();
    await settle();
    for (const event of EVENTS) expect(transport.listenerCount(event), event).toBe(1);
    renderWithStore(app.store, <FailoverScreen />);
    renderWithStore(app.store, <DrillsScreen />);
    for (const event of EVENTS) expect(transport.listenerCount(event), event).toBe(1);
    app.dispose();
    for (const event of EVENTS) expect(transport.listenerCount(event), event).toBe(0);
  });

  it('shows a group renamed elsewhere on the Failover screen, and its new plan, without a reload', async () => {
    const { host, transport, app, state } = consoleWith();
    await settle();
    await state().chooseFailover({ groupId: 7, targetServerId: 2 });
    let html = renderWithStore(app.store, <FailoverScreen />);
    expect(html).toContain('>web</option>');
    expect(html).toContain('Tell the staff web moves');

    // Another window renames the group: the host broadcasts the change.
    host.groupName = 'shop';
    host.planHash = 'b'.repeat(64);
    transport.emit('workspace.changed', { method: 'groups.save', revision: 2 });
    await settle();
    await settle();
    html = renderWithStore(app.store, <FailoverScreen />);
    expect(html).toContain('>shop</option>');
    expect(html).not.toContain('>web</option>');
    expect(html).toContain('Tell the staff shop moves');
    expect(state().plan?.planHash).toBe('b'.repeat(64));
    // The screen itself never asked for the snapshot: the store's event did.
    expect(transport.calls.filter((c) => c === 'workspace.snapshot')).toHaveLength(2);
  });

  it('keeps the plan of what is chosen now when an older answer arrives late', async () => {
    const { transport, state } = consoleWith();
    await settle();
    let release!: () => void;
    transport.answers['failover.plan'] = () =>
      new Promise((resolve) => (release = () => resolve(ok(planOf('web', 'c'.repeat(64))))));
    const first = state().chooseFailover({ groupId: 7, targetServerId: 2 });
    await settle();
    void state().chooseFailover(null);
    release();
    await first;
    expect(state().plan).toBeNull();
  });

  it('follows the run: its steps and output from run events, the list, the drills and the audit log refreshed', async () => {
    const { host, transport, app, state } = consoleWith();
    await settle();
    state().followRun(1);
    await settle();
    expect(state().followedRun?.status).toBe('running');
    expect(state().runLocks.map((l) => l.runId)).toEqual([1]);
    transport.emit('run.output', {
      runId: 1,
      stepIndex: 0,
      host: 'web-a',
      stream: 'stdout',
      text: 'released 10.77.0.10',
      at: 1,
    });
    transport.emit('run.output', {
      runId: 99,
      stepIndex: 0,
      host: 'db-a',
      stream: 'stdout',
      text: 'another run',
      at: 1,
    });
    expect(state().followedOutput[0].map((line) => line.text)).toEqual(['released 10.77.0.10']);

    host.runs = [runOf(1, 'succeeded', 'drill')];
    host.audit = [auditRow(5), auditRow(4), ...host.audit];
    const before = transport.calls.length;
    transport.emit('run.finished', {
      runId: 1,
      groupId: 7,
      status: 'succeeded',
      elapsedMs: 1500,
      rtoMinutes: 30,
      summary: 'run 1 succeeded',
    });
    await settle();
    await settle();
    expect(transport.calls.slice(before).sort()).toEqual([
      'audit.list',
      'drills.status',
      'groups.state',
      'runs.get',
      'runs.list',
      'runs.locks',
    ]);
    expect(state().followedRun?.status).toBe('succeeded');
    // The lock went with the run.
    expect(state().runLocks).toEqual([]);
    expect(state().auditRows.map((row) => row.id)).toEqual([5, 4, 3, 2]);
    const html = renderWithStore(app.store, <FailoverScreen />);
    expect(html).toContain('run 1 succeeded');
    expect(renderWithStore(app.store, <DrillsScreen />)).toContain('#1 web');
  });

  it('patches a check result and an alert in place, never with an older result', async () => {
    const { host, transport, state } = consoleWith();
    host.checks = [{ check: { id: 4 } as CheckView['check'], latest: null }];
    transport.emit('workspace.changed', { method: 'checks.save', revision: 1 });
    await settle();
    await settle();
    const result = (at: number, summary: string): CheckResult => ({
      checkId: 4,
      at,
      status: 'ok',
      observed: 'ok',
      summary,
      metrics: {},
      durationMs: 3,
    });
    transport.emit('checks.result', result(2000, 'newer'));
    transport.emit('checks.result', result(1000, 'older, arriving late'));
    expect(state().checkViews[0].latest?.summary).toBe('newer');
    expect(state().resultsRevision).toBe(2);
    // The sweep that sent a result is the last one monitoring reports.
    host.lastSweep = { at: 2000, durationMs: 40, checks: 1, hosts: 1 };
    transport.emit('checks.result', result(2500, 'newest'));
    await settle();
    await settle();
    expect(state().monitoring?.lastSweep?.at).toBe(2000);
    transport.emit('alerts.raised', {
      at: 3000,
      kind: 'down',
      title: 'web is down',
      body: '',
      checkId: 4,
      serverId: null,
      service: null,
      downMinutes: 0,
      covers: [],
    });
    expect(state().alerts.map((a) => a.title)).toEqual(['web is down']);
  });

  it('keeps older audit pages loaded when the newest page is read again', async () => {
    const { host, transport, state } = consoleWith();
    await settle();
    expect(state().auditRows.map((r) => r.id)).toEqual([3, 2]);
    // More than a page arrives at once: the old rows would leave a hole, so they go.
    host.audit = Array.from({ length: 450 }, (_, i) => auditRow(450 - i));
    await state().refreshAudit();
    expect(state().auditRows).toHaveLength(200);
    expect(state().auditHasOlder).toBe(true);
    await state().loadOlderAudit();
    expect(state().auditRows).toHaveLength(400);
    host.audit = [auditRow(451), ...host.audit];
    transport.emit('run.step', { runId: 1, groupId: 7, step: runOf(1, 'running').steps[0], waiting: null });
    await settle();
    await settle();
    expect(
      state()
        .auditRows.map((r) => r.id)
        .slice(0, 2),
    ).toEqual([451, 450]);
    expect(state().auditRows).toHaveLength(401);
    expect(new Set(state().auditRows.map((r) => r.id)).size).toBe(401);
  });
});
