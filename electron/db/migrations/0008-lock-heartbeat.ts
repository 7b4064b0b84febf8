/**
 * 0008: the run lock's heartbeat. A lock row says who holds a group's run; the heartbeat, updated
 * while the run lives, says when that holder last showed it was alive, so a person deciding to break
 * a lock left by another machine can see how long it has been silent.
 */
import type { Migration } from './types';

export const lockHeartbeat: Migration = {
  version: 8,
  name: 'lock-heartbeat',
  up(db) {
    db.exec(`
      ALTER TABLE run_locks ADD COLUMN heartbeat_at INTEGER NOT NULL DEFAULT 0;
      UPDATE run_locks SET heartbeat_at = acquired_at;
    `);
  },
};
