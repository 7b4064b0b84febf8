import { describe, expect, it } from 'vitest';
import {
  assessReadiness,
  drillMinutesByGroup,
  singlePointsOfFailure,
  type ReadinessCode,
} from '../../../shared/logic/readiness';
import { contact, exampleSnapshot, pairGroup, server, service, snapshot } from './fixtures';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();
const codes = (readiness: ReturnType<typeof assessReadiness>, name: string): ReadinessCode[] =>
  readiness.services.find((s) => s.name === name)!.reasons.map((r) => r.code);

/** One critical service on a pair group with everything in order, for tests to break one thing. */
function healthy(extra: Parameters<typeof service>[2] = {}) {
  return snapshot({
    servers: [server(1, 'web-a'), server(2, 'web-b')],
    groups: [pairGroup(1, 'web', 1, 2)],
    services: [service(1, 'CRM', { groupId: 1, rpoMinutes: 5, rtoMinutes: 30, costPerHour: 2000, ...extra })],
  });
}
const fullEvidence = {
  runbooks: [{ groupId: 1, steps: 6 }],
  drills: [{ groupId: 1, finishedAt: daysAgo(10), minutes: 12, succeeded: true, changedSince: false }],
  health: [
    { groupId: 1, failing: [], known: 1, unknown: [], drift: [], replicationLagMinutes: 0, syncAgeMinutes: null },
  ],
  now: NOW,
};

describe('assessReadiness', () => {
  it('scores a fully proven service 100 with no reasons', () => {
    const readiness = assessReadiness(healthy(), fullEvidence);
    expect(readiness.services[0]).toMatchObject({ score: 100, reasons: [] });
    expect(readiness.score).toBe(100);
    expect(readiness.next).toEqual([]);
  });

  it('says honestly which sources are not set up, and counts them as gaps', () => {
    const readiness = assessReadiness(healthy(), { now: NOW });
    expect(readiness.sources).toEqual({ runbooks: false, drills: false, health: false });
    expect(codes(readiness, 'CRM')).toEqual(['runbooks_not_set_up', 'drills_not_set_up', 'health_not_monitored']);
    expect(readiness.services[0].score).toBe(100 - 15 - 15 - 10);
  });

  it('reports no runbook and never drilled when the sources exist but hold nothing for the group', () => {
    const readiness = assessReadiness(healthy(), { ...fullEvidence, runbooks: [], drills: [] });
    expect(codes(readiness, 'CRM')).toEqual(['no_runbook', 'never_drilled']);
  });

  it('finds a drill too old, changed since, failed-only, and slower than the RTO', () => {
    const old = assessReadiness(healthy(), {
      ...fullEvidence,
      drills: [{ groupId: 1, finishedAt: daysAgo(120), minutes: 45, succeeded: true, changedSince: true }],
    });
    expect(codes(old, 'CRM')).toEqual(['drill_too_old', 'changed_since_drill', 'drill_slower_than_rto']);
    const failed = assessReadiness(healthy(), {
      ...fullEvidence,
      drills: [{ groupId: 1, finishedAt: daysAgo(1), minutes: 5, succeeded: false, changedSince: false }],
    });
    expect(failed.services[0].reasons[0]).toMatchObject({
      code: 'never_drilled',
      text: 'Group "web" has no successful drill yet',
    });
    const custom = assessReadiness(healthy(), { ...fullEvidence, drillMaxAgeDays: 7 });
    expect(codes(custom, 'CRM')).toEqual(['drill_too_old']);
  });

  it('finds failing health, drift, and replication lag or sync age above the RPO', () => {
    const readiness = assessReadiness(healthy(), {
      ...fullEvidence,
      health: [
        {
          groupId: 1,
          failing: ['disk /srv'],
          known: 1,
          unknown: [],
          drift: ['nginx.conf'],
          replicationLagMinutes: 9,
          syncAgeMinutes: 6,
        },
      ],
    });
    expect(codes(readiness, 'CRM')).toEqual(['health_failing', 'drift', 'replication_lag', 'sync_age']);
    const withinRpo = assessReadiness(healthy(), {
      ...fullEvidence,
      health: [
        { groupId: 1, failing: [], known: 1, unknown: [], drift: [], replicationLagMinutes: 5, syncAgeMinutes: 5 },
      ],
    });
    expect(codes(withinRpo, 'CRM')).toEqual([]);
  });

  it('finds no standby, no VIP, no contact or phone, no vendor phone and no workaround', () => {
    const noStandby = snapshot({
      servers: [server(1, 'pbx')],
      groups: [pairGroup(1, 'pbx', 1, null)],
      services: [service(1, 'Phones', { groupId: 1 })],
    });
    expect(codes(assessReadiness(noStandby, fullEvidence), 'Phones')).toEqual(['no_standby']);
    const noVip = healthy();
    noVip.groups[0].vips = [];
    expect(codes(assessReadiness(noVip, fullEvidence), 'CRM')).toEqual(['no_vip']);
    const noOwner = healthy({ ownerContactId: null, workaround: '' });
    expect(codes(assessReadiness(noOwner, fullEvidence), 'CRM')).toEqual(['no_contact', 'no_workaround']);
    const noPhone = healthy();
    noPhone.contacts = [contact(1, 'Admin', { phones: [] })];
    expect(assessReadiness(noPhone, fullEvidence).services[0].reasons[0]).toMatchObject({
      code: 'no_contact',
      text: 'Admin has no phone number',
    });
    const vendor = healthy();
    vendor.servers[0].support = { vendor: 'Dellware', contract: 'X1', phone: '', hours: '' };
    expect(codes(assessReadiness(vendor, fullEvidence), 'CRM')).toEqual(['no_vendor_phone']);
  });

  it('asks nothing of a hosted service but a contact and, when critical, a workaround', () => {
    const hosted = snapshot({ services: [service(1, 'Email', { hostedBy: 'Provider', workaround: '' })] });
    expect(codes(assessReadiness(hosted, {}), 'Email')).toEqual(['no_workaround']);
  });

  it('marks an in-house service on no group as having no standby', () => {
    const loose = snapshot({ services: [service(1, 'Wiki', { tier: 'routine' })] });
    expect(codes(assessReadiness(loose, {}), 'Wiki')).toEqual(['no_standby']);
  });

  it('scores the empty workspace 0 and asks for services first', () => {
    const readiness = assessReadiness(snapshot({}), {});
    expect(readiness.score).toBe(0);
    expect(readiness.next.map((a) => a.code)).toEqual(['no_services']);
  });

  it('never scores below 0 and weighs critical services three times routine ones', () => {
    const worst = snapshot({
      contacts: [],
      services: [
        service(1, 'Bad', { ownerContactId: null, workaround: '', dependsOn: [2] }),
        service(2, 'Loose', { tier: 'routine', ownerContactId: null }),
      ],
    });
    const readiness = assessReadiness(worst, {});
    expect(readiness.services.map((s) => s.score)).toEqual([40, 60]);
    expect(readiness.score).toBe(Math.round((40 * 3 + 60) / 4));
    const floor = assessReadiness(healthy(), {
      ...fullEvidence,
      runbooks: [],
      drills: [{ groupId: 1, finishedAt: daysAgo(200), minutes: 99, succeeded: true, changedSince: true }],
      health: [
        {
          groupId: 1,
          failing: ['x'],
          known: 1,
          unknown: [],
          drift: ['y'],
          replicationLagMinutes: 60,
          syncAgeMinutes: 60,
        },
      ],
    });
    expect(floor.services[0].score).toBe(0);
  });

  it('orders what to do next by tier, then cost per hour, with missing parts of Lifeboat last', () => {
    const readiness = assessReadiness(exampleSnapshot(), { now: NOW });
    expect(readiness.next.map((a) => a.code)).toEqual([
      'no_standby',
      'no_workaround',
      'no_contact',
      'health_not_monitored',
      'drills_not_set_up',
      'runbooks_not_set_up',
    ]);
    expect(readiness.next[0]).toMatchObject({ services: ['Phones'], tier: 'critical', costPerHour: 2500 });
    // Phones run on a group with no standby: nothing to write a runbook for or to drill.
    expect(readiness.next[3].services).toHaveLength(6);
    expect(readiness.next[4].services).toHaveLength(5);
    expect(readiness.next[4].services).not.toContain('Phones');
  });

  it('asks a group without a standby for a standby, not for a runbook or a drill', () => {
    const readiness = assessReadiness(exampleSnapshot(), { runbooks: [], drills: [], health: [], now: NOW });
    const phones = readiness.services.find((s) => s.name === 'Phones')!.reasons.map((r) => r.code);
    expect(phones).toContain('no_standby');
    expect(phones).toContain('no_health_checks');
    expect(phones).not.toContain('no_runbook');
    expect(phones).not.toContain('never_drilled');
  });

  it('counts one fix once for every service of a group', () => {
    const readiness = assessReadiness(exampleSnapshot(), { runbooks: [], drills: [], health: [], now: NOW });
    const files = readiness.next.find((a) => a.code === 'no_runbook' && a.services.includes('File share'))!;
    expect(files).toMatchObject({ services: ['File share', 'Intranet wiki'], costPerHour: 320, points: 30 });
  });
});

