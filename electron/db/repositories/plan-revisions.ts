/** Plan revisions: every export of the DR plan, numbered by content. */
import type { Db } from '../connection';
import type { PlanFormat, PlanRevision } from '../../../shared/contract/plan';

type RevisionRow = {
  id: number;
  number: number;
  created_at: string;
  format: PlanFormat;
  sha256: string;
  summary: string;
};

const toRevision = (row: RevisionRow): PlanRevision => ({
  id: row.id,
  number: row.number,
  createdAt: row.created_at,
  format: row.format,
  sha256: row.sha256,
  summary: row.summary,
});

/** Every export, newest first. */
export function listPlanRevisions(db: Db): PlanRevision[] {
  return db.prepare<[], RevisionRow>('SELECT * FROM plan_revisions ORDER BY id DESC').all().map(toRevision);
}

/** The newest export, or undefined before the first. */
export function latestPlanRevision(db: Db): PlanRevision | undefined {
  const row = db.prepare<[], RevisionRow>('SELECT * FROM plan_revisions ORDER BY id DESC LIMIT 1').get();
  return row && toRevision(row);
}

/**
 * The revision number content with this hash carries: the newest revision's number when the hash is
 * unchanged, the next number otherwise (1 for the first).
 */
export function revisionNumberFor(db: Db, sha256: string): { number: number; recorded: boolean } {
  const latest = latestPlanRevision(db);
  if (!latest) return { number: 1, recorded: false };
  if (latest.sha256 === sha256) return { number: latest.number, recorded: true };
  return { number: latest.number + 1, recorded: false };
}

/**
 * Record one export (call inside a transaction together with revisionNumberFor), with the audit
 * log's newest row at that moment: an anchor of the log outside its table.
 */
export function recordPlanRevision(db: Db, revision: Omit<PlanRevision, 'id'>): PlanRevision {
  const head = db
    .prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1')
    .get();
  const { lastInsertRowid } = db
    .prepare(
      'INSERT INTO plan_revisions (number, created_at, format, sha256, summary, audit_id, audit_hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      revision.number,
      revision.createdAt,
      revision.format,
      revision.sha256,
      revision.summary,
      head?.id ?? null,
      head?.hash ?? null,
    );
  return { ...revision, id: Number(lastInsertRowid) };
}

/** The audit head the newest plan revision carried, if it carried one. */
export function latestRevisionAnchor(db: Db): { number: number; auditId: number; auditHash: string } | null {
  const row = db
    .prepare<[], { number: number; auditId: number | null; auditHash: string | null }>(
      'SELECT number, audit_id AS auditId, audit_hash AS auditHash FROM plan_revisions WHERE audit_id IS NOT NULL ORDER BY id DESC LIMIT 1',
    )
    .get();
  return row && row.auditId !== null && row.auditHash
    ? { number: row.number, auditId: row.auditId, auditHash: row.auditHash }
    : null;
}
