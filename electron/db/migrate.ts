/**
 * Runs numbered migrations, each in its own transaction that sets user_version. A migration that
 * rebuilds a referenced table declares `foreignKeysOff` (see migrations/types.ts).
 */
import type { Database } from 'better-sqlite3';
import { LifeboatError } from '../../shared/errors';
import type { Migration } from './migrations/types';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuse a file written by a newer Lifeboat; checked before anything is written to it. */
export function assertKnownSchema(db: Database, migrations: readonly Migration[], file = 'the workspace'): void {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const current = schemaVersion(db);
  if (current > latest) {
    throw new LifeboatError(
      'unsupported_version',
      `${file} was written by a newer version of Lifeboat (schema ${current}; this version knows up to ${latest}). ` +
        'Open it with a newer Lifeboat; it was not changed.',
    );
  }
}

/** Bring the database up to the newest migration, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[], file = 'the workspace'): number {
  assertKnownSchema(db, migrations, file);
  const current = schemaVersion(db);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    if (migration.foreignKeysOff) runWithoutForeignKeys(db, migration);
    else runInTransaction(db, migration);
  }
  return schemaVersion(db);
}

function runInTransaction(db: Database, migration: Migration, before?: () => void): void {
  db.transaction(() => {
    migration.up(db);
    before?.();
    db.pragma(`user_version = ${Number(migration.version)}`);
  })();
}

/** A row that references a parent that is not there, as `PRAGMA foreign_key_check` lists it. */
interface DanglingRow {
  table: string;
  rowid: number | null;
  parent: string;
}

/**
 * A table rebuild (see Migration.foreignKeysOff): foreign keys off outside the transaction, the
 * check inside it so a dangling row rolls the whole migration back, and the setting restored after.
 */
function runWithoutForeignKeys(db: Database, migration: Migration): void {
  const wasOn = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    runInTransaction(db, migration, () => {
      const dangling = db.pragma('foreign_key_check') as DanglingRow[];
      if (dangling.length > 0) {
        const first = dangling
          .slice(0, 3)
          .map((row) => `${row.table} row ${row.rowid ?? '?'} → ${row.parent}`)
          .join(', ');
        throw new LifeboatError(
          'unavailable',
          `Migration ${migration.version} (${migration.name}) would leave ${dangling.length} row(s) referencing nothing (${first}); it was rolled back and nothing changed.`,
        );
      }
    });
  } finally {
    if (wasOn) db.pragma('foreign_keys = ON');
  }
}
