/** Readiness of backups: "no backup" for every service with data that has none, "never restored" until a restore test passes. */
import { describe, expect, it } from 'vitest';
import { assessReadiness, type BackupFacts, type ReadinessCode } from '../../../shared/logic/readiness';
import { pairGroup, server, service, snapshot } from './fixtures';

const inventory = snapshot({
  servers: [server(1, 'web-a'), server(2, 'web-b')],
  groups: [pairGroup(1, 'web', 1, 2)],
  services: [
    service(1, 'CRM', { groupId: 1, rpoMinutes: 5, rtoMinutes: 30 }),
    service(2, 'Router', { rpoMinutes: null, rtoMinutes: 15 }),
    service(3, 'Email', { rpoMinutes: 60, rtoMinutes: 240, hostedBy: 'Provider' }),
    service(4, 'Wiki', { rpoMinutes: 1440, rtoMinutes: 2880 }),
  ],
});
const codes = (backups: readonly BackupFacts[] | undefined, name: string): ReadinessCode[] =>
  assessReadiness(inventory, { backups })
    .services.find((s) => s.name === name)!
    .reasons.map((r) => r.code)
    .filter((c) => c === 'no_backup' || c === 'never_restored');

describe('readiness of backups', () => {
  it('says "no backup" and "never restored" for every in-house service with data, and nothing for the others', () => {
    expect(codes([], 'CRM')).toEqual(['no_backup', 'never_restored']);
    expect(codes([], 'Wiki')).toEqual(['no_backup', 'never_restored']);
    expect(codes([], 'Router')).toEqual([]);
    expect(codes([], 'Email')).toEqual([]);
  });

  it('a backup check on the group removes "no backup"; only a restore test that passed removes "never restored"', () => {
    const backup: BackupFacts = { kind: 'backup', groupId: 1, serviceId: null, passedAt: null };
    expect(codes([backup], 'CRM')).toEqual(['never_restored']);
    const failing: BackupFacts = { kind: 'restore', groupId: 1, serviceId: null, passedAt: null };
    expect(codes([backup, failing], 'CRM')).toEqual(['never_restored']);
    const text = assessReadiness(inventory, { backups: [backup, failing] }).services[0].reasons.find(
      (r) => r.code === 'never_restored',
    )!.text;
    expect(text).toMatch(/No restore test of "CRM" has passed yet/);
    expect(codes([backup, { ...failing, passedAt: 1 }], 'CRM')).toEqual([]);
    // The group's checks say nothing about a service outside it; a check named for the service does.
    expect(codes([backup, { ...failing, passedAt: 1 }], 'Wiki')).toEqual(['no_backup', 'never_restored']);
    expect(codes([{ ...backup, groupId: null, serviceId: 4 }], 'Wiki')).toEqual(['never_restored']);
  });

  it('costs points', () => {
    const none = assessReadiness(inventory, { backups: [] }).services[0].score;
    const proven = assessReadiness(inventory, {
      backups: [
        { kind: 'backup', groupId: 1, serviceId: null, passedAt: null },
        { kind: 'restore', groupId: 1, serviceId: null, passedAt: 5 },
      ],
    }).services[0].score;
    expect(proven - none).toBe(25);
  });
});
