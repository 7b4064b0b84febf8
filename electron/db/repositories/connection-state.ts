/**
 * Connection-level reads and settings: the stamp that tells a reader the data changed, and durable
 * writes (synchronous=FULL) for the rows that must survive a crash (the audit log, run locks).
 */
import type { Db } from '../connection';

/** The database's change stamp: another connection's commit, or a write on this one, changes it. */
export function changeStamp(db: Db): string {
  const version = db.pragma('data_version', { simple: true });
  const changes = db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()!.n;
  return `${version}:${changes}`;
}

/** Run `write` with synchronous=FULL, so its commit is durable before it returns. */
export function durably<T>(db: Db, write: () => T): T {
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  try {
    return write();
  } finally {
    db.pragma(`synchronous = ${Number(previous)}`);
  }
}