describe('singlePointsOfFailure', () => {
  it('marks the example company phones: group pbx has no standby', () => {
    expect(singlePointsOfFailure(exampleSnapshot())).toEqual([
      { serviceId: 2, name: 'Phones', causes: [{ serviceId: 2, serviceName: 'Phones', groupId: 5, serverIds: [9] }] },
    ]);
  });

  it('follows the dependency chain, skips hosted services and ignores non-critical services', () => {
    const snap = snapshot({
      services: [
        service(1, 'CRM', { dependsOn: [2, 3], groupId: 1 }),
        service(2, 'DNS', { tier: 'routine' }),
        service(3, 'Mail', { hostedBy: 'Provider' }),
        service(4, 'Wiki', { tier: 'important' }),
      ],
      servers: [server(1, 'a'), server(2, 'b')],
      groups: [pairGroup(1, 'crm', 1, 2)],
    });
    expect(singlePointsOfFailure(snap)).toEqual([
      { serviceId: 1, name: 'CRM', causes: [{ serviceId: 2, serviceName: 'DNS', groupId: null, serverIds: [] }] },
    ]);
    expect(codes(assessReadiness(snap, {}), 'CRM')).toContain('dependency_single_point');
  });
});

describe('drillMinutesByGroup', () => {
  it('takes the newest successful drill of each group', () => {
    const minutes = drillMinutesByGroup([
      { groupId: 1, finishedAt: daysAgo(30), minutes: 20, succeeded: true, changedSince: false },
      { groupId: 1, finishedAt: daysAgo(5), minutes: 14, succeeded: true, changedSince: false },
      { groupId: 1, finishedAt: daysAgo(1), minutes: 3, succeeded: false, changedSince: false },
    ]);
    expect(minutes).toEqual({ groups: { 1: 14 } });
  });
});
