/**
 * 0011: test recoveries. Each row is one group's test recovery (every direction's preconditions
 * read on the real hosts, nothing changed): whether it passed, the first failed precondition as
 * shown, and the whole result. The newest row of a group says whether it is "broken"; a group that
 * is deleted takes its rows with it.
 */
import type { Migration } from './types';

export const testRecoveries: Migration = {
  version: 11,
  name: 'test-recoveries',
  up(db) {
    db.exec(`
      CREATE TABLE test_recoveries (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES service_groups(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        actor TEXT NOT NULL,
        passed INTEGER NOT NULL,
        reason TEXT,
        result TEXT NOT NULL
      );
      CREATE INDEX test_recoveries_group_at ON test_recoveries (group_id, at DESC);
    `);
  },
};
