/** What the runs recorded about each group: its primary now and whether it runs without redundancy. */
import type { Db } from '../connection';
import type { GroupState } from '../../../shared/contract/reprotect';

type Row = {
  group_id: number;
  primary_server_id: number;
  redundancy: string;
  since: number;
  run_id: number | null;
  detail: string;
};

function fromRow(row: Row): GroupState {
  return {
    groupId: row.group_id,
    primaryServerId: row.primary_server_id,
    // A value this version does not know proves no redundancy.
    redundancy: row.redundancy === 'redundant' ? 'redundant' : 'without-redundancy',
    since: row.since,
    runId: row.run_id,
    detail: row.detail,
  };
}

/** Every recorded group state (groups never moved have none). */
export function listGroupStates(db: Db): GroupState[] {
  return db.prepare<[], Row>('SELECT * FROM group_state ORDER BY group_id').all().map(fromRow);
}

/** The recorded state of one group, or null. */
export function getGroupState(db: Db, groupId: number): GroupState | null {
  const row = db.prepare<[number], Row>('SELECT * FROM group_state WHERE group_id = ?').get(groupId);
  return row ? fromRow(row) : null;
}

/** Record a group's state (one row per group; the newest wins). */
export function recordGroupState(db: Db, state: GroupState): void {
  db.prepare(
    `INSERT INTO group_state (group_id, primary_server_id, redundancy, since, run_id, detail)
     VALUES (@groupId, @primaryServerId, @redundancy, @since, @runId, @detail)
     ON CONFLICT (group_id) DO UPDATE SET primary_server_id = excluded.primary_server_id,
       redundancy = excluded.redundancy, since = excluded.since, run_id = excluded.run_id, detail = excluded.detail`,
  ).run(state);
}
