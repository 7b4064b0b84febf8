/** Runbooks: one per service group and target member, steps stored as validated JSON. */
import type { Db } from '../connection';
import { Runbook, RunbookStep, type RunbookDirection } from '../../../shared/runbooks';
import { fromJson, toJson } from './json';

type RunbookRow = {
  id: number;
  group_id: number;
  direction: RunbookDirection;
  source_server_id: number;
  target_server_id: number;
  steps: string;
  updated_at: number;
};

function toRunbook(row: RunbookRow): Runbook {
  // Re-validate on the way out: a step edited outside Lifeboat must not reach a remote command.
  const steps = RunbookStep.array().safeParse(fromJson(row.steps, []));
  return {
    id: row.id,
    groupId: row.group_id,
    direction: row.direction,
    sourceServerId: row.source_server_id,
    targetServerId: row.target_server_id,
    steps: steps.success ? steps.data : [],
    updatedAt: row.updated_at,
    problems: steps.success
      ? []
      : [
          {
            path: ['steps'],
            message: `the saved steps no longer pass validation (${steps.error.issues[0]?.path.join('.')}: ${steps.error.issues[0]?.message})`,
          },
        ],
  };
}

/** The saved runbooks of a group. */
export function listRunbooks(db: Db, groupId: number): Runbook[] {
  return db
    .prepare<[number], RunbookRow>('SELECT * FROM runbooks WHERE group_id = ? ORDER BY direction, target_server_id')
    .all(groupId)
    .map(toRunbook);
}

/** The saved runbook that moves a group to one member, if any. */
export function findRunbook(db: Db, groupId: number, targetServerId: number): Runbook | undefined {
  const row = db
    .prepare<[number, number], RunbookRow>('SELECT * FROM runbooks WHERE group_id = ? AND target_server_id = ?')
    .get(groupId, targetServerId);
  return row && toRunbook(row);
}

/** Insert or replace the runbook of (group, target). */
export function saveRunbook(
  db: Db,
  runbook: Omit<Runbook, 'id' | 'updatedAt' | 'problems'>,
  now = Date.now(),
): Runbook {
  db.prepare(
    `INSERT INTO runbooks (group_id, direction, source_server_id, target_server_id, steps, updated_at)
     VALUES (@groupId, @direction, @sourceServerId, @targetServerId, @steps, @now)
     ON CONFLICT (group_id, target_server_id) DO UPDATE SET
       direction = excluded.direction, source_server_id = excluded.source_server_id, steps = excluded.steps, updated_at = excluded.updated_at`,
  ).run({ ...runbook, steps: toJson(runbook.steps), now });
  return findRunbook(db, runbook.groupId, runbook.targetServerId) as Runbook;
}
