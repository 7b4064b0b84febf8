import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import {
  insertTestRecovery,
  lastScheduledTestRecoveryAt,
  latestTestRecoveries,
} from '../../../electron/db/repositories/test-recoveries';
import type { TestRecoveryGroup } from '../../../shared/contract/test-recovery';

const open: Database.Database[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

function workspace(): Database.Database {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
  db.exec("INSERT INTO service_groups (id, name) VALUES (1, 'db'), (2, 'web')");
  return db;
}

const result = (groupId: number, at: number, passed: boolean, trigger: 'operator' | 'schedule' = 'operator') =>
  ({
    id: null,
    groupId,
    groupName: groupId === 1 ? 'db' : 'web',
    at,
    durationMs: 5,
    trigger,
    actor: 'tester',
    passed,
    reason: passed ? null : 'replication: db-b is not streaming',
    failed: passed ? [] : ['replication'],
    directions: [],
  }) satisfies TestRecoveryGroup;

describe('migration 0011: test recoveries', () => {
  it("keeps each group's newest result, the trigger, and drops a deleted group's rows", () => {
    const db = workspace();
    insertTestRecovery(db, result(1, 1000, true, 'schedule'));
    insertTestRecovery(db, result(1, 2000, false));
    insertTestRecovery(db, result(2, 1500, true));
    const latest = latestTestRecoveries(db);
    expect(latest.map((r) => [r.groupName, r.passed, r.reason, r.failed])).toEqual([
      ['db', false, 'replication: db-b is not streaming', ['replication']],
      ['web', true, null, []],
    ]);
    expect(lastScheduledTestRecoveryAt(db)).toBe(1000);
    db.exec('DELETE FROM service_groups WHERE id = 1');
    expect(latestTestRecoveries(db).map((r) => r.groupName)).toEqual(['web']);
  });

  it('keeps at most 200 rows per group', () => {
    const db = workspace();
    for (let i = 0; i < 205; i++) insertTestRecovery(db, result(2, i, true));
    const count = db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM test_recoveries').get() as {
      n: number;
      oldest: number;
    };
    expect(count).toEqual({ n: 200, oldest: 5 });
  });
});
