/**
 * The audit log's newest hash, anchored outside its table: a file beside the workspace
 * (`<workspace>.audit-anchor`), replaced atomically (written to a temporary file, renamed) after
 * each audit commit. Deleting the last rows leaves the chain that remains intact, so the chain alone
 * cannot see it; the anchor names a row that is then missing (docs/safety.md). The plan's revisions
 * carry the head too (electron/plan/service.ts), so a printed plan is a second anchor on paper.
 */
import fs from 'node:fs';
import type { Db } from '../db/connection';

export interface AuditAnchor {
  id: number;
  hash: string;
}

/** Where the anchor of a workspace file lives; null for an in-memory database. */
export function anchorPath(db: Db): string | null {
  const file = db.name;
  return !file || file === ':memory:' ? null : `${file}.audit-anchor`;
}

/** The anchor as written, or null when absent; 'unreadable' when present but not an anchor. */
export function readAnchor(db: Db): AuditAnchor | null | 'unreadable' {
  const file = anchorPath(db);
  if (!file) return null;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as { id?: unknown; hash?: unknown };
    if (
      Number.isSafeInteger(parsed.id) &&
      (parsed.id as number) > 0 &&
      typeof parsed.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(parsed.hash)
    ) {
      return { id: parsed.id as number, hash: parsed.hash };
    }
  } catch {
    /* fall through */
  }
  return 'unreadable';
}

/**
 * Move the anchor to `head` (never backwards: another process may have anchored a newer row).
 * A failure to write is reported to the caller's log, not thrown: the row itself is committed.
 */
export function writeAnchor(db: Db, head: AuditAnchor): string | null {
  const file = anchorPath(db);
  if (!file) return null;
  const current = readAnchor(db);
  if (current !== null && current !== 'unreadable' && current.id >= head.id) return null;
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, `${JSON.stringify({ id: head.id, hash: head.hash })}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
    return null;
  } catch (error) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing more to do */
    }
    return `the audit anchor ${file} could not be written: ${(error as Error).message}`;
  }
}
