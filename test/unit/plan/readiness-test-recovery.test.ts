import { describe, expect, it } from 'vitest';
import { assessReadiness } from '../../../shared/logic/readiness';
import { pairGroup, server, service, snapshot } from './fixtures';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const inventory = snapshot({
  servers: [server(1, 'web-a'), server(2, 'web-b')],
  groups: [pairGroup(1, 'web', 1, 2)],
  services: [service(1, 'CRM', { groupId: 1, rpoMinutes: 5, rtoMinutes: 30, costPerHour: 2000 })],
});
const evidence = {
  runbooks: [{ groupId: 1, steps: 6 }],
  drills: [
    {
      groupId: 1,
      finishedAt: new Date(NOW - 86_400_000).toISOString(),
      minutes: 12,
      succeeded: true,
      changedSince: false,
    },
  ],
  health: [
    { groupId: 1, failing: [], known: 1, unknown: [], drift: [], replicationLagMinutes: 0, syncAgeMinutes: null },
  ],
  now: NOW,
};

describe('readiness and the test recovery', () => {
  it('marks a group broken with the reason of its newest failed test recovery', () => {
    const readiness = assessReadiness(inventory, {
      ...evidence,
      testRecoveries: [{ groupId: 1, passed: false, reason: 'unit: crm is disabled on web-b', at: NOW - 60_000 }],
    });
    const reasons = readiness.services[0].reasons;
    expect(reasons.map((r) => r.code)).toEqual(['test_recovery_broken']);
    expect(reasons[0].text).toBe(
      'Group "web" is broken: unit: crm is disabled on web-b (test recovery of 2025-06-01 11:59 UTC)',
    );
    expect(readiness.services[0].score).toBe(75);
    expect(readiness.next[0].code).toBe('test_recovery_broken');
  });

  it('says nothing when the test recovery passed or never ran', () => {
    for (const testRecoveries of [[{ groupId: 1, passed: true, reason: null, at: NOW }], [], undefined])
      expect(assessReadiness(inventory, { ...evidence, testRecoveries }).services[0].reasons).toEqual([]);
  });
});
