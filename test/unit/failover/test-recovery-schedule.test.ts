import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestRecoverySchedule } from '../../../electron/failover/test-recovery-schedule';
import { setTestRecoverySettings } from '../../../electron/failover/test-recovery-settings';
import { latestTestRecoveries } from '../../../electron/db/repositories/test-recoveries';
import { failoverFixture, type FailoverFixture } from './fixture';

const DAY = 86_400_000;
let f: FailoverFixture;
let monitoring: boolean;
let now: number;
let schedule: TestRecoverySchedule;

beforeEach(async () => {
  f = await failoverFixture();
  monitoring = false;
  now = Date.now();
  schedule = new TestRecoverySchedule({
    db: f.ws.db,
    runner: () => f.fake,
    enabled: () => monitoring,
    now: () => now,
  });
});
afterEach(async () => {
  await schedule.dispose();
  f.ws.cleanup();
});

describe('the test recovery schedule', () => {
  it('runs only while monitoring is on, at once the first time, then after the interval', async () => {
    await schedule.look();
    expect(f.fake.calls).toEqual([]);
    monitoring = true;
    await schedule.look();
    const first = latestTestRecoveries(f.ws.db);
    expect(first.map((r) => [r.groupName, r.trigger, r.actor])).toEqual([
      ['web', 'schedule', 'lifeboat (schedule)'],
      ['db', 'schedule', 'lifeboat (schedule)'],
      ['files', 'schedule', 'lifeboat (schedule)'],
    ]);
    const calls = f.fake.calls.length;
    now += 6 * DAY;
    await schedule.look();
    expect(f.fake.calls.length).toBe(calls);
    now += 1 * DAY + 1000;
    await schedule.look();
    expect(f.fake.calls.length).toBeGreaterThan(calls);
  });

  it('follows the configured interval, and a runner-less process never runs it', async () => {
    monitoring = true;
    setTestRecoverySettings(f.ws.db, { intervalDays: 1, clockToleranceMs: 1000 });
    await schedule.look();
    const calls = f.fake.calls.length;
    now += DAY + 1000;
    await schedule.look();
    expect(f.fake.calls.length).toBeGreaterThan(calls);
    const none = new TestRecoverySchedule({
      db: f.ws.db,
      runner: () => null,
      enabled: () => true,
      now: () => now + 10 * DAY,
    });
    const before = f.fake.calls.length;
    await none.look();
    await none.dispose();
    expect(f.fake.calls.length).toBe(before);
  });
});
