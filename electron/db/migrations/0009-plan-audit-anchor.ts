/**
 * 0009: each plan revision records the audit log's newest row (id and hash) at export: a second
 * anchor of the log outside its table, printed in the plan's change log.
 */
import type { Migration } from './types';

export const planAuditAnchor: Migration = {
  version: 9,
  name: 'plan-audit-anchor',
  up(db) {
    db.exec(`
      ALTER TABLE plan_revisions ADD COLUMN audit_id INTEGER;
      ALTER TABLE plan_revisions ADD COLUMN audit_hash TEXT;
    `);
  },
};
