import { describe, expect, it } from 'vitest';
import { CHECK_STATUSES, type CheckStatus } from '../../../shared/checks';
import { decideAlerts, rtoClock, TRANSITIONS, type AlertInput } from '../../../electron/checks/alerts';
import { planCheck } from '../../../electron/checks/plan';
import { countObservation } from '../../../electron/checks/retry';
import { FRESH_STATE, type CheckState } from '../../../electron/db/repositories/checks';
import { check, inventory } from './fixtures';

const NOW = Date.parse('2025-01-06T09:30:00Z');
const minutesAgo = (m: number) => NOW - m * 60_000;
const inv = inventory();
const names = new Map([...inv.servers.values()].map((s) => [s.id, s.name]));
const options = { now: NOW, reminders: true, serverName: (id: number) => names.get(id)! };

const vipCheck = planCheck(check({ kind: 'vip', name: 'web: VIP ownership', groupId: 10, params: {} }), inv);
const sshCheck = planCheck(check({ kind: 'ssh', name: 'web-a: SSH', groupId: 10, serverId: 1, params: {} }), inv);
const diskCheck = planCheck(check({ kind: 'disk', name: 'web-a: disk /', groupId: 10, serverId: 1, params: {} }), inv);
const httpCheck = planCheck(
  check({ kind: 'http', name: 'CRM page from web-b', serverId: 2, params: { url: 'http://10.77.0.11/' } }),
  inv,
);

const input = (planned: typeof vipCheck, status: CheckStatus, state: Partial<CheckState> = {}): AlertInput => ({
  planned,
  status,
  summary: `${status} summary`,
  state: { ...FRESH_STATE, ...state },
});

