/** Runs numbered migrations, each in its own transaction that sets user_version. */
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
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${Number(migration.version)}`);
    })();
  }
  return schemaVersion(db);
}
