/** 0003: plan revisions — one row per export of the DR plan, with the content hash it carried. */
import type { Migration } from './types';

export const planRevisions: Migration = {
  version: 3,
  name: 'plan-revisions',
  up(db) {
    db.exec(`
      CREATE TABLE plan_revisions (
        id INTEGER PRIMARY KEY,
        number INTEGER NOT NULL CHECK (number >= 1),
        created_at TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('html', 'md', 'pdf')),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        summary TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE INDEX plan_revisions_number ON plan_revisions(number);
    `);
  },
};