describe('alert transitions', () => {
  it('write out every (where it stood, what counts now) pair', () => {
    for (const row of Object.values(TRANSITIONS)) expect(Object.keys(row).sort()).toEqual([...CHECK_STATUSES].sort());
    expect(TRANSITIONS.ok.fail).toBe('down');
    expect(TRANSITIONS['fail-notified'].ok).toBe('recovered');
    expect(TRANSITIONS.ok.warn).toBe('none');
    expect(TRANSITIONS['fail-notified'].warn).toBe('none');
    expect(TRANSITIONS['fail-notified'].unknown).toBe('none');
  });

  it('ok → fail notifies, naming the service, its tier and the RTO clock', () => {
    const { alerts, states } = decideAlerts(
      [input(vipCheck, 'fail', { settled: 'ok', downSince: minutesAgo(6) })],
      options,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'down',
      title: 'CRM (critical) down for 6 of its 30 minutes',
      downMinutes: 6,
    });
    expect(alerts[0].body).toBe('web: VIP ownership: fail summary');
    expect(states.get(vipCheck.check.id)).toMatchObject({ settled: 'fail', notifiedDown: true });
  });

  it('fail → ok notifies the recovery; warn and unknown are not noise worth a notification', () => {
    const down = { settled: 'fail' as const, notifiedDown: true, downSince: minutesAgo(12) };
    const recovered = decideAlerts([input(vipCheck, 'ok', down)], options);
    expect(recovered.alerts[0]).toMatchObject({
      kind: 'recovered',
      title: 'CRM (critical) recovered after 12 minutes (RTO 30)',
    });
    expect(recovered.states.get(vipCheck.check.id)).toMatchObject({
      settled: 'ok',
      notifiedDown: false,
      downSince: null,
    });
    expect(decideAlerts([input(vipCheck, 'warn', { settled: 'ok' })], options).alerts).toEqual([]);
    expect(decideAlerts([input(vipCheck, 'warn', down)], options).alerts).toEqual([]);
    const blind = decideAlerts([input(vipCheck, 'unknown', down)], options);
    expect(blind.alerts).toEqual([]);
    expect(blind.states.get(vipCheck.check.id)).toMatchObject({ settled: 'fail', notifiedDown: true });
  });

  it('reminds at half and at all of the RTO, once each, then says it is past the RTO', () => {
    const down = { settled: 'fail' as const, notifiedDown: true };
    expect(decideAlerts([input(vipCheck, 'fail', { ...down, downSince: minutesAgo(10) })], options).alerts).toEqual([]);
    const half = decideAlerts([input(vipCheck, 'fail', { ...down, downSince: minutesAgo(16) })], options);
    expect(half.alerts[0]).toMatchObject({
      kind: 'reminder',
      title: 'Still down: CRM (critical) down for 16 of its 30 minutes',
    });
    expect(
      decideAlerts([input(vipCheck, 'fail', { ...down, downSince: minutesAgo(20), remindersSent: 1 })], options).alerts,
    ).toEqual([]);
    const past = decideAlerts(
      [input(vipCheck, 'fail', { ...down, downSince: minutesAgo(35), remindersSent: 1 })],
      options,
    );
    expect(past.alerts[0].title).toBe('Still down: CRM (critical) down for 35 minutes, past its 30-minute RTO');
    expect(
      decideAlerts([input(vipCheck, 'fail', { ...down, downSince: minutesAgo(35) })], { ...options, reminders: false })
        .alerts,
    ).toEqual([]);
  });

  it('a host that is down raises one alert, which names the checks depending on it', () => {
    const { alerts, states } = decideAlerts(
      [
        input(sshCheck, 'fail', { settled: 'ok', downSince: minutesAgo(2) }),
        input(diskCheck, 'unknown', { settled: 'ok' }),
        input(httpCheck, 'fail', { settled: 'ok' }),
      ],
      options,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'host-down',
      title: 'web-a is unreachable — CRM (critical) down for 2 of its 30 minutes',
    });
    expect(alerts[0].covers).toEqual(['web-a: disk /', 'CRM page from web-b']);
    expect(alerts[0].body).toContain('Also affected, no separate alerts: web-a: disk /, CRM page from web-b');
    // The covered failure is not marked as notified, so it can speak for itself once the host is back.
    expect(states.get(httpCheck.check.id)).toMatchObject({ settled: 'fail', notifiedDown: false });
  });

  it('a host down in an earlier sweep still covers a dependent check that fails now', () => {
    const { alerts } = decideAlerts([input(httpCheck, 'fail', { settled: 'ok' })], {
      ...options,
      hostsDownElsewhere: new Set([1]),
    });
    expect(alerts).toEqual([]);
  });

  it('once the host is back, a dependent check still failing gets its own alert; its recovery then follows', () => {
    const back = decideAlerts(
      [
        input(sshCheck, 'ok', { settled: 'fail', notifiedDown: true, downSince: minutesAgo(9) }),
        input(httpCheck, 'fail', { settled: 'fail', notifiedDown: false, downSince: minutesAgo(9) }),
      ],
      options,
    );
    expect(back.alerts.map((a) => [a.kind, a.title])).toEqual([
      ['host-recovered', 'web-a is reachable again after 9 minutes (RTO 30)'],
      ['down', 'CRM (critical) down for 9 of its 30 minutes'],
    ]);
  });

  it('a covered failure that recovers with its host raises no recovery of its own', () => {
    const { alerts } = decideAlerts([input(httpCheck, 'ok', { settled: 'fail', notifiedDown: false })], options);
    expect(alerts).toEqual([]);
  });

  it('with retries, the first failures are warn and do not alert; the third one does', () => {
    let state: CheckState = { ...FRESH_STATE, settled: 'ok' };
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const counted = countObservation(
        vipCheck.check,
        state,
        { status: 'fail', summary: 'none holds it', metrics: {} },
        NOW,
      );
      const decided = decideAlerts(
        [{ planned: vipCheck, status: counted.status, summary: counted.summary, state: counted.state }],
        options,
      );
      kinds.push(`${counted.status}:${decided.alerts.map((a) => a.kind).join(',')}`);
      state = decided.states.get(vipCheck.check.id)!;
    }
    expect(kinds).toEqual(['warn:', 'warn:', 'fail:down']);
  });

  it('a definite alarm (two VIP holders) counts at once', () => {
    const counted = countObservation(
      vipCheck.check,
      FRESH_STATE,
      { status: 'fail', summary: 'two holders', metrics: {}, immediate: true },
      NOW,
    );
    expect(counted.status).toBe('fail');
  });

  it('says the RTO clock in words', () => {
    const crm = vipCheck.ctx.service!;
    expect(rtoClock(crm, 6)).toBe('CRM (critical) down for 6 of its 30 minutes');
  });
});
