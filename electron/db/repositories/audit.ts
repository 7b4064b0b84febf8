/** Audit rows: append-only SQL; the hash chain and durability rules live in electron/failover/audit.ts. */
import type { Db } from '../connection';
import type { AuditEntry, AuditKind } from '../../../shared/contract/failover';

type AuditRow = {
  id: number;
  at: number;
  kind: AuditKind;
  actor: string;
  run_id: number | null;
  group_id: number | null;
  step_index: number | null;
  server_id: number | null;
  host: string;
  command: string;
  intent_id: number | null;
  started_at: number | null;
  ended_at: number | null;
  exit_code: number | null;
  outcome: string;
  output: string;
  detail: string;
  prev_hash: string;
  hash: string;
};

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    runId: row.run_id,
    groupId: row.group_id,
    stepIndex: row.step_index,
    serverId: row.server_id,
    host: row.host,
    command: row.command,
    intentId: row.intent_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    exitCode: row.exit_code,
    outcome: row.outcome,
    output: row.output,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The hash of the newest row ('' for an empty log). */
export function lastAuditHash(db: Db): { id: number; hash: string } | undefined {
  return db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get();
}

/** One row by id. */
export function getAuditRow(db: Db, id: number): AuditEntry | undefined {
  const row = db.prepare<[number], AuditRow>('SELECT * FROM audit_log WHERE id = ?').get(id);
  return row && toEntry(row);
}

/** Insert one finished row (id chosen by the caller inside the same transaction). */
export function insertAuditRow(db: Db, entry: AuditEntry): void {
  db.prepare(
    `INSERT INTO audit_log (id, at, kind, actor, run_id, group_id, step_index, server_id, host, command, intent_id,
       started_at, ended_at, exit_code, outcome, output, detail, prev_hash, hash)
     VALUES (@id, @at, @kind, @actor, @runId, @groupId, @stepIndex, @serverId, @host, @command, @intentId,
       @startedAt, @endedAt, @exitCode, @outcome, @output, @detail, @prevHash, @hash)`,
  ).run(entry);
}

/** Rows newest first, optionally of one run and before an id (paging). */
export function listAuditRows(db: Db, filter: { runId?: number; beforeId?: number; limit: number }): AuditEntry[] {
  return db
    .prepare<[{ runId: number | null; beforeId: number | null; limit: number }], AuditRow>(
      'SELECT * FROM audit_log WHERE (@runId IS NULL OR run_id = @runId) AND (@beforeId IS NULL OR id < @beforeId) ORDER BY id DESC LIMIT @limit',
    )
    .all({ runId: filter.runId ?? null, beforeId: filter.beforeId ?? null, limit: filter.limit })
    .map(toEntry);
}

/** Every row oldest first, for verification and export. */
export function* iterateAuditRows(db: Db, runId?: number): Generator<AuditEntry> {
  const statement = db.prepare<[{ runId: number | null }], AuditRow>(
    'SELECT * FROM audit_log WHERE (@runId IS NULL OR run_id = @runId) ORDER BY id',
  );
  for (const row of statement.iterate({ runId: runId ?? null })) yield toEntry(row);
}

/** The newest row of a kind for a run (where an interrupted run stopped). */
export function lastAuditOfRun(db: Db, runId: number, kind: AuditKind): AuditEntry | null {
  const row = db
    .prepare<[number, string], AuditRow>(
      'SELECT * FROM audit_log WHERE run_id = ? AND kind = ? ORDER BY id DESC LIMIT 1',
    )
    .get(runId, kind);
  return row ? toEntry(row) : null;
}

/** How many rows of the given kinds a run has (halts answered with retry, skips, ...). */
export function countAuditOfRun(db: Db, runId: number, kinds: readonly AuditKind[]): number {
  if (kinds.length === 0) return 0;
  const marks = kinds.map(() => '?').join(', ');
  const row = db
    .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM audit_log WHERE run_id = ? AND kind IN (${marks})`)
    .get(runId, ...kinds);
  return row?.n ?? 0;
}
