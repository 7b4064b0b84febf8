import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { getGroupState, listGroupStates, recordGroupState } from '../../../electron/db/repositories/group-state';

describe('migration 0012 group-state', () => {
  it('adds the table to a version-11 database, keeps its groups, and a recorded state goes with its group', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 11),
    );
    db.prepare(
      "INSERT INTO service_groups (id, name, description, data, processes) VALUES (7, 'db', '', '{}', '[]')",
    ).run();
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(12);
    expect(db.prepare('SELECT name FROM service_groups').all()).toEqual([{ name: 'db' }]);
    expect(listGroupStates(db)).toEqual([]);
    const state = {
      groupId: 7,
      primaryServerId: 22,
      redundancy: 'without-redundancy' as const,
      since: 1,
      runId: null,
      detail: 'a failover moved db from db-a to db-b',
    };
    recordGroupState(db, state);
    recordGroupState(db, { ...state, redundancy: 'redundant', since: 2 });
    expect(getGroupState(db, 7)).toMatchObject({ redundancy: 'redundant', since: 2, primaryServerId: 22 });
    expect(listGroupStates(db)).toHaveLength(1);
    db.prepare('DELETE FROM service_groups WHERE id = 7').run();
    expect(getGroupState(db, 7)).toBeNull();
    db.close();
  });
});
