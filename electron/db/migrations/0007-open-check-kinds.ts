/**
 * 0007: the checks table without `CHECK (kind IN …)`. A kind is one module and one registry line
 * (docs/adding-a-check-kind.md); the kind is validated where it enters (the contract's schema) and when
 * read back (an unknown kind is skipped, never run), so the table no longer lists them. SQLite
 * cannot drop a constraint: the table is rebuilt, with foreign keys off so that dropping the old
 * table does not cascade into the results and alert state that reference it.
 */
import type { Migration } from './types';

const COLUMNS =
  'id, name, kind, params, group_id, server_id, service_id, interval_seconds, timeout_seconds, retries, enabled, updated_at';

/** Migration 7: rebuild `checks` with an open kind column; results and state keep their rows. */
export const openCheckKinds: Migration = {
  version: 7,
  name: 'open-check-kinds',
  foreignKeysOff: true,
  up(db) {
    db.exec(`
      CREATE TABLE checks_rebuilt (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
        params TEXT NOT NULL DEFAULT '{}',
        group_id INTEGER REFERENCES service_groups(id) ON DELETE CASCADE,
        server_id INTEGER REFERENCES servers(id) ON DELETE CASCADE,
        service_id INTEGER REFERENCES services(id) ON DELETE SET NULL,
        interval_seconds INTEGER NOT NULL CHECK (interval_seconds BETWEEN 10 AND 86400),
        timeout_seconds INTEGER NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 120),
        retries INTEGER NOT NULL CHECK (retries BETWEEN 0 AND 10),
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO checks_rebuilt (${COLUMNS}) SELECT ${COLUMNS} FROM checks;
      DROP TABLE checks;
      ALTER TABLE checks_rebuilt RENAME TO checks;
      CREATE INDEX checks_group ON checks(group_id);
      CREATE INDEX checks_server ON checks(server_id);
    `);
  },
};
