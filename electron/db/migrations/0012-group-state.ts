/**
 * 0012: what the runs recorded about each group: the member that is primary now (a failover moves
 * it), and whether the group runs without redundancy until it is re-protected. No row: nothing has
 * moved the group since Lifeboat started recording (the configured primary serves).
 */
import type { Migration } from './types';

export const groupState: Migration = {
  version: 12,
  name: 'group-state',
  up(db) {
    db.exec(`
      CREATE TABLE group_state (
        group_id INTEGER PRIMARY KEY REFERENCES service_groups(id) ON DELETE CASCADE,
        primary_server_id INTEGER NOT NULL,
        redundancy TEXT NOT NULL,
        since INTEGER NOT NULL,
        run_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
      );
    `);
  },
};
